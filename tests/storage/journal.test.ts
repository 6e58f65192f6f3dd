/** The save journal (docs/adr/0007-save-journal.md): frame format, replay, and what a save writes. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore } from "../../station/storage/file-store.js";
import { decodeJournal, encodeFrame } from "../../station/storage/journal.js";
import { shardDayOf } from "../../station/storage/keys.js";
import { readDay, readPersonRecords, storedDays } from "../../station/storage/read-only.js";
import { spyFs } from "./fixtures/fs-spy.js";
import { ackedSync, dayAt, makeRecord } from "./fixtures/records.js";
import { assertEveryJsonParses } from "./fixtures/tree.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "store-journal-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const recs = [0, 1, 2].map((i) => makeRecord({ seq: i + 1, at: dayAt(0, i) }));
const day = shardDayOf(recs[0]!.id);

describe("journal frames", () => {
  it("decodes whole frames and drops a torn last one", () => {
    const whole = encodeFrame([recs[0]!]) + encodeFrame([recs[1]!]);
    const torn = encodeFrame([recs[2]!]).slice(0, 40);
    const d = decodeJournal(whole + torn);
    expect(d.records).toEqual([recs[0], recs[1]]);
    expect(d).toMatchObject({ frames: 2, damaged: 0, tornTail: true, bytes: Buffer.byteLength(whole) });
  });

  it("a last frame with its newline but a wrong checksum is a torn tail, not damage", () => {
    const bad = encodeFrame([recs[1]!]).replace('"seq":2', '"seq":9');
    const d = decodeJournal(encodeFrame([recs[0]!]) + bad);
    expect(d.records).toEqual([recs[0]]);
    expect(d).toMatchObject({ damaged: 0, tornTail: true });
  });

  it("a damaged frame in the middle is counted and skipped; later frames still count", () => {
    const bad = encodeFrame([recs[1]!]).replace('"seq":2', '"seq":9');
    const d = decodeJournal(encodeFrame([recs[0]!]) + bad + encodeFrame([recs[2]!]));
    expect(d.records).toEqual([recs[0], recs[2]]);
    expect(d).toMatchObject({ frames: 2, damaged: 1, tornTail: false });
  });
});

describe("journal replay at open", () => {
  it("a journal with a torn tail left by a crash: whole frames are restored and compacted", async () => {
    const acked = { ...recs[0]!, sync: ackedSync() };
    await mkdir(join(dir, "journal"), { recursive: true });
    const text =
      encodeFrame([recs[0]!, recs[1]!]) + encodeFrame([acked]) + encodeFrame([recs[2]!]).slice(0, 99);
    await writeFile(join(dir, "journal", `${day}.log`), text);
    const store = createFileStore({ dir });
    await store.open();
    expect(await store.get(recs[0]!.id)).toEqual(acked); // the later frame wins
    expect(await store.get(recs[1]!.id)).toEqual(recs[1]);
    expect(await store.get(recs[2]!.id)).toBeNull();
    expect((await store.pending()).map((r) => r.id)).toEqual([recs[1]!.id]);
    expect((await store.byPerson(recs[1]!.person.idNumber)).map((r) => r.id)).toContain(recs[1]!.id);
    expect(await store.count()).toBe(2);
    expect(await store.quarantined()).toEqual([]);
    // Compacted at open: the journal is gone and the shard and outbox hold its content.
    expect(await readdir(join(dir, "journal"))).toEqual([]);
    const shard = JSON.parse(await readFile(join(dir, "records", `${day}.json`), "utf8"));
    expect(Object.keys(shard.records).sort()).toEqual([recs[0]!.id, recs[1]!.id].sort());
    const outbox = JSON.parse(await readFile(join(dir, "outbox", `${day}.json`), "utf8"));
    expect(outbox.ids).toEqual([recs[1]!.id]);
    expect(await assertEveryJsonParses(dir)).toBeGreaterThan(0);
    await store.close();
  });

  it("a store saving the earlier way (journal: false) still replays a journal it finds", async () => {
    await mkdir(join(dir, "journal"), { recursive: true });
    await writeFile(join(dir, "journal", `${day}.log`), encodeFrame([recs[0]!]));
    const store = createFileStore({ dir, journal: false });
    await store.open();
    expect(await store.get(recs[0]!.id)).toEqual(recs[0]);
    await store.close();
  });
});

describe("what a journalled save writes", () => {
  it("one append and one fsync of the journal file; the folder is fsynced only when the journal is new", async () => {
    const spy = spyFs();
    const store = createFileStore({ dir, fs: spy.fs });
    await store.open();
    await store.nextSeq(); // the sequence block is reserved here, not inside the measured saves
    spy.calls.length = 0;
    await store.save(recs[0]!);
    expect(spy.calls).toEqual([
      "open <dir> a",
      `write <dir> ${Buffer.byteLength(encodeFrame([recs[0]!]))}`,
      "sync <dir>",
      "close <dir>",
      "open <dir> r",
      "sync <dir>",
      "close <dir>",
    ]);
    spy.calls.length = 0;
    await store.save(recs[1]!);
    expect(spy.calls).toEqual([
      "open <dir> a",
      `write <dir> ${Buffer.byteLength(encodeFrame([recs[1]!]))}`,
      "sync <dir>",
      "close <dir>",
    ]);
    // An ack batch for the day is one frame too.
    spy.calls.length = 0;
    await store.updateSyncMany(recs.slice(0, 2).map((r) => ({ id: r.id, sync: ackedSync() })));
    expect(spy.calls.filter((c) => c.startsWith("sync"))).toEqual(["sync <dir>"]);
    expect(await store.pendingCount()).toBe(0);
    await store.close();
    const again = createFileStore({ dir });
    await again.open();
    expect((await again.get(recs[1]!.id))?.sync.status).toBe("acked");
    expect(await again.pendingCount()).toBe(0);
    await again.close();
  });

  it("a full journal is compacted after the save that filled it, and reads stay right throughout", async () => {
    const store = createFileStore({ dir, journalMaxFrames: 2 });
    await store.open();
    const many = Array.from({ length: 5 }, (_, i) => makeRecord({ seq: i + 1, at: dayAt(0, i) }));
    for (const r of many) await store.save(r);
    expect((await store.listByDay(day)).map((r) => r.id)).toEqual(many.map((r) => r.id));
    await store.close();
    const shard = JSON.parse(await readFile(join(dir, "records", `${day}.json`), "utf8"));
    expect(Object.keys(shard.records)).toHaveLength(5);
    expect(await readdir(join(dir, "journal"))).toEqual([]);
  });
});

describe("compacting upload acks", () => {
  const personFiles = (spy: ReturnType<typeof spyFs>) => {
    const touched: string[] = [];
    spy.failWith = (op, path) => {
      if (path.includes(`${join(dir, "persons")}`)) touched.push(`${op} ${path}`);
      return undefined;
    };
    return touched;
  };

  it("a past day that only took acks is folded without reading or writing a person bucket", async () => {
    // Records already in their shard (saved the earlier way): indexed before they were stored.
    const seed = createFileStore({ dir, journal: false });
    await seed.open();
    for (const r of recs) await seed.save(r);
    await seed.close();
    const spy = spyFs();
    const store = createFileStore({ dir, fs: spy.fs });
    await store.open();
    const touched = personFiles(spy);
    await store.updateSyncMany(recs.map((r) => ({ id: r.id, sync: ackedSync() })));
    await store.close(); // compacts the journal
    expect(touched).toEqual([]);
    expect(await readdir(join(dir, "journal"))).toEqual([]);
    const again = createFileStore({ dir });
    await again.open();
    expect(await again.pendingCount()).toBe(0);
    const mine = await again.byPerson(recs[0]!.person.idNumber);
    expect(mine.map((r) => r.sync.status)).toEqual(mine.map(() => "acked"));
    expect(mine.length).toBeGreaterThan(0);
    await again.close();
  });

  it("a record saved and acked while its save is still only in the journal is indexed at compaction", async () => {
    const store = createFileStore({ dir });
    await store.open();
    for (const r of recs) await store.save(r);
    await store.updateSyncMany(recs.map((r) => ({ id: r.id, sync: ackedSync() })));
    expect(await readdir(join(dir, "journal"))).toEqual([`${day}.log`]);
    await store.close();
    expect(await readdir(join(dir, "journal"))).toEqual([]);
    // The person index on disk, read the way the CLI export reads it (no store open).
    for (const r of recs) {
      const theirs = await readPersonRecords(dir, r.person.idNumber);
      expect(theirs.map((x) => x.id)).toContain(r.id);
      expect(theirs.find((x) => x.id === r.id)?.sync.status).toBe("acked");
    }
  });
});

describe("read-only readers (CLI export, doctor lists) beside a running store", () => {
  it("see saves that are still only in the journal", async () => {
    const store = createFileStore({ dir });
    await store.open();
    for (const r of recs) await store.save(r);
    const acked = { ...recs[1]!, sync: ackedSync() };
    await store.updateSync(acked.id, acked.sync);
    expect(await readdir(join(dir, "journal"))).toEqual([`${day}.log`]);
    expect(await storedDays(dir)).toEqual([day]);
    const byId = new Map((await readDay(dir, day)).map((r) => [r.id, r]));
    expect(byId.get(recs[0]!.id)).toEqual(recs[0]);
    expect(byId.get(acked.id)).toEqual(acked);
    const mine = await readPersonRecords(dir, recs[0]!.person.idNumber);
    expect(mine.map((r) => r.id).sort()).toEqual(
      recs
        .filter((r) => r.person.idNumber === recs[0]!.person.idNumber)
        .map((r) => r.id)
        .sort(),
    );
    await store.close();
  });
});
