/**
 * The person index's append-only delta (docs/adr/0009-person-index-delta.md):
 *
 *   persons/<year>/delta.log   frames `<sha256 prefix> {"e": [[hmac, id], …]}\n` (journal.ts framing)
 *
 * A journal compaction appends one fsynced frame here instead of rewriting every person bucket
 * it touches (each grows to several KB over a year). The delta is folded into the buckets, and
 * deleted, once it holds `maxEntries` entries, when a later year's first entry arrives, at a
 * clean close (an older release reads buckets only), or at open when a crash left it with a torn
 * last frame. Entries are (key, id) pairs, so applying a
 * frame twice, or a frame already folded, is harmless.
 */
import { join } from "node:path";
import { syncDir } from "./durable-adapter.js";
import { toStorageError } from "./errors.js";
import { errnoCode, type FileHandleLike, type FsLayer } from "./fs-layer.js";
import { decodeFrames, encodeItemsFrame } from "./journal.js";

export const DELTA_FILE = "delta.log";

type Pair = [key: string, id: string];

function isPair(x: unknown): x is Pair {
  return Array.isArray(x) && x.length === 2 && typeof x[0] === "string" && typeof x[1] === "string";
}

export interface DecodedDelta {
  /** key → ids, in append order. */
  entries: Map<string, string[]>;
  count: number;
  tornTail: boolean;
  damaged: number;
}

/** Whole frames only; a torn last frame (a crash mid-append) was never relied on, so it is dropped. */
export function decodeDelta(text: string): DecodedDelta {
  const d = decodeFrames(text, "e");
  const entries = new Map<string, string[]>();
  let count = 0;
  let damaged = d.damaged;
  for (const p of d.records) {
    if (!isPair(p)) {
      damaged++;
      continue;
    }
    const ids = entries.get(p[0]) ?? [];
    if (!ids.includes(p[1])) {
      ids.push(p[1]);
      entries.set(p[0], ids);
      count++;
    }
  }
  return { entries, count, tornTail: d.tornTail, damaged };
}

/** The delta file of one year: its entries in memory, appends fsynced. */
export class YearDelta {
  entries = new Map<string, string[]>();
  count = 0;
  /** The file may end in a torn frame (crash, failed append): fold before appending again. */
  broken = false;
  exists = false;

  constructor(
    readonly file: string,
    readonly fs: FsLayer,
  ) {}

  static path(yearDir: string): string {
    return join(yearDir, DELTA_FILE);
  }

  has(key: string, id: string): boolean {
    return this.entries.get(key)?.includes(id) ?? false;
  }

  async load(): Promise<DecodedDelta | null> {
    let text: string;
    try {
      text = await this.fs.readFile(this.file);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return null;
      throw toStorageError(err, this.file);
    }
    const d = decodeDelta(text);
    this.entries = d.entries;
    this.count = d.count;
    this.exists = true;
    this.broken = d.tornTail || d.damaged > 0;
    return d;
  }

  /** One frame, fsynced (and the folder, when the file is new); then the entries count. */
  async append(pairs: Pair[]): Promise<void> {
    const created = !this.exists;
    let fh: FileHandleLike | undefined;
    try {
      fh = await this.fs.open(this.file, "a");
      this.exists = true;
      await fh.writeFile(encodeItemsFrame("e", pairs));
      await fh.sync();
    } catch (err) {
      this.broken = true;
      throw toStorageError(err, this.file);
    } finally {
      await fh?.close().catch(() => {});
    }
    if (created) await syncDir(this.file.slice(0, this.file.lastIndexOf("/")), this.fs);
    for (const [key, id] of pairs) {
      const ids = this.entries.get(key) ?? [];
      if (ids.includes(id)) continue;
      ids.push(id);
      this.entries.set(key, ids);
      this.count++;
    }
  }

  /** After a fold: the entries are in the buckets. */
  async remove(): Promise<void> {
    try {
      await this.fs.unlink(this.file);
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw toStorageError(err, this.file);
    }
    await syncDir(this.file.slice(0, this.file.lastIndexOf("/")), this.fs);
    this.entries = new Map();
    this.count = 0;
    this.exists = false;
    this.broken = false;
  }
}
