/**
 * A station backlog for backlog-drain.bench.ts: `n` records (pending, or some already uploaded) written straight into the
 * file store's layout (shards, outbox, person index, sequence; the same shapes the store writes,
 * without its per-save fsyncs, which would make seeding 10,000 records take minutes), then
 * checked by opening the real store on it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { CheckupRecord } from "../../../station/domain/schema.js";
import { createFileStore } from "../../../station/storage/file-store.js";
import { shardDayOf } from "../../../station/storage/keys.js";
import { Layout } from "../../../station/storage/layout.js";
import { personKey } from "../../../station/storage/person-index.js";
import { ackedSync, idNumber, makeRecord } from "../../storage/fixtures/records.js";

/** A fixed index key for seeded folders (the store reads keys/index.json like any other). */
const SEED_KEY = Buffer.alloc(32, 7);

const DAY_MS = 86_400_000;

/**
 * `perDay` records per shard day, ending yesterday, oldest first; the oldest `uploaded` of them
 * already acked (stored, not in the backlog).
 */
export function makeBacklog(
  stationId: string,
  n: number,
  perDay: number,
  now = Date.now(),
  uploaded = 0,
): CheckupRecord[] {
  const days = Math.ceil(n / perDay);
  const start = now - (days + 1) * DAY_MS;
  return Array.from({ length: n }, (_, i) => {
    const at = start + Math.floor(i / perDay) * DAY_MS + (i % perDay) * 60_000;
    const person = idNumber(`19${String(40 + (i % 50)).padStart(2, "0")}0301`, (i % 997) + 1);
    const rec = { ...makeRecord({ seq: i + 1, at, person, systolic: 110 + (i % 40) }), stationId };
    return i < uploaded ? { ...rec, sync: ackedSync(new Date(at + 60_000).toISOString()) } : rec;
  });
}

export async function seedBacklog(dir: string, records: CheckupRecord[]): Promise<void> {
  const l = new Layout(dir);
  for (const d of [l.records, l.outbox, l.persons, l.keys, l.meta]) await mkdir(d, { recursive: true });
  await writeFile(l.indexKey(), JSON.stringify({ v: 1, key: SEED_KEY.toString("hex") }));
  const shards = new Map<string, Record<string, CheckupRecord>>();
  const buckets = new Map<string, Record<string, string[]>>();
  for (const r of records) {
    const day = shardDayOf(r.id);
    shards.set(day, { ...shards.get(day), [r.id]: r });
    const hmac = personKey(SEED_KEY, r.person.idNumber);
    const key = `${day.slice(0, 4)}/${hmac.slice(0, 2)}`;
    const people = buckets.get(key) ?? {};
    people[hmac] = [...(people[hmac] ?? []), r.id];
    buckets.set(key, people);
  }
  for (const [day, recs] of shards) {
    await writeFile(l.shard(day), JSON.stringify({ v: 1, day, records: recs }));
    const pending = Object.values(recs).filter((r) => r.sync.status === "pending");
    if (pending.length > 0)
      await writeFile(l.outboxDay(day), JSON.stringify({ v: 1, ids: pending.map((r) => r.id) }));
  }
  for (const [key, people] of buckets) {
    const [year, bucket] = key.split("/") as [string, string];
    await mkdir(l.personsYear(year), { recursive: true });
    await writeFile(l.personsBucket(year, bucket), JSON.stringify({ v: 2, people }));
  }
  await writeFile(l.seq(), JSON.stringify({ v: 1, reserved: records.length }));
  // The real store must read it as n pending records.
  const store = createFileStore({ dir });
  await store.open();
  try {
    const want = records.filter((r) => r.sync.status === "pending").length;
    const pending = await store.pending();
    if (pending.length !== want || (await store.count()) !== records.length)
      throw new Error(
        `seeded ${want} pending of ${records.length} but the store sees ${pending.length} pending`,
      );
  } finally {
    await store.close();
  }
}
