/** What the file store's parts share: the layout, the injected fs, the logger and the per-file locks. */
import type { Logger } from "../util/logger.js";
import { DurableJSONFile } from "./durable-adapter.js";
import { toStorageError } from "./errors.js";
import { errnoCode, type FsLayer } from "./fs-layer.js";
import type { Layout } from "./layout.js";
import { KeyedMutex } from "./mutex.js";

export class FileIo {
  /** One lock per file path (and "seq"), held around every read-modify-write of that file. */
  readonly lock = new KeyedMutex();

  constructor(
    readonly layout: Layout,
    readonly fs: FsLayer,
    readonly log: Logger,
  ) {}

  file<T>(path: string): DurableJSONFile<T> {
    // The store sweeps temp files folder by folder at open(), so the adapter need not.
    return new DurableJSONFile<T>(path, { fs: this.fs, logger: this.log, sweepOnFirstRead: false });
  }

  async list(dir: string): Promise<string[]> {
    return (await this.io(dir, () => this.fs.readdir(dir))).sort();
  }

  async unlinkIfExists(path: string): Promise<void> {
    try {
      await this.fs.unlink(path);
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw toStorageError(err, path);
    }
  }

  /** inode:size:mtime; a rewrite (always a rename of a new file) changes it. */
  async sig(path: string): Promise<string> {
    try {
      const st = await this.fs.stat(path);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return "missing";
      throw toStorageError(err, path);
    }
  }

  async io<R>(path: string, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      throw toStorageError(err, path);
    }
  }
}
