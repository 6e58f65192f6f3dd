/**
 * Batched sync-state updates for the file store (docs/adr/0001-durable-storage.md). A burst of
 * archive acks rewrites each touched day shard once and then each touched outbox file once,
 * instead of one durable rewrite of both per record.
 *
 * Order, as for a single update: intents first (ids going back to "pending" into the outbox,
 * newly rejected ids into the rejected index), then the shards, then removals from the outbox and
 * the rejected index. After a crash at any point a pending record is in the outbox, and a rejected
 * one in the index; the opposite leftovers (an acked id still in the outbox) are dropped on open.
 */
import { type CheckupRecord, SyncState } from "../domain/schema.js";
import { StationError } from "../util/errors.js";
import type { FileIo } from "./file-io.js";
import { isUuidV7, shardDayOf } from "./keys.js";
import type { LoadedShard, ShardFile } from "./layout.js";
import type { KeyedMutex } from "./mutex.js";
import type { Outbox } from "./outbox.js";
import type { RejectedIndex } from "./rejected-index.js";
import type { SyncUpdate } from "./types.js";

export interface SyncManyParts {
  io: FileIo;
  outbox: Outbox;
  rejected: RejectedIndex;
  /** Per-record lock shared with save(), so calls on one id take effect in call order. */
  idLock: KeyedMutex;
  offset: number;
  /** Loads a shard; the caller holds that shard's file lock. */
  loadShard(day: string): Promise<LoadedShard>;
  /**
   * Journal mode: append the day's changed records as one journal frame and update the cached
   * shard and the in-memory outbox; the caller holds the shard's file lock. Replaces the shard
   * rewrite and the outbox file writes (compaction writes those later).
   */
  journal?: (day: string, changed: CheckupRecord[]) => Promise<void>;
}

/**
 * All or nothing for bad input: a malformed state or an unknown id rejects the whole batch before
 * anything is written (`record-not-found`, details.ids lists every unknown id). A disk error part
 * way leaves earlier days applied; each file is still whole, and the order above still holds.
 */
export async function applySyncMany(p: SyncManyParts, updates: ReadonlyArray<SyncUpdate>): Promise<void> {
  // The newest state per id wins, as when the same calls are made one by one.
  const latest = new Map<string, SyncState>();
  for (const u of updates) latest.set(u.id, SyncState.parse(u.sync));
  if (latest.size === 0) return;
  await p.idLock.runAll([...latest.keys()], () => applyLocked(p, latest));
}

async function applyLocked(p: SyncManyParts, latest: Map<string, SyncState>): Promise<void> {
  const byDay = new Map<string, Map<string, SyncState>>();
  const unknown: string[] = [];
  for (const [id, sync] of latest) {
    if (!isUuidV7(id)) {
      unknown.push(id);
      continue;
    }
    const day = shardDayOf(id, p.offset);
    const ups = byDay.get(day) ?? new Map<string, SyncState>();
    ups.set(id, sync);
    byDay.set(day, ups);
  }
  // Records are never deleted and their ids are locked, so what exists now still exists below.
  for (const [day, ups] of byDay) {
    const shard = await p.io.lock.run(p.io.layout.shard(day), () => p.loadShard(day));
    for (const id of ups.keys()) if (!shard.valid.has(id)) unknown.push(id);
  }
  if (unknown.length > 0)
    throw new StationError(
      "record-not-found",
      `找不到 ${unknown.length} 条记录，本批未写入 / no record for ${unknown.length} id(s); nothing in this batch was written: ${unknown.slice(0, 5).join(", ")}`,
      { ids: unknown },
    );

  const idsOf = (ups: Map<string, SyncState>, keep: (s: SyncState) => boolean) =>
    [...ups].filter(([, s]) => keep(s)).map(([id]) => id);
  if (!p.journal)
    for (const [day, ups] of byDay) {
      const back = idsOf(ups, (s) => s.status === "pending");
      if (back.length > 0) await p.outbox.add(day, back);
    }
  await p.rejected.add(idsOf(latest, (s) => s.status === "rejected"));

  const written: string[] = [];
  let failure: unknown = null;
  for (const [day, ups] of byDay) {
    try {
      await writeShard(p, day, ups);
      written.push(day);
    } catch (err) {
      failure = err;
      break;
    }
  }
  // Removals only for days whose shard is written; a failed day keeps its entries (safe side).
  const cleared: string[] = [];
  for (const day of written) {
    const ups = byDay.get(day)!;
    if (!p.journal)
      await p.outbox.remove(
        day,
        idsOf(ups, (s) => s.status !== "pending"),
      );
    cleared.push(...idsOf(ups, (s) => s.status !== "rejected"));
  }
  await p.rejected.remove(cleared);
  if (failure) throw failure;
}

/** One durable rewrite of the day's shard carrying every update for that day (none if none changes it). */
async function writeShard(p: SyncManyParts, day: string, ups: Map<string, SyncState>): Promise<void> {
  await p.io.lock.run(p.io.layout.shard(day), async () => {
    const shard = await p.loadShard(day);
    const changed: Record<string, CheckupRecord> = {};
    for (const [id, sync] of ups) {
      const rec = shard.valid.get(id)!;
      // Already so on disk (a retried batch): nothing to write for it.
      if (JSON.stringify(rec.sync) !== JSON.stringify(sync)) changed[id] = { ...rec, sync };
    }
    if (Object.keys(changed).length === 0) return;
    if (p.journal) return p.journal(day, Object.values(changed));
    const data: ShardFile = { v: 1, day, records: { ...shard.raw, ...changed } };
    await p.io.file(shard.file).write(data);
    // The cache changes only once the file is on disk, so a failed write leaves it as the disk is.
    shard.raw = data.records;
    for (const [id, rec] of Object.entries(changed)) shard.valid.set(id, rec);
  });
}
