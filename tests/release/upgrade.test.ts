/**
 * Upgrading a station in the field: the previous release, rebuilt from git history, makes a
 * data folder with a backlog it could not upload; this release starts on it, reads everything,
 * and uploads the whole backlog exactly once. A migration that fails leaves that folder exactly
 * as it was, and the previous release still starts on it.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_FORMAT, prepareDataDir } from "../../station/data-format/migrate.js";
import type { UploadStatus } from "../../station/upload/status.js";
import { ROOT } from "../e2e/station-process.js";
import { readArchive } from "../faults/lib/archive-read.js";
import { killAll, spawnUntilReady } from "../faults/lib/children.js";
import { readStation } from "../faults/lib/records.js";
import { until } from "../faults/lib/wait.js";
import { treeHashes } from "../lib/tree-hash.js";

/** The last release that landed before data format versions (session 7's issue 5). */
const PREVIOUS = "f575ff8";
const BACKLOG = 30;
let work: string;
let prev: string;

const tree = treeHashes;

async function config(name: string, dataDir: string, upload: unknown): Promise<string> {
  const path = join(work, `${name}.json`);
  await writeFile(
    path,
    JSON.stringify({
      version: 1,
      station: { id: "upgrade-station", countyId: "demo-county" },
      server: { port: 0 },
      dataDir,
      devices: { mode: "sim", simTransport: "mock" },
      upload,
      log: { level: "warn" },
    }),
  );
  return path;
}

/** Starts a station from `tree` (the previous release or this one) and returns its API. */
async function station(tree: string, configPath: string) {
  const child = await spawnUntilReady(
    process.execPath,
    ["--import", "tsx", "station/main.ts", "--config", configPath],
    { cwd: tree, env: { ...process.env, NODE_ENV: "production" } },
    /^READY (http:\/\/\S+)$/m,
    `station from ${tree === ROOT ? "this release" : PREVIOUS}`,
    60_000,
  );
  const url = child.ready[1];
  return {
    upload: async () => (await (await fetch(`${url}/api/upload`)).json()) as UploadStatus,
    stop: () => child.signal("SIGTERM"),
  };
}

// Nothing listens here: the previous release keeps its backlog.
const deadBroker = { broker: { url: "mqtt://127.0.0.1:9" }, ackTimeoutSeconds: 5 };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "upgrade-"));
  prev = join(work, "previous");
  await mkdir(prev);
  // The previous release's sources from git history (a CI clone has the full history).
  const archive = spawnSync("git", ["archive", "--format=tar", PREVIOUS], {
    cwd: ROOT,
    maxBuffer: 256 << 20,
  });
  if (archive.status !== 0) throw new Error(`git archive ${PREVIOUS}: ${archive.stderr}`);
  execFileSync("tar", ["-x", "-C", prev], { input: archive.stdout });
  // Same dependencies (its package.json names the same versions); it runs from source with tsx.
  symlinkSync(join(ROOT, "node_modules"), join(prev, "node_modules"));
}, 120_000);

afterAll(async () => {
  await killAll();
  await rm(work, { recursive: true, force: true });
});

describe(`upgrade from ${PREVIOUS}`, () => {
  it("keeps every record of the previous release and uploads its backlog exactly once", async () => {
    const dataDir = join(work, "data");
    // The previous release's own store code saves a backlog over several days.
    const seeded = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { seedPending } from "./tests/faults/lib/records.ts";
         console.log(JSON.stringify(await seedPending(${JSON.stringify(dataDir)}, "upgrade-station", ${BACKLOG}, 7)));`,
      ],
      { cwd: prev, encoding: "utf8" },
    );
    const ids = JSON.parse(seeded.trim().split("\n").pop() ?? "[]") as string[];
    expect(ids).toHaveLength(BACKLOG);

    // The previous station runs on it and cannot upload.
    const old = await station(prev, await config("previous", dataDir, deadBroker));
    expect((await old.upload()).pending).toBe(BACKLOG);
    await old.stop();

    // A migration that fails leaves the folder as it was, and the previous release still runs.
    const copy = join(work, "copy");
    await cp(dataDir, copy, { recursive: true });
    const before = tree(copy);
    await expect(
      prepareDataDir(copy, {
        target: DATA_FORMAT + 1,
        migrations: [
          {
            from: DATA_FORMAT,
            describe: "a migration that fails",
            run: async (root) => {
              await writeFile(join(root, "records", "half-written.json"), "{");
              throw new Error("injected failure");
            },
          },
        ],
      }),
    ).rejects.toThrow(/failed and was undone/);
    const after = tree(copy);
    delete after["FORMAT.json"]; // written on first sight (format 1), before the migration began
    expect(after).toEqual(before);
    const oldAgain = await station(prev, await config("previous-again", copy, deadBroker));
    expect((await oldAgain.upload()).pending).toBe(BACKLOG);
    await oldAgain.stop();

    // This release on the previous release's folder, with the county archive reachable.
    const archiveDir = join(work, "archive");
    const next = await station(
      ROOT,
      await config("next", dataDir, { broker: "embedded", embeddedArchiveDir: archiveDir }),
    );
    await until(
      () => next.upload(),
      (u) => u.pending === 0,
      "the backlog drained",
      60_000,
      200,
    );
    await next.stop();

    const held = await readStation(dataDir);
    expect(held.quarantined).toBe(0);
    expect(held.saved.sort()).toEqual([...ids].sort());
    expect(held.pending).toEqual([]);
    const archived = await readArchive({ kind: "file", dir: archiveDir });
    expect(archived.corrupt).toBe(0);
    expect(archived.ids.sort()).toEqual([...ids].sort());
  }, 240_000);
});
