/**
 * The data folder's format version and its numbered migrations, run before any module opens
 * the folder. A migration never leaves a half-converted folder behind:
 *
 *   1. a hard-link snapshot of the folder goes to `.migration/snapshot` (no copying: every file
 *      in the folder is replaced by rename, never changed in place, so the links keep the old
 *      contents); `.migration/state.json` says which format it holds;
 *   2. the migrations run, each writing its files by temp → fsync → rename;
 *   3. FORMAT.json is written (the commit point), then the snapshot is removed.
 *
 * A migration that throws, or a power cut before step 3, leaves the snapshot: it is moved back
 * (now, or at the next start) so the folder is exactly as the previous release left it, and
 * that release still starts on it. A folder without FORMAT.json but with records was made by a
 * release from before format versions: format 1.
 */
import { randomUUID } from "node:crypto";
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";

/** The format this release reads and writes. */
export const DATA_FORMAT = 1;

export interface Migration {
  /** Takes the folder from format `from` to `from + 1`. */
  from: number;
  describe: string;
  run(root: string, log: Logger): Promise<void>;
}

/** Numbered migrations, oldest first. Format 1 is the first versioned format: none yet. */
export const MIGRATIONS: readonly Migration[] = [];

const FORMAT_FILE = "FORMAT.json";
const WORK = ".migration";

interface FormatFile {
  format: number;
  /** Which release wrote it, for the technician. */
  writtenBy: string;
}

async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(
    () => true,
    () => false,
  );
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Durable small JSON write, for migrations and FORMAT.json. */
export async function writeJsonDurably(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  const fh = await fsp.open(tmp, "wx", 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(value)}\n`, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, path);
  await syncDir(join(path, ".."));
}

async function readFormat(root: string): Promise<number | null> {
  let text: string;
  try {
    text = await fsp.readFile(join(root, FORMAT_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const parsed = JSON.parse(text) as Partial<FormatFile>;
  if (!Number.isInteger(parsed.format) || (parsed.format ?? 0) < 1)
    throw new StationError(
      "data-format-unreadable",
      `${FORMAT_FILE} holds no format number: ${text.slice(0, 80)}`,
    );
  return parsed.format as number;
}

/** Every entry of the folder except the migration's own work area. */
async function entries(root: string): Promise<string[]> {
  return (await fsp.readdir(root)).filter((n) => n !== WORK);
}

/** Hard-links the tree at `from` into `to` (folders are made, files are linked). */
async function linkTree(from: string, to: string, skip?: string): Promise<void> {
  await fsp.mkdir(to, { recursive: true, mode: 0o700 });
  for (const d of await fsp.readdir(from, { withFileTypes: true })) {
    if (d.name === skip) continue;
    const src = join(from, d.name);
    const dst = join(to, d.name);
    if (d.isDirectory()) await linkTree(src, dst);
    else await fsp.link(src, dst);
  }
}

/** Puts the snapshot back: the folder becomes exactly what it was before the migration. */
async function restore(root: string, log: Logger): Promise<void> {
  const snapshot = join(root, WORK, "snapshot");
  if (await exists(snapshot)) {
    for (const name of await entries(root)) await fsp.rm(join(root, name), { recursive: true, force: true });
    for (const name of await fsp.readdir(snapshot)) await fsp.rename(join(snapshot, name), join(root, name));
    await syncDir(root);
    log.warn("data folder restored from the snapshot taken before an unfinished migration");
  }
  await fsp.rm(join(root, WORK), { recursive: true, force: true });
  await syncDir(root);
}

export interface PrepareOptions {
  logger?: Logger;
  version?: string;
  /** Injected by tests; the release's own list by default. */
  migrations?: readonly Migration[];
  target?: number;
}

/** Brings the data folder to this release's format; returns the format it was found in. */
export async function prepareDataDir(
  root: string,
  o: PrepareOptions = {},
): Promise<{ from: number; to: number }> {
  const log = o.logger ?? silentLogger;
  const migrations = o.migrations ?? MIGRATIONS;
  const target = o.target ?? DATA_FORMAT;
  const writtenBy = o.version ?? "dev";
  await fsp.mkdir(root, { recursive: true, mode: 0o700 });

  // An unfinished migration (power cut, crash): undo it before anything reads the folder.
  if (await exists(join(root, WORK))) await restore(root, log);

  let from = await readFormat(root);
  if (from === null) {
    const made = (await entries(root)).length > 0;
    from = made ? 1 : target;
    await writeJsonDurably(join(root, FORMAT_FILE), { format: from, writtenBy } satisfies FormatFile);
    if (from === target) return { from, to: target };
  }
  if (from > target)
    throw new StationError(
      "data-format-newer",
      `数据格式 ${from} 比本版本新 / the data folder is format ${from}, and this release reads up to ${target}: install the newer release again`,
    );
  if (from === target) return { from, to: target };

  const steps: Migration[] = [];
  for (let f = from; f < target; f++) {
    const m = migrations.find((x) => x.from === f);
    if (!m) throw new StationError("data-migration-missing", `no migration from data format ${f}`);
    steps.push(m);
  }
  log.info(`data folder: format ${from} → ${target} (${steps.map((s) => s.describe).join("; ")})`);
  await fsp.mkdir(join(root, WORK), { mode: 0o700 });
  await linkTree(root, join(root, WORK, "snapshot"), WORK).catch(async (e: Error) => {
    await fsp.rm(join(root, WORK), { recursive: true, force: true });
    throw new StationError("data-migration-failed", `cannot snapshot the data folder: ${e.message}`);
  });
  await writeJsonDurably(join(root, WORK, "state.json"), { from, to: target });
  try {
    for (const m of steps) await m.run(root, log);
    await writeJsonDurably(join(root, FORMAT_FILE), { format: target, writtenBy } satisfies FormatFile);
  } catch (e) {
    await restore(root, log);
    throw new StationError(
      "data-migration-failed",
      `数据升级失败，旧数据未改动 / data migration ${from} → ${target} failed and was undone; the previous release still reads this folder: ${(e as Error).message}`,
    );
  }
  await fsp.rm(join(root, WORK), { recursive: true, force: true });
  await syncDir(root);
  log.info(`data folder: now format ${target}`);
  return { from, to: target };
}
