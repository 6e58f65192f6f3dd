/**
 * Helpers for save-latency.bench.ts: seed a file store's folder directly (fast, same layout the
 * store writes), and a byte-counting FsLayer so the bench can report bytes written per save.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { CheckupRecord } from "../../../station/domain/schema.js";
import type { FsLayer } from "../../../station/storage/fs-layer.js";
import { nodeFs } from "../../../station/storage/fs-layer.js";
import { shardDayOf } from "../../../station/storage/keys.js";
import { Layout } from "../../../station/storage/layout.js";
import { personKey } from "../../../station/storage/person-index.js";
import { ackedSync, idNumber, makeRecord } from "../../storage/fixtures/records.js";

/** A fixed index key for seeded folders (the store reads keys/index.json like any other). */
const SEED_KEY = Buffer.alloc(32, 7);

export const PER_DAY = 100;
const DAY_MS = 86_400_000;

/** `total` acked records, PER_DAY per day, ending now; about four records per person. */
export function makeHistory(total: number, now = Date.now()): CheckupRecord[] {
  const people = Math.max(1, Math.floor(total / 4));
  const out: CheckupRecord[] = [];
  for (let i = 0; i < total; i++) {
    // Newest last; record i sits (total - i) / PER_DAY days back, spread through the day.
    const back = total - i;
    const at = now - Math.floor(back / PER_DAY) * DAY_MS - (back % PER_DAY) * 60_000;
    const p = i % people;
    const person = idNumber(`19${String(30 + (p % 60)).padStart(2, "0")}0101`, (p % 997) + 1);
    out.push(makeRecord({ seq: i + 1, at, person, sync: ackedSync() }));
  }
  return out;
}

/** Writes shard, person-index and sequence files the way the store lays them out (no fsync: setup only). */
export async function seedStoreFiles(dir: string, records: CheckupRecord[]): Promise<void> {
  const l = new Layout(dir);
  for (const d of [l.records, l.outbox, l.persons, l.keys, l.meta]) await mkdir(d, { recursive: true });
  await writeFile(l.indexKey(), JSON.stringify({ v: 1, key: SEED_KEY.toString("hex") }));
  const shards = new Map<string, Record<string, CheckupRecord>>();
  const buckets = new Map<string, Record<string, string[]>>();
  let maxSeq = 0;
  for (const r of records) {
    const day = shardDayOf(r.id);
    const shard = shards.get(day) ?? {};
    shard[r.id] = r;
    shards.set(day, shard);
    const hmac = personKey(SEED_KEY, r.person.idNumber);
    const key = `${day.slice(0, 4)}/${hmac.slice(0, 2)}`;
    const people = buckets.get(key) ?? {};
    people[hmac] = [...(people[hmac] ?? []), r.id];
    buckets.set(key, people);
    maxSeq = Math.max(maxSeq, r.seq);
  }
  for (const [day, recs] of shards)
    await writeFile(l.shard(day), JSON.stringify({ v: 1, day, records: recs }));
  for (const [key, people] of buckets) {
    const [year, bucket] = key.split("/") as [string, string];
    await mkdir(l.personsYear(year), { recursive: true });
    await writeFile(l.personsBucket(year, bucket), JSON.stringify({ v: 2, people }));
  }
  await writeFile(l.seq(), JSON.stringify({ v: 1, reserved: maxSeq }));
}

/** Counts bytes handed to FileHandle.writeFile and the number of fsync calls (files and folders). */
export function countingFs(base: FsLayer = nodeFs): {
  fs: FsLayer;
  bytes: number;
  syncs: number;
  reset(): void;
} {
  const c = {
    bytes: 0,
    syncs: 0,
    reset() {
      c.bytes = 0;
      c.syncs = 0;
    },
    fs: {
      ...base,
      open: async (path: string, flags: string) => {
        const fh = await base.open(path, flags);
        return {
          writeFile: async (data: string) => {
            c.bytes += Buffer.byteLength(data);
            await fh.writeFile(data);
          },
          sync: async () => {
            c.syncs++;
            await fh.sync();
          },
          close: () => fh.close(),
        };
      },
    } as FsLayer,
  };
  return c;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}
