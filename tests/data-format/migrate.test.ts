import { lstatSync, readdirSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DATA_FORMAT,
  type Migration,
  prepareDataDir,
  writeJsonDurably,
} from "../../station/data-format/migrate.js";
import { treeHashes } from "../lib/tree-hash.js";

let root: string;
beforeEach(async () => {
  root = join(await mkdtemp(join(tmpdir(), "format-")), "data");
});
afterEach(async () => {
  await rm(join(root, ".."), { recursive: true, force: true });
});

const tree = treeHashes;

/** A folder as the release before format versions left it. */
async function oldFolder(): Promise<void> {
  await mkdir(join(root, "records"), { recursive: true });
  await mkdir(join(root, "meta"), { recursive: true });
  await writeFile(join(root, "records/2026-11-01.json"), '{"v":1,"day":"2026-11-01","records":{}}');
  await writeFile(join(root, "meta/seq.json"), '{"v":1,"reserved":7}');
}

const format = async () => JSON.parse(await readFile(join(root, "FORMAT.json"), "utf8")).format as number;

/** Format 1 → 2: rewrites seq.json by rename (as every migration must) and adds a file. */
const rewriteSeq: Migration = {
  from: 1,
  describe: "seq.json gains a note",
  run: async (dir) => {
    await writeJsonDurably(join(dir, "meta/seq.json"), { v: 2, reserved: 7 });
    await writeJsonDurably(join(dir, "meta/added.json"), { v: 1 });
  },
};

describe("prepareDataDir", () => {
  it("marks a new folder with this release's format", async () => {
    expect(await prepareDataDir(root)).toEqual({ from: DATA_FORMAT, to: DATA_FORMAT });
    expect(await format()).toBe(DATA_FORMAT);
    expect((lstatSync(root).mode & 0o777).toString(8)).toBe("700");
  });

  it("reads a folder made before format versions as format 1, and changes none of its files", async () => {
    await oldFolder();
    const before = tree(root);
    expect(await prepareDataDir(root)).toEqual({ from: 1, to: 1 });
    const after = tree(root);
    delete after["FORMAT.json"];
    expect(after).toEqual(before);
  });

  it("runs the numbered migrations in order and commits the new format", async () => {
    await oldFolder();
    const ran: number[] = [];
    const m2: Migration = { from: 2, describe: "two", run: async () => void ran.push(2) };
    const m1: Migration = {
      ...rewriteSeq,
      run: async (d, l) => {
        ran.push(1);
        await rewriteSeq.run(d, l);
      },
    };
    expect(await prepareDataDir(root, { migrations: [m2, m1], target: 3 })).toEqual({ from: 1, to: 3 });
    expect(ran).toEqual([1, 2]);
    expect(await format()).toBe(3);
    expect(JSON.parse(await readFile(join(root, "meta/seq.json"), "utf8"))).toEqual({ v: 2, reserved: 7 });
    expect(readdirSync(root)).not.toContain(".migration");
  });

  it("undoes a migration that fails halfway: every file as before, the old format kept", async () => {
    await oldFolder();
    await prepareDataDir(root); // FORMAT.json = 1, as the previous release would leave it
    const before = tree(root);
    const failing: Migration = {
      from: 1,
      describe: "fails after writing",
      run: async (dir, log) => {
        await rewriteSeq.run(dir, log);
        throw new Error("disk full");
      },
    };
    await expect(prepareDataDir(root, { migrations: [failing], target: 2 })).rejects.toThrow(
      /data migration 1 → 2 failed and was undone.*disk full/,
    );
    expect(tree(root)).toEqual(before);
  });

  it("after a power cut during a migration, the next start restores the snapshot first", async () => {
    await oldFolder();
    await prepareDataDir(root);
    const before = tree(root);
    // A power cut in the middle of a migration leaves the snapshot and a half-changed folder.
    // A dead process cannot undo anything, so copy the folder at that moment and start on the copy.
    const midway = join(root, "..", "midway");
    const capture: Migration = {
      ...rewriteSeq,
      run: async (dir, log) => {
        await rewriteSeq.run(dir, log);
        await cp(dir, midway, { recursive: true });
        throw new Error("stop");
      },
    };
    await expect(prepareDataDir(root, { migrations: [capture], target: 2 })).rejects.toThrow();
    expect(readdirSync(midway)).toContain(".migration");
    expect(tree(midway)).not.toEqual(before);
    // The next start of this release (or of the previous one after a rollback of the unit):
    expect(await prepareDataDir(midway)).toEqual({ from: 1, to: 1 });
    expect(tree(midway)).toEqual(before);
    await rm(midway, { recursive: true, force: true });
  });

  it("refuses a folder written by a newer release, changing nothing", async () => {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "FORMAT.json"), '{"format":9,"writtenBy":"9.0.0"}');
    await expect(prepareDataDir(root)).rejects.toThrow(/format 9, and this release reads up to 1/);
    expect(await format()).toBe(9);
  });

  it("refuses when a migration is missing", async () => {
    await oldFolder();
    await expect(prepareDataDir(root, { migrations: [], target: 2 })).rejects.toThrow(
      /no migration from data format 1/,
    );
  });
});
