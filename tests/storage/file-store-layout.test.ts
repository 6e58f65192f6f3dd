/** File-store behaviour beyond the shared contract: write order, files on disk, recovery, caches. */
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore } from "../../station/storage/file-store.js";
import { shardDayOf } from "../../station/storage/keys.js";
import { spyFs } from "./fixtures/fs-spy.js";
import { ackedSync, dayAt, makeRecord } from "./fixtures/records.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "store-layout-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const renames = (calls: string[]) => calls.filter((c) => c.startsWith("rename ") && !c.endsWith(".bak"));

// The earlier write path (journal: false), kept for comparison; the journal's order is in journal.test.ts.
describe("file store write order", () => {
  it("writes the person index and the outbox entry before the record's shard (intent first)", async () => {
    const spy = spyFs();
    const store = createFileStore({ dir, fs: spy.fs, journal: false });
    await store.open();
    const rec = makeRecord({ seq: 1, at: dayAt(0) });
    spy.calls.length = 0;
    await store.save(rec);
    const day = shardDayOf(rec.id);
    const targets = renames(spy.calls).map((c) => c.split(" -> ")[1]);
    // (The first save also reserves a block of sequence numbers: seq.json, not part of the order.)
    expect(targets.filter((t) => t !== "seq.json")).toEqual([
      expect.stringMatching(/^[0-9a-f]{2}\.json$/), // people/<year>/<bucket>.json
      `${day}.json`, // outbox
      `${day}.json`, // records
    ]);
    expect(JSON.parse(await readFile(join(dir, "outbox", `${day}.json`), "utf8")).ids).toEqual([rec.id]);
    await store.close();
  });

  it("on acknowledgement writes the shard first, then removes the outbox file", async () => {
    const spy = spyFs();
    const store = createFileStore({ dir, fs: spy.fs, journal: false });
    await store.open();
    const rec = makeRecord({ seq: 1, at: dayAt(0) });
    await store.save(rec);
    spy.calls.length = 0;
    await store.updateSync(rec.id, ackedSync());
    const shardWrite = spy.calls.findIndex(
      (c) => c.startsWith("rename") && c.endsWith(`-> ${shardDayOf(rec.id)}.json`),
    );
    const outboxGone = spy.calls.indexOf(`unlink ${shardDayOf(rec.id)}.json`);
    expect(shardWrite).toBeGreaterThanOrEqual(0);
    expect(outboxGone).toBeGreaterThan(shardWrite);
    expect(await readdir(join(dir, "outbox"))).toEqual([]);
    await store.close();
  });

  it("writes the sequence file once per block of 100, not once per number", async () => {
    const spy = spyFs();
    const store = createFileStore({ dir, fs: spy.fs });
    await store.open();
    spy.calls.length = 0;
    const seqs: number[] = [];
    for (let i = 0; i < 250; i++) seqs.push(await store.nextSeq());
    expect(seqs).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(renames(spy.calls).filter((c) => c.endsWith("-> seq.json"))).toHaveLength(3);
    await store.close();
    const again = createFileStore({ dir });
    await again.open();
    expect(await again.nextSeq()).toBe(301); // the unused rest of the block is skipped, never reused
    await again.close();
  });
});

describe("file store on disk", () => {
  it("really writes files while NODE_ENV is test (no silent in-memory mode)", async () => {
    expect(process.env.NODE_ENV).toBe("test");
    const store = createFileStore({ dir });
    await store.open();
    const rec = makeRecord({ seq: 1, at: dayAt(0) });
    await store.save(rec);
    const journal = await readFile(join(dir, "journal", `${shardDayOf(rec.id)}.log`), "utf8");
    expect(journal).toContain(JSON.stringify(rec));
    await store.close();
    // Close folds the journal into the day shard.
    const shard = JSON.parse(await readFile(join(dir, "records", `${shardDayOf(rec.id)}.json`), "utf8"));
    expect(shard.records[rec.id]).toEqual(rec);
  });

  it("refuses a second open of the same folder in one process until the first closes", async () => {
    const a = createFileStore({ dir });
    await a.open();
    await expect(createFileStore({ dir }).open()).rejects.toMatchObject({ code: "store-locked" });
    await a.close();
    const b = createFileStore({ dir });
    await b.open();
    await b.close();
  });

  it("open() deletes leftover temp files everywhere and never reads them as records", async () => {
    const first = createFileStore({ dir });
    await first.open();
    const rec = makeRecord({ seq: 1, at: dayAt(0) });
    await first.save(rec);
    await first.close();
    const ghost = makeRecord({ seq: 2, at: dayAt(0, 1) });
    const day = shardDayOf(rec.id);
    const temps = [
      join(dir, "records", `.${day}.json.77-1-aaaaaaaa.tmp`),
      join(dir, "outbox", `.${day}.json.77-2-aaaaaaaa.tmp`),
      join(dir, "meta", ".seq.json.77-3-aaaaaaaa.tmp"),
    ];
    await writeFile(temps[0]!, JSON.stringify({ v: 1, day, records: { [ghost.id]: ghost } }));
    await writeFile(temps[1]!, JSON.stringify({ v: 1, ids: [ghost.id] }));
    await writeFile(temps[2]!, '{"v":1,"reser');
    const store = createFileStore({ dir });
    await store.open();
    expect(await store.get(ghost.id)).toBeNull();
    expect((await store.pending()).map((r) => r.id)).toEqual([rec.id]);
    const left = (await readdir(dir, { recursive: true })).filter((n) => String(n).endsWith(".tmp"));
    expect(left).toEqual([]);
    await store.close();
  });

  it("rebuilds the sequence from stored records when the sequence file is lost", async () => {
    const first = createFileStore({ dir });
    await first.open();
    await first.save(makeRecord({ seq: 42, at: dayAt(0) }));
    await first.close();
    await unlink(join(dir, "meta", "seq.json"));
    await rm(join(dir, "meta", "seq.json.bak"), { force: true });
    const store = createFileStore({ dir });
    await store.open();
    expect(await store.nextSeq()).toBe(43);
    await store.close();
  });

  it("keeps a pending record in the outbox when save and updateSync race on the same id", async () => {
    const store = createFileStore({ dir });
    await store.open();
    const rec = makeRecord({ seq: 1, at: dayAt(0) });
    await store.save(rec);
    await Promise.all([store.updateSync(rec.id, ackedSync()), store.save(rec)]);
    // Calls run in order per id: ack, then the re-save as pending; the outbox must agree.
    expect((await store.get(rec.id))!.sync.status).toBe("pending");
    expect((await store.pending()).map((r) => r.id)).toEqual([rec.id]);
    await store.close();
    const again = createFileStore({ dir });
    await again.open();
    expect((await again.pending()).map((r) => r.id)).toEqual([rec.id]);
    await again.close();
  });
});

describe("file store count cache", () => {
  it("counts from the cache after a restart without reading unchanged shards, and notices changed ones", async () => {
    const first = createFileStore({ dir });
    await first.open();
    const recs = [0, 1, 2, 3].map((d) => makeRecord({ seq: d + 1, at: dayAt(d) }));
    for (const r of recs) await first.save(r);
    expect(await first.count()).toBe(4);
    await first.close();

    const spy = spyFs();
    const second = createFileStore({ dir, fs: spy.fs });
    await second.open();
    expect(await second.count()).toBe(4); // from the cache; from here on kept current and saved at close
    for (const r of recs) await second.updateSync(r.id, ackedSync()); // outbox empty: open() reads no shard
    await second.close();

    // Behind the store's back, while closed: a fifth record appears in an existing shard.
    const day3 = shardDayOf(recs[3]!.id);
    const extra = makeRecord({ seq: 9, at: dayAt(3, 5), sync: ackedSync() });
    const shardFile = join(dir, "records", `${day3}.json`);
    const shard = JSON.parse(await readFile(shardFile, "utf8"));
    shard.records[extra.id] = extra;
    await writeFile(shardFile, JSON.stringify(shard));

    const reads: string[] = [];
    const third = createFileStore({
      dir,
      fs: {
        ...spy.fs,
        readFile: (p) => {
          reads.push(p);
          return spy.fs.readFile(p);
        },
      },
    });
    await third.open();
    expect(await third.count()).toBe(5);
    const shardReads = reads.filter((p) => p.includes(`${join(dir, "records")}`));
    expect(shardReads).toEqual([shardFile]); // only the shard whose signature changed
    await third.close();
  });
});
