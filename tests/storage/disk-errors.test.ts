import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore } from "../../station/storage/file-store.js";
import { shardDayOf } from "../../station/storage/keys.js";
import { type Op, spyFs } from "./fixtures/fs-spy.js";
import { dayAt, makeRecord } from "./fixtures/records.js";
import { assertEveryJsonParses } from "./fixtures/tree.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "store-disk-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seeded(failWith: (op: Op, path: string) => string | undefined, journal = true) {
  const spy = spyFs();
  const store = createFileStore({ dir, fs: spy.fs, journal });
  await store.open();
  const earlier = [0, 1, 2].map((i) => makeRecord({ seq: i + 1, at: dayAt(0, i) }));
  for (const r of earlier) await store.save(r);
  spy.failWith = failWith;
  return { store, spy, earlier };
}

/**
 * `mayLand`: the failed save's frame may be whole on disk though its fsync failed (the journal
 * could not be compacted either, the disk refusing every fsync). Its outcome is then unknown, as
 * for any write whose fsync failed: after a restart it is either absent or exactly as given.
 */
async function reopenAndCheck(
  earlier: ReturnType<typeof makeRecord>[],
  failed: ReturnType<typeof makeRecord>[],
  mayLand = false,
) {
  expect(await assertEveryJsonParses(dir)).toBeGreaterThan(0);
  const store = createFileStore({ dir });
  await store.open();
  for (const r of earlier) expect(await store.get(r.id)).toEqual(r);
  const landed: ReturnType<typeof makeRecord>[] = [];
  for (const f of failed) {
    const got = await store.get(f.id);
    if (mayLand && got) {
      expect(got).toEqual(f);
      landed.push(f);
    } else expect(got).toBeNull();
  }
  const expected = [...earlier, ...landed];
  expect((await store.pending()).map((r) => r.id)).toEqual(expected.map((r) => r.id));
  expect(await store.count()).toBe(expected.length);
  await store.close();
}

describe("file store on a failing disk", () => {
  it("ENOSPC on every write → disk-full; earlier records intact and every file parses", async () => {
    const { store, earlier } = await seeded((op) => (op === "write" ? "ENOSPC" : undefined));
    const next = makeRecord({ seq: 4, at: dayAt(0, 10) });
    await expect(store.save(next)).rejects.toMatchObject({ code: "disk-full" });
    expect(await store.get(next.id)).toBeNull();
    await store.close();
    await reopenAndCheck(earlier, [next]);
  });

  it("ENOSPC on the shard only (index intents written) → the dangling outbox id is dropped on open", async () => {
    // The earlier write path: the journal path writes no intent files on a save.
    const { store, earlier } = await seeded(
      (op, path) => (op === "write" && path.includes(`${sep}records${sep}`) ? "ENOSPC" : undefined),
      false,
    );
    const next = makeRecord({ seq: 4, at: dayAt(0, 10) });
    await expect(store.save(next)).rejects.toMatchObject({ code: "disk-full" });
    // The intent is on disk, but the in-process store never serves a record that did not land.
    const outbox = JSON.parse(await readFile(join(dir, "outbox", `${shardDayOf(next.id)}.json`), "utf8"));
    expect(outbox.ids).toContain(next.id);
    expect((await store.pending()).map((r) => r.id)).toEqual(earlier.map((r) => r.id));
    expect(await store.count()).toBe(3);
    await store.close();
    await reopenAndCheck(earlier, [next]);
    const outboxAfter = JSON.parse(
      await readFile(join(dir, "outbox", `${shardDayOf(next.id)}.json`), "utf8"),
    );
    expect(outboxAfter.ids).not.toContain(next.id);
  });

  it("EDQUOT → disk-full, EROFS → disk-readonly, EIO → disk-io", async () => {
    let errno = "EDQUOT";
    const { store, earlier } = await seeded((op) => (op === "sync" ? errno : undefined));
    const expected: Record<string, string> = { EDQUOT: "disk-full", EROFS: "disk-readonly", EIO: "disk-io" };
    const tried: ReturnType<typeof makeRecord>[] = [];
    for (const [code, stationCode] of Object.entries(expected)) {
      errno = code;
      const r = makeRecord({ seq: 10, at: dayAt(0, 30) });
      tried.push(r);
      await expect(store.save(r)).rejects.toMatchObject({ code: stationCode });
    }
    await store.close();
    await reopenAndCheck(earlier, tried, true);
  });

  it("recovers once the disk has room again", async () => {
    let full = true;
    const { store, earlier } = await seeded((op) => (full && op === "write" ? "ENOSPC" : undefined));
    const next = makeRecord({ seq: 4, at: dayAt(0, 10) });
    await expect(store.save(next)).rejects.toMatchObject({ code: "disk-full" });
    full = false;
    await store.save(next);
    expect((await store.pending()).map((r) => r.id)).toEqual([...earlier, next].map((r) => r.id));
    await store.close();
  });

  it("a shard whose main file and backup are both unreadable → store-corrupt naming the file", async () => {
    const { store, earlier } = await seeded(() => undefined);
    await store.close();
    const shard = join(dir, "records", `${shardDayOf(earlier[0]!.id)}.json`);
    await writeFile(shard, '{"v":1,"records":{"01');
    await writeFile(`${shard}.bak`, "");
    const again = createFileStore({ dir });
    // The shard holds pending records, so open() itself reads it while checking the outbox.
    const err = await again.open().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "store-corrupt", details: { file: shard } });
    expect((err as Error).message).toContain(shard);
  });

  it("a shard with a torn main file but a good backup is read from the backup", async () => {
    // Each save rewrites the shard on the earlier path, so there is a backup to fall back on.
    const { store, earlier } = await seeded(() => undefined, false);
    await store.close();
    const shard = join(dir, "records", `${shardDayOf(earlier[0]!.id)}.json`);
    await writeFile(shard, '{"v":1,"records":{"01');
    const again = createFileStore({ dir });
    await again.open();
    // The backup is the version before the last save: the two earlier records are there.
    expect(await again.get(earlier[0]!.id)).toEqual(earlier[0]);
    expect(await again.get(earlier[1]!.id)).toEqual(earlier[1]);
    await again.close();
  });
});
