import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { segmentName } from "../../flows/archive/file-segments.js";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { archiveStoreContract } from "./archive-store.contract.js";
import { archived, recordId } from "./fixtures.js";

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "hs-archive-"));
}

archiveStoreContract("FileArchiveStore", async () => {
  const dir = await tempDir();
  let store = new FileArchiveStore({ dir });
  await store.open();
  return {
    store,
    reopen: async () => {
      await store.close();
      store = new FileArchiveStore({ dir });
      await store.open();
      return store;
    },
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe("FileArchiveStore on disk", () => {
  const dirs: string[] = [];
  const stores: FileArchiveStore[] = [];
  const openStore = async (dir: string, maxSegmentBytes?: number) => {
    const s = new FileArchiveStore({ dir, maxSegmentBytes });
    await s.open();
    stores.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const fresh = async () => {
    const d = await tempDir();
    dirs.push(d);
    return d;
  };

  it("writes one segment line per stored record, nothing for duplicates", async () => {
    const dir = await fresh();
    const s = await openStore(dir);
    await s.putMany([archived(1), archived(2), archived(1)]);
    await s.putMany([archived(2)]);
    const text = await readFile(join(dir, segmentName(1)), "utf8");
    expect(text.split("\n").filter(Boolean)).toHaveLength(2);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("truncates a torn last line on open: the record is absent, never half there, and can be stored again", async () => {
    const dir = await fresh();
    const s = await openStore(dir);
    await s.putMany([archived(1), archived(2)]);
    await s.close();
    stores.pop();
    const seg = join(dir, segmentName(1));
    const whole = (await stat(seg)).size;
    // A crash in the middle of the next group commit: half of record 3's line reached the disk.
    const line3 = (await readFile(seg, "utf8")).split("\n")[0]!.replaceAll(recordId(1), recordId(3));
    await appendFile(seg, line3.slice(0, 120));
    const again = await openStore(dir);
    expect(again.lastOpen).toMatchObject({ records: 2, truncatedBytes: 120, corruptLines: 0 });
    expect((await stat(seg)).size).toBe(whole);
    expect(await again.get(recordId(3))).toBeNull();
    expect(await again.putMany([archived(3)])).toEqual([{ id: recordId(3), status: "stored" }]);
    expect(await again.get(recordId(3))).toEqual(archived(3));
    expect(await again.get(recordId(2))).toEqual(archived(2));
  });

  it("cuts back at every possible torn length and still holds exactly the whole records", async () => {
    const dir = await fresh();
    const s = await openStore(dir);
    await s.putMany([archived(1)]);
    await s.putMany([archived(2)]);
    await s.close();
    stores.pop();
    const seg = join(dir, segmentName(1));
    const full = await readFile(seg);
    const firstEnd = full.indexOf(0x0a) + 1;
    for (let cut = firstEnd; cut < full.length; cut += 97) {
      await writeFile(seg, full.subarray(0, cut));
      const again = new FileArchiveStore({ dir });
      await again.open();
      expect(await again.count()).toBe(1);
      expect(await again.get(recordId(1))).toEqual(archived(1));
      await again.close();
    }
  });

  it("skips a damaged line in the middle without losing the records after it", async () => {
    const dir = await fresh();
    const s = await openStore(dir);
    await s.putMany([archived(1), archived(2), archived(3)]);
    await s.close();
    stores.pop();
    const seg = join(dir, segmentName(1));
    const lines = (await readFile(seg, "utf8")).split("\n");
    lines[1] = "\0".repeat(lines[1]!.length); // a zero-filled block after a power cut
    await writeFile(seg, lines.join("\n"));
    const again = await openStore(dir);
    expect(again.lastOpen).toMatchObject({ records: 2, corruptLines: 1 });
    expect(await again.get(recordId(3))).toEqual(archived(3));
  });

  it("rolls to a new segment past maxSegmentBytes and finds records in all of them after reopen", async () => {
    const dir = await fresh();
    const s = await openStore(dir, 4096);
    for (let i = 1; i <= 12; i++) await s.putMany([archived(i)]);
    const segs = (await readdir(dir)).filter((f) => f.startsWith("seg-"));
    expect(segs.length).toBeGreaterThan(1);
    await s.close();
    stores.pop();
    const again = await openStore(dir, 4096);
    expect(await again.count()).toBe(12);
    expect(await again.get(recordId(1))).toEqual(archived(1));
    expect(await again.get(recordId(12))).toEqual(archived(12));
  });

  it("refuses a second writer on the same directory, and takes over a lock left by a dead process", async () => {
    const dir = await fresh();
    await openStore(dir);
    await expect(new FileArchiveStore({ dir }).open()).rejects.toMatchObject({ code: "store-locked" });
    const dir2 = await fresh();
    await writeFile(join(dir2, "LOCK"), "2147483646"); // no such process
    const s2 = await openStore(dir2);
    expect(await s2.count()).toBe(0);
  });

  it("rejects putMany on a closed store instead of losing records silently", async () => {
    const s = new FileArchiveStore({ dir: await fresh() });
    await expect(s.putMany([archived(1)])).rejects.toMatchObject({ code: "store-closed" });
  });

  it("groups calls that arrive during a write into the next single write", async () => {
    const dir = await fresh();
    const s = await openStore(dir);
    const calls = Array.from({ length: 20 }, (_, i) => s.putMany([archived(i + 1)]));
    const results = await Promise.all(calls);
    expect(results.flat().every((r) => r.status === "stored")).toBe(true);
    // The first call is written alone; the 19 that queued behind it share one write.
    expect(s.writes).toBe(2);
    await s.close();
    stores.pop();
    // Nothing was torn or interleaved: every line is a whole record.
    const again = await openStore(dir);
    expect(again.lastOpen).toMatchObject({ records: 20, truncatedBytes: 0, corruptLines: 0 });
  });
});
