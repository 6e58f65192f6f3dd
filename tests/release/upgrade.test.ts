/**
 * Upgrading a station in the field: the previous release, rebuilt from git history, makes a
 * data folder with a backlog it could not upload; this release starts on it, reads everything,
 * and uploads the whole backlog exactly once. A migration that fails leaves that folder exactly
 * as it was, and the previous release still starts on it. Rolling back: after this release stops
 * cleanly, the release before the person-index delta finds every check-up in a person's history.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_FORMAT, prepareDataDir } from "../../station/data-format/migrate.js";
import { createFileStore } from "../../station/storage/file-store.js";
import type { UploadStatus } from "../../station/upload/status.js";
import { ROOT } from "../e2e/station-process.js";
import { readArchive } from "../faults/lib/archive-read.js";
import { killAll, spawnUntilReady } from "../faults/lib/children.js";
import { checkupViaSim, readStation, roster } from "../faults/lib/records.js";
import { until } from "../faults/lib/wait.js";
import { treeHashes } from "../lib/tree-hash.js";

/** The last release that landed before data format versions (session 7's issue 5). */
const PREVIOUS = "f575ff8";
/** The last release before the person-index delta (docs/adr/0009): it reads buckets only. */
const BEFORE_DELTA = "805c917";
const BACKLOG = 30;
let work: string;
let prev: string;
let beforeDelta: string;

const tree = treeHashes;

async function config(
  name: string,
  dataDir: string,
  upload: unknown,
  extra: Record<string, unknown> = {},
): Promise<string> {
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
      ...extra,
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
  const request = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${url}${path}`, init);
    if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${path} → ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    get: <T>(path: string) => request<T>(path),
    post: <T>(path: string, body: unknown) =>
      request<T>(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    upload: async () => (await (await fetch(`${url}/api/upload`)).json()) as UploadStatus,
    stop: () => child.signal("SIGTERM"),
  };
}

// Nothing listens here: the previous release keeps its backlog.
const deadBroker = { broker: { url: "mqtt://127.0.0.1:9" }, ackTimeoutSeconds: 5 };

/** A release's sources from git history (a CI clone has the full history), run with tsx. */
function extract(commit: string, dir: string): void {
  const archive = spawnSync("git", ["archive", "--format=tar", commit], { cwd: ROOT, maxBuffer: 256 << 20 });
  if (archive.status !== 0) throw new Error(`git archive ${commit}: ${archive.stderr}`);
  execFileSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  // Same dependencies (its package.json names the same versions).
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
}

/** Each person's record ids as `tree`'s own store code reads them (byPerson: the health card). */
function histories(tree: string, dataDir: string, people: string[]): Record<string, string[]> {
  const out = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `import { createFileStore } from "./station/storage/file-store.ts";
       const store = createFileStore({ dir: ${JSON.stringify(dataDir)} });
       await store.open();
       const out = {};
       for (const p of ${JSON.stringify(people)}) out[p] = (await store.byPerson(p)).map((r) => r.id).sort();
       await store.close();
       console.log(JSON.stringify(out));`,
    ],
    { cwd: tree, encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Record<string, string[]>;
}

/** Record id → ID number, read without folding anything (this store keeps a delta it finds). */
async function owners(dataDir: string, ids: string[]): Promise<Map<string, string>> {
  const store = createFileStore({ dir: dataDir, personDeltaFoldAtClose: false });
  await store.open();
  const out = new Map<string, string>();
  for (const id of ids) out.set(id, (await store.get(id))!.person.idNumber);
  await store.close();
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "upgrade-"));
  prev = join(work, "previous");
  beforeDelta = join(work, "before-delta");
  await mkdir(prev);
  await mkdir(beforeDelta);
  extract(PREVIOUS, prev);
  extract(BEFORE_DELTA, beforeDelta);
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

  it(`after a clean stop and prepare-rollback, ${BEFORE_DELTA} (before the person-index delta) sees every record of a person's history`, async () => {
    const dataDir = join(work, "rollback-data");
    // This release saves check-ups as the kiosk does; their index entries reach the delta when
    // the journal is compacted, at the latest at stop.
    const cfg = await config("rollback-next", dataDir, deadBroker, { workflow: { bpRepeatPauseSeconds: 0 } });
    const next = await station(ROOT, cfg);
    const [first, second] = await roster(next, 2);
    const ids: string[] = [];
    for (const v of [first!, first!, second!, first!]) ids.push(await checkupViaSim(next, v));
    await next.stop();

    // A clean stop keeps the delta (folding at every stop would cost the SD card ~9× per check-up).
    const persons = join(dataDir, "persons");
    const deltas = async () =>
      (await Promise.all((await readdir(persons)).map((y) => readdir(join(persons, y))))).flat();
    expect(await deltas()).toContain("delta.log");
    // The technician's step before going back: this release's CLI folds it.
    execFileSync(
      process.execPath,
      ["--import", "tsx", "station/cli/main.ts", "prepare-rollback", "--config", cfg],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    expect(await deltas()).not.toContain("delta.log");
    // Read by the older release first (this release's own read would fold anything left over).
    const owner = await owners(dataDir, ids);
    const people = [...new Set(owner.values())];
    expect(people).toHaveLength(2);
    const old = histories(beforeDelta, dataDir, people);
    const now = histories(ROOT, dataDir, people);
    expect(old).toEqual(now);
    expect(Object.values(old).flat().sort()).toEqual([...ids].sort());
    expect(old[owner.get(ids[0]!)!]).toHaveLength(3);
  }, 240_000);
});
