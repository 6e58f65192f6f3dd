/** File-store behaviour of batched sync updates beyond the contract: writes per batch, order, failures, the rejected index. */
import { mkdtemp, readFile, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore } from "../../station/storage/file-store.js";
import { shardDayOf } from "../../station/storage/keys.js";
import type { InspectableRecordStore } from "../../station/storage/types.js";
import { countingFs } from "./fixtures/counting-fs.js";
import { ackedSync, dayAt, makeRecord, pendingSync, rejectedSync } from "./fixtures/records.js";
import { assertEveryJsonParses } from "./fixtures/tree.js";

let dir: string;
let open: InspectableRecordStore[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "store-batch-"));
});
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
  await rm(dir, { recursive: true, force: true });
});

// These count the files the earlier write path rewrites (journal: false); the journal path's batch
// is one appended frame per day (journal.test.ts), and the contract suite runs on both.
async function storeWith(fs = countingFs(dir)) {
  const store = createFileStore({ dir, fs: fs.fs, journal: false });
  await store.open();
  open.push(store);
  return { store, fs };
}

async function reopen(store: InspectableRecordStore) {
  await store.close();
  open = open.filter((s) => s !== store);
  return storeWith();
}

/** `perDay` pending records on each of `days` consecutive days, saved concurrently. */
async function seed(store: InspectableRecordStore, days: number, perDay: number) {
  const recs = Array.from({ length: days * perDay }, (_, i) =>
    makeRecord({ seq: i + 1, at: dayAt(Math.floor(i / perDay), i % perDay) }),
  );
  await Promise.all(recs.map((r) => store.save(r)));
  return recs;
}

const outboxIds = async (day: string) =>
  JSON.parse(await readFile(join(dir, "outbox", `${day}.json`), "utf8")).ids as string[];

describe("updateSyncMany writes each touched file once", () => {
  it("a batch of 40 acks over 2 days rewrites 2 shards, then 2 outbox files, once each", async () => {
    const { store, fs } = await storeWith();
    const recs = await seed(store, 2, 25);
    const acks = recs.filter((_, i) => i % 25 < 20);
    const [d0, d1] = [shardDayOf(recs[0]!.id), shardDayOf(recs[25]!.id)];
    fs.reset();
    await store.updateSyncMany(acks.map((r) => ({ id: r.id, sync: ackedSync() })));
    expect(fs.writes).toEqual([
      `records/${d0}.json`,
      `records/${d1}.json`,
      `outbox/${d0}.json`,
      `outbox/${d1}.json`,
    ]);
    expect(fs.reads).toEqual([]); // shards cached, outbox in memory
    expect(await outboxIds(d0)).toEqual(ids(recs.slice(20, 25)));
    expect(await outboxIds(d1)).toEqual(ids(recs.slice(45, 50)));
    // The same batch again (the uploader retrying it) finds nothing to change and writes nothing.
    fs.reset();
    await store.updateSyncMany(acks.map((r) => ({ id: r.id, sync: ackedSync() })));
    expect(fs.writes).toEqual([]);
  });

  it("writes a tenth of the bytes per ack or less compared with one updateSync per record", async () => {
    const batch = await storeWith();
    const recs = await seed(batch.store, 2, 50);
    batch.fs.reset();
    await batch.store.updateSyncMany(recs.map((r) => ({ id: r.id, sync: ackedSync() })));
    const batchBytes = sum(batch.fs.bytes);
    await batch.store.close();
    open = [];
    await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(join(tmpdir(), "store-batch-"));

    const single = await storeWith();
    const same = await seed(single.store, 2, 50);
    single.fs.reset();
    for (const r of same) await single.store.updateSync(r.id, ackedSync());
    const singleBytes = sum(single.fs.bytes);
    expect(single.fs.writes.filter((w) => w.startsWith("records/"))).toHaveLength(100);
    console.log(
      `100 acks over 2 days of 50: batch ${batchBytes} B (${(batchBytes / 100).toFixed(0)} B/ack), ` +
        `one by one ${singleBytes} B (${(singleBytes / 100).toFixed(0)} B/ack), ratio ${(singleBytes / batchBytes).toFixed(1)}x`,
    );
    expect(batchBytes * 10).toBeLessThanOrEqual(singleBytes);
  });
});

describe("updateSyncMany on a failing disk", () => {
  it("a shard write failing mid-batch keeps that day pending and in the outbox; the day before is done", async () => {
    const { store, fs } = await storeWith();
    const recs = await seed(store, 2, 3);
    const [d0, d1] = [shardDayOf(recs[0]!.id), shardDayOf(recs[3]!.id)];
    fs.failRename = (t) => (t === `records/${d1}.json` ? "EIO" : undefined);
    await expect(
      store.updateSyncMany(recs.map((r) => ({ id: r.id, sync: ackedSync() }))),
    ).rejects.toMatchObject({ code: "disk-io" });
    fs.failRename = undefined;
    expect(ids(await store.pending())).toEqual(ids(recs.slice(3)));
    expect(await store.pendingCount()).toBe(3);
    await expect(readFile(join(dir, "outbox", `${d0}.json`), "utf8")).rejects.toMatchObject({
      code: "ENOENT",
    });
    expect(await outboxIds(d1)).toEqual(ids(recs.slice(3)));
    expect(await assertEveryJsonParses(dir)).toBeGreaterThan(0);
    const again = (await reopen(store)).store;
    expect(ids(await again.pending())).toEqual(ids(recs.slice(3)));
  });

  it("a rejection whose shard write failed leaves a stale index id that rejected() skips and a later ack clears", async () => {
    const { store, fs } = await storeWith();
    const [rec] = await seed(store, 1, 1);
    fs.failRename = (t) => (t.startsWith("records/") ? "ENOSPC" : undefined);
    await expect(store.updateSyncMany([{ id: rec!.id, sync: rejectedSync() }])).rejects.toMatchObject({
      code: "disk-full",
    });
    fs.failRename = undefined;
    const indexFile = join(dir, "meta", "rejected.json");
    expect(JSON.parse(await readFile(indexFile, "utf8")).ids).toEqual([rec!.id]); // intent on disk
    const again = (await reopen(store)).store;
    expect(await again.rejected()).toEqual([]);
    expect(ids(await again.pending())).toEqual([rec!.id]);
    await again.updateSyncMany([{ id: rec!.id, sync: ackedSync() }]);
    expect(JSON.parse(await readFile(indexFile, "utf8")).ids).toEqual([]);
  });
});

describe("rejected index", () => {
  it("rejected() reads only the shards of rejected records, not every shard", async () => {
    const { store } = await storeWith();
    const recs = await seed(store, 5, 2);
    await store.updateSyncMany(
      recs.map((r, i) => ({ id: r.id, sync: i === 5 ? rejectedSync() : ackedSync() })),
    );
    const { store: again, fs } = await reopen(store);
    fs.reset();
    expect(ids(await again.rejected())).toEqual([recs[5]!.id]);
    expect(fs.reads).toEqual([`records/${shardDayOf(recs[5]!.id)}.json`]);
  });

  it("is rebuilt by one scan on open when missing, and read from its file after that", async () => {
    const { store } = await storeWith();
    const recs = await seed(store, 3, 2);
    await store.updateSyncMany(
      recs.map((r, i) => ({ id: r.id, sync: i === 1 || i === 4 ? rejectedSync() : ackedSync() })),
    );
    await store.close();
    open = [];
    // A folder written before the index existed.
    await unlink(join(dir, "meta", "rejected.json"));
    await rm(join(dir, "meta", "rejected.json.bak"), { force: true });
    const first = await storeWith();
    expect(first.fs.reads.filter((r) => r.startsWith("records/"))).toHaveLength(3); // the one scan
    expect(ids(await first.store.rejected())).toEqual([recs[4]!.id, recs[1]!.id]);
    expect(JSON.parse(await readFile(join(dir, "meta", "rejected.json"), "utf8")).ids.sort()).toEqual(
      [recs[1]!.id, recs[4]!.id].sort(),
    );
    const second = await reopen(first.store);
    expect(second.fs.reads.filter((r) => r.startsWith("records/"))).toEqual([]); // outbox empty, index read
    expect(ids(await second.store.rejected())).toEqual([recs[4]!.id, recs[1]!.id]);
  });

  it("is written in the same batch only when a rejection is added or cleared", async () => {
    const { store, fs } = await storeWith();
    const recs = await seed(store, 1, 4);
    fs.reset();
    await store.updateSyncMany([
      { id: recs[0]!.id, sync: ackedSync() },
      { id: recs[1]!.id, sync: rejectedSync() },
    ]);
    const day = shardDayOf(recs[0]!.id);
    expect(fs.writes).toEqual(["meta/rejected.json", `records/${day}.json`, `outbox/${day}.json`]);
    fs.reset();
    await store.updateSyncMany([{ id: recs[2]!.id, sync: { ...pendingSync(), attempts: 1 } }]);
    expect(fs.writes).toEqual([`records/${day}.json`]); // still in the outbox, no rejection touched
    fs.reset();
    await store.updateSyncMany([{ id: recs[1]!.id, sync: ackedSync() }]);
    expect(fs.writes).toEqual([`records/${day}.json`, "meta/rejected.json"]);
  });
});

function ids(recs: { id: string }[]): string[] {
  return recs.map((r) => r.id);
}

function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}
