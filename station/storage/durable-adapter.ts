/**
 * A lowdb 7 adapter that survives power cuts, not only crashed processes. lowdb's own JSONFile
 * (steno) renames a temp file without any fsync, so after a power cut the file can be empty or
 * torn. Here a write is: unique temp file in the same folder → write → fsync → close → keep the
 * previous version as `.bak` (a hard link, no data copied) → rename over the target → fsync the
 * folder. Only when all of that has resolved does write() resolve.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";
import { storeCorrupt, toStorageError } from "./errors.js";
import { errnoCode, type FileHandleLike, type FsLayer, nodeFs } from "./fs-layer.js";

export interface DurableFileOptions {
  fs?: FsLayer;
  /** Keep the previous version as `<file>.bak` and read it when the main file does not parse. Default true. */
  backup?: boolean;
  /** Remove this file's leftover temp files on the first read. The store sweeps whole folders itself. */
  sweepOnFirstRead?: boolean;
  logger?: Logger;
}

const TEMP_SUFFIX = ".tmp";
let tempCounter = 0;

/** True for names this adapter gives its temp files (`.<name>.<unique>.tmp`); never data. */
export function isTempName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
}

/** Deletes leftover temp files in `dir` (a crashed write); they never hold data we reported saved. */
export async function sweepTemps(dir: string, fs: FsLayer = nodeFs, only?: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return 0;
    throw toStorageError(err, dir);
  }
  let removed = 0;
  for (const name of names) {
    if (!isTempName(name) || (only !== undefined && !name.startsWith(`.${only}.`))) continue;
    await fs.unlink(join(dir, name)).catch(() => {});
    removed++;
  }
  return removed;
}

/** fsync a directory so a rename in it is on disk. Platforms that cannot (Windows) are skipped. */
export async function syncDir(dir: string, fs: FsLayer = nodeFs): Promise<void> {
  let fh: FileHandleLike;
  try {
    fh = await fs.open(dir, "r");
  } catch (err) {
    if (["EISDIR", "EPERM", "EACCES"].includes(errnoCode(err) ?? "")) return;
    throw toStorageError(err, dir);
  }
  try {
    await fh.sync();
  } catch (err) {
    if (!["EINVAL", "EPERM", "EBADF", "ENOTSUP"].includes(errnoCode(err) ?? ""))
      throw toStorageError(err, dir);
  } finally {
    await fh.close().catch(() => {});
  }
}

type ReadResult<T> = { kind: "ok"; value: T } | { kind: "missing" } | { kind: "corrupt"; reason: string };

export class DurableJSONFile<T> implements Adapter<T> {
  readonly filename: string;
  readonly backupFile: string;
  readonly #dir: string;
  readonly #base: string;
  readonly #fs: FsLayer;
  readonly #backup: boolean;
  readonly #logger: Logger;
  #swept: boolean;
  /** write() calls land in call order even when callers do not await each other. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(filename: string, opts: DurableFileOptions = {}) {
    this.filename = filename;
    this.backupFile = `${filename}.bak`;
    this.#dir = dirname(filename);
    this.#base = basename(filename);
    this.#fs = opts.fs ?? nodeFs;
    this.#backup = opts.backup ?? true;
    this.#logger = opts.logger ?? silentLogger;
    this.#swept = opts.sweepOnFirstRead === false;
  }

  /** Queued behind pending writes, so a read never sees an older version than a write already issued. */
  read(): Promise<T | null> {
    const run = this.#queue.then(() => this.#read());
    this.#queue = run.catch(() => {});
    return run;
  }

  async #read(): Promise<T | null> {
    if (!this.#swept) {
      await sweepTemps(this.#dir, this.#fs, this.#base);
      this.#swept = true;
    }
    const main = await this.#readJson(this.filename);
    if (main.kind === "ok") return main.value;
    if (!this.#backup) {
      if (main.kind === "missing") return null;
      throw storeCorrupt(this.filename, main.reason);
    }
    const bak = await this.#readJson(this.backupFile);
    if (bak.kind === "ok") {
      // The newest change may be lost; say so loudly rather than pretend nothing happened.
      this.#logger.warn(
        `${this.filename} ${main.kind === "missing" ? "missing" : `unreadable (${main.kind === "corrupt" ? main.reason : ""})`}; using ${this.backupFile}`,
      );
      return bak.value;
    }
    if (main.kind === "missing" && bak.kind === "missing") return null;
    if (main.kind === "missing") throw storeCorrupt(this.backupFile, (bak as { reason: string }).reason);
    throw storeCorrupt(this.filename, `${main.reason}; no usable backup`);
  }

  write(data: T): Promise<void> {
    const run = this.#queue.then(() => this.#write(data));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #write(data: T): Promise<void> {
    const json = JSON.stringify(data);
    const tmp = this.#tempName();
    let fh: FileHandleLike | undefined;
    try {
      fh = await this.#fs.open(tmp, "wx");
      await fh.writeFile(json);
      await fh.sync();
      const closing = fh;
      fh = undefined;
      await closing.close();
      if (this.#backup) await this.#keepBackup();
      await this.#fs.rename(tmp, this.filename);
    } catch (err) {
      // A failed write leaves the main file as it was; the temp is removed so nothing half-written remains.
      await fh?.close().catch(() => {});
      await this.#fs.unlink(tmp).catch(() => {});
      throw toStorageError(err, this.filename);
    }
    await syncDir(this.#dir, this.#fs);
  }

  /** Hard-links the current version as .bak (no data written); copies where links are unsupported. */
  async #keepBackup(): Promise<void> {
    const tmpBak = this.#tempName();
    try {
      await this.#fs.link(this.filename, tmpBak);
    } catch (err) {
      const code = errnoCode(err);
      if (code === "ENOENT") return; // first write: nothing to back up
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw err;
      await this.#fs.copyFile(this.filename, tmpBak);
    }
    await this.#fs.rename(tmpBak, this.backupFile);
  }

  async #readJson(file: string): Promise<ReadResult<T>> {
    let text: string;
    try {
      text = await this.#fs.readFile(file);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return { kind: "missing" };
      throw toStorageError(err, file);
    }
    try {
      return { kind: "ok", value: JSON.parse(text) as T };
    } catch (err) {
      return { kind: "corrupt", reason: err instanceof Error ? err.message : String(err) };
    }
  }

  #tempName(): string {
    tempCounter = (tempCounter + 1) % 1e9;
    const unique = `${process.pid}-${tempCounter}-${randomBytes(4).toString("hex")}`;
    return join(this.#dir, `.${this.#base}.${unique}${TEMP_SUFFIX}`);
  }
}
