/**
 * In-memory RecordStore with the same semantics as the file store (same contract suite): for
 * tests, demos and the UI's fake station. Data lives as long as the object, across close/open.
 */
import { randomBytes } from "node:crypto";
import { CheckupRecord, formatIssues, SyncState } from "../domain/schema.js";
import { StationError } from "../util/errors.js";
import {
  DAY_RE,
  DEFAULT_DAY_OFFSET_MINUTES,
  isUuidV7,
  newestFirst,
  oldestFirst,
  shardDayOf,
} from "./keys.js";
import { personKey } from "./person-index.js";
import { type RecordSummary, summaryOf } from "./summaries.js";
import type { InspectableRecordStore, QuarantinedRecord } from "./types.js";

export interface MemoryStoreOptions {
  /** Raw records to start with, validated on open() exactly as the file store validates what it reads. */
  initial?: unknown[];
  dayOffsetMinutes?: number;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): InspectableRecordStore {
  const offset = opts.dayOffsetMinutes ?? DEFAULT_DAY_OFFSET_MINUTES;
  const records = new Map<string, CheckupRecord>();
  const quarantine = new Map<string, QuarantinedRecord>();
  let seq = 0;
  let isOpen = false;
  let seeded = false;

  const assertOpen = (): void => {
    if (!isOpen) throw new StationError("store-closed", "记录库未打开 / record store is not open");
  };
  const put = (rec: CheckupRecord): void => {
    // Structured clone: callers mutating their object afterwards must not change what is "stored".
    records.set(rec.id, structuredClone(rec));
    quarantine.delete(rec.id);
    seq = Math.max(seq, rec.seq);
  };
  const copy = (r: CheckupRecord): CheckupRecord => structuredClone(r);
  /** By ID number (memory has no disk to keep it off). */
  const summaries = new Map<string, RecordSummary[]>();

  // A per-object secret, as the file store's is per station folder.
  const secret = randomBytes(32);

  return {
    personKey: (idNumber: string) => personKey(secret, idNumber),
    async open() {
      if (!seeded) {
        for (const raw of opts.initial ?? []) {
          const parsed = CheckupRecord.safeParse(raw);
          if (parsed.success) put(parsed.data);
          else {
            const id = typeof (raw as { id?: unknown })?.id === "string" ? (raw as { id: string }).id : null;
            quarantine.set(id ?? `#${quarantine.size}`, {
              file: "memory",
              id,
              issues: formatIssues(parsed.error),
              raw,
            });
          }
        }
        seeded = true;
      }
      isOpen = true;
    },
    async close() {
      isOpen = false;
    },
    async nextSeq() {
      assertOpen();
      seq += 1;
      return seq;
    },
    async save(record) {
      assertOpen();
      const parsed = CheckupRecord.safeParse(record);
      if (!parsed.success)
        throw new StationError("record-invalid", "记录格式不正确 / record failed validation", {
          issues: formatIssues(parsed.error),
        });
      put(parsed.data);
    },
    async get(id) {
      assertOpen();
      const r = isUuidV7(id) ? records.get(id) : undefined;
      return r ? copy(r) : null;
    },
    async byPerson(idNumber, limit = Number.POSITIVE_INFINITY) {
      assertOpen();
      return [...records.values()]
        .filter((r) => r.person.idNumber === idNumber)
        .sort(newestFirst)
        .slice(0, limit)
        .map(copy);
    },
    async pending(limit = Number.POSITIVE_INFINITY, skip?: (id: string) => boolean) {
      assertOpen();
      return [...records.values()]
        .filter((r) => r.sync.status === "pending" && !skip?.(r.id))
        .sort(oldestFirst(offset))
        .slice(0, limit)
        .map(copy);
    },
    async updateSync(id, sync) {
      assertOpen();
      const state = SyncState.parse(sync);
      const rec = records.get(id);
      if (!rec) throw new StationError("record-not-found", `找不到记录 / no record ${id}`, { id });
      records.set(id, { ...rec, sync: state });
    },
    async updateSyncMany(updates) {
      assertOpen();
      // Check the whole batch first: a bad state or unknown id changes nothing, as in the file store.
      const states = updates.map((u) => ({ id: u.id, sync: SyncState.parse(u.sync) }));
      const unknown = [...new Set(states.filter((u) => !records.has(u.id)).map((u) => u.id))];
      if (unknown.length > 0)
        throw new StationError(
          "record-not-found",
          `找不到 ${unknown.length} 条记录，本批未写入 / no record for ${unknown.length} id(s); nothing in this batch was written`,
          { ids: unknown },
        );
      // Applied in order; the last update for an id wins.
      for (const u of states) records.set(u.id, { ...records.get(u.id)!, sync: u.sync });
    },
    async pendingCount() {
      assertOpen();
      let n = 0;
      for (const r of records.values()) if (r.sync.status === "pending") n++;
      return n;
    },
    async rejected(limit = Number.POSITIVE_INFINITY) {
      assertOpen();
      return [...records.values()]
        .filter((r) => r.sync.status === "rejected")
        .sort(newestFirst)
        .slice(0, limit)
        .map(copy);
    },
    async count() {
      assertOpen();
      return records.size;
    },
    async listByDay(day) {
      assertOpen();
      if (!DAY_RE.test(day))
        throw new StationError("bad-request", `日期格式应为 YYYY-MM-DD / bad day ${day}`);
      return [...records.values()]
        .filter((r) => shardDayOf(r.id, offset) === day)
        .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
        .map(copy);
    },
    async quarantined() {
      assertOpen();
      return [...quarantine.values()];
    },
    async pruneAcked(beforeDay) {
      assertOpen();
      if (!DAY_RE.test(beforeDay)) throw new StationError("bad-request", `bad day ${beforeDay}`);
      const days = new Set<string>();
      let pruned = 0;
      for (const r of [...records.values()]) {
        const day = shardDayOf(r.id, offset);
        if (day >= beforeDay || r.sync.status !== "acked") continue;
        const list = summaries.get(r.person.idNumber) ?? [];
        summaries.set(r.person.idNumber, [...list, summaryOf(r, day)]);
        records.delete(r.id);
        days.add(day);
        pruned++;
      }
      return { pruned, shards: days.size };
    },
    async summaries(idNumber) {
      assertOpen();
      return [...(summaries.get(idNumber) ?? [])].sort((a, b) => b.seq - a.seq);
    },
  };
}
