import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Low } from "lowdb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableJSONFile } from "../../station/storage/durable-adapter.js";
import type { FileHandleLike } from "../../station/storage/fs-layer.js";
import { nodeFs } from "../../station/storage/fs-layer.js";
import { createLogger } from "../../station/util/logger.js";
import { spyFs } from "./fixtures/fs-spy.js";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "durable-adapter-"));
  file = join(dir, "data.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("DurableJSONFile write", () => {
  it("writes a temp file, fsyncs and closes it, renames it over the target, then fsyncs the folder", async () => {
    const spy = spyFs();
    const db = new DurableJSONFile<{ n: number }>(file, { fs: spy.fs });
    await db.write({ n: 1 });
    const tmp = /^\.data\.json\.\d+-\d+-[0-9a-f]{8}\.tmp$/;
    const [open, write, sync, close, rename, openDir, syncDir, closeDir] = spy.calls;
    expect(open).toMatch(/^open \.data\.json\..*\.tmp wx$/);
    const tmpName = open!.split(" ")[1]!;
    expect(tmpName).toMatch(tmp);
    expect([write, sync, close]).toEqual([`write ${tmpName} 7`, `sync ${tmpName}`, `close ${tmpName}`]);
    expect(rename).toBe(`rename ${tmpName} -> data.json`);
    expect([openDir, syncDir, closeDir]).toEqual(["open <dir> r", "sync <dir>", "close <dir>"]);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ n: 1 });
  });

  it("keeps the previous version as .bak by hard link before renaming the new one in", async () => {
    const spy = spyFs();
    const db = new DurableJSONFile<{ n: number }>(file, { fs: spy.fs });
    await db.write({ n: 1 });
    spy.calls.length = 0;
    await db.write({ n: 2 });
    const link = spy.calls.findIndex((c) => c.startsWith("link data.json -> "));
    const bak = spy.calls.findIndex((c) => c.endsWith("-> data.json.bak"));
    const main = spy.calls.findIndex((c) => c.endsWith("-> data.json"));
    const dirSync = spy.calls.indexOf("sync <dir>");
    expect(link).toBeGreaterThan(spy.calls.findIndex((c) => c.startsWith("close .data.json")));
    expect(link).toBeLessThan(bak);
    expect(bak).toBeLessThan(main);
    expect(main).toBeLessThan(dirSync);
    expect(JSON.parse(await readFile(`${file}.bak`, "utf8"))).toEqual({ n: 1 });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ n: 2 });
  });

  it("does not resolve until the folder fsync has completed", async () => {
    let releaseDirSync!: () => void;
    const gate = new Promise<void>((r) => {
      releaseDirSync = r;
    });
    let reachedDirSync!: () => void;
    const reached = new Promise<void>((r) => {
      reachedDirSync = r;
    });
    const fs = {
      ...nodeFs,
      open: async (path: string, flags: string): Promise<FileHandleLike> => {
        const fh = await nodeFs.open(path, flags);
        if (path !== dir) return fh;
        return {
          ...fh,
          sync: async () => {
            reachedDirSync();
            await gate;
            await fh.sync();
          },
        };
      },
    };
    let done = false;
    const writing = new DurableJSONFile(file, { fs }).write({ n: 1 }).then(() => {
      done = true;
    });
    await reached;
    // The rename has happened (the file is complete), yet write() has not reported success.
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ n: 1 });
    expect(done).toBe(false);
    releaseDirSync();
    await writing;
    expect(done).toBe(true);
  });

  it("applies un-awaited writes in call order", async () => {
    const db = new DurableJSONFile<{ n: number }>(file);
    await Promise.all([1, 2, 3, 4, 5].map((n) => db.write({ n })));
    expect(await db.read()).toEqual({ n: 5 });
  });

  it("works as a lowdb 7 adapter", async () => {
    const low = new Low(new DurableJSONFile<{ items: string[] }>(file), { items: [] });
    await low.read();
    await low.update((d) => d.items.push("a"));
    const again = new Low(new DurableJSONFile<{ items: string[] }>(file), { items: [] });
    await again.read();
    expect(again.data.items).toEqual(["a"]);
  });
});

describe("DurableJSONFile read", () => {
  it("returns null for a missing file", async () => {
    expect(await new DurableJSONFile(file).read()).toBeNull();
  });

  it("never reads a leftover half-written temp file, and removes it", async () => {
    await writeFile(file, JSON.stringify({ n: 1 }));
    const leftover = join(dir, ".data.json.999-1-deadbeef.tmp");
    await writeFile(leftover, '{"n": 2, "trunc');
    const other = join(dir, ".other.json.999-1-deadbeef.tmp");
    await writeFile(other, "{");
    expect(await new DurableJSONFile(file).read()).toEqual({ n: 1 });
    const names = await readdir(dir);
    expect(names).not.toContain(".data.json.999-1-deadbeef.tmp");
    expect(names).toContain(".other.json.999-1-deadbeef.tmp"); // another file's temp is not ours to judge
  });

  it("treats a lone complete temp file as no data (it was never reported saved)", async () => {
    await writeFile(join(dir, ".data.json.999-2-deadbeef.tmp"), JSON.stringify({ n: 9 }));
    expect(await new DurableJSONFile(file).read()).toBeNull();
  });

  it("falls back to .bak when the main file does not parse, and says so", async () => {
    const warnings: string[] = [];
    const logger = createLogger("t", "debug", (level, _ns, msg) => {
      if (level === "warn") warnings.push(msg);
    });
    const db = new DurableJSONFile<{ n: number }>(file, { logger });
    await db.write({ n: 1 });
    await db.write({ n: 2 });
    await writeFile(file, '{"n": 2, "tor'); // a torn main file, as a media fault would leave it
    expect(await new DurableJSONFile(file, { logger }).read()).toEqual({ n: 1 });
    expect(warnings.join("\n")).toMatch(/data\.json.*data\.json\.bak/);
  });

  it("raises store-corrupt naming the file when neither the main file nor a backup parses", async () => {
    await writeFile(file, "{not json");
    const err = await new DurableJSONFile(file).read().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "store-corrupt", details: { file } });
    expect((err as Error).message).toContain(file);
    await writeFile(`${file}.bak`, "");
    await expect(new DurableJSONFile(file).read()).rejects.toMatchObject({ code: "store-corrupt" });
  });

  it("with backups off, a corrupt file is store-corrupt even if an old .bak exists", async () => {
    await writeFile(file, "");
    await writeFile(`${file}.bak`, JSON.stringify({ n: 1 }));
    await expect(new DurableJSONFile(file, { backup: false }).read()).rejects.toMatchObject({
      code: "store-corrupt",
    });
  });
});

describe("DurableJSONFile errors", () => {
  it.each([
    ["ENOSPC", "write", "disk-full"],
    ["EDQUOT", "write", "disk-full"],
    ["EROFS", "open", "disk-readonly"],
    ["EIO", "sync", "disk-io"],
  ] as const)("%s on %s → %s, the old file intact and no temp left", async (errno, op, code) => {
    const spy = spyFs();
    const db = new DurableJSONFile<{ n: number }>(file, { fs: spy.fs });
    await db.write({ n: 1 });
    spy.failWith = (o) => (o === op ? errno : undefined);
    await expect(db.write({ n: 2 })).rejects.toMatchObject({ code, details: { file, code: errno } });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ n: 1 });
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("maps EIO while reading to disk-io", async () => {
    const spy = spyFs();
    spy.failWith = (op) => (op === "read" ? "EIO" : undefined);
    await expect(new DurableJSONFile(file, { fs: spy.fs }).read()).rejects.toMatchObject({ code: "disk-io" });
  });
});
