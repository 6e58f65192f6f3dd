/**
 * The save journal (docs/adr/0007-save-journal.md): one append-only file per shard day,
 * `journal/<day>.log`, of frames `<sha256 prefix, 16 hex> <json>\n`, each JSON `{"rs": [record…]}`.
 * A save appends one frame and fsyncs the file, so it writes about one record's bytes instead of
 * rewriting the day shard, the outbox file and a person bucket. The store folds a journal into
 * those files (compaction) and only then deletes it; a frame replayed twice is harmless because
 * every frame is an upsert of whole records.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { CheckupRecord } from "../domain/schema.js";
import { syncDir } from "./durable-adapter.js";
import { toStorageError } from "./errors.js";
import { errnoCode, type FileHandleLike, type FsLayer } from "./fs-layer.js";

const DAY_LOG_RE = /^(\d{4}-\d{2}-\d{2})\.log$/;

export function journalDayOf(name: string): string | null {
  const m = DAY_LOG_RE.exec(name);
  return m ? m[1]! : null;
}

function checksum(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

/** One frame holding `{[key]: items}`; the person-index delta (person-delta.ts) uses the same framing. */
export function encodeItemsFrame(key: string, items: readonly unknown[]): string {
  const json = JSON.stringify({ [key]: items });
  return `${checksum(json)} ${json}\n`;
}

export function encodeFrame(records: readonly CheckupRecord[]): string {
  return encodeItemsFrame("rs", records);
}

export interface DecodedJournal {
  /** Raw records of every whole frame, in append order (validated by the caller, as shard entries are). */
  records: unknown[];
  frames: number;
  /** Bytes of whole frames; a torn tail after them is ignored. */
  bytes: number;
  /** Frames that failed their checksum before the last one: never a crash, so worth a warning. */
  damaged: number;
  tornTail: boolean;
}

/**
 * A crash mid-append can leave only a prefix of the last frame (no newline, or a checksum that does
 * not match): that frame was never reported saved, so it is dropped. A damaged frame in the
 * middle cannot come from a crash; it is skipped and counted so open() can say so.
 */
export function decodeJournal(text: string): DecodedJournal {
  return decodeFrames(text, "rs");
}

/** decodeJournal for frames of `{[key]: [item…]}`. */
export function decodeFrames(text: string, key: string): DecodedJournal {
  const out: DecodedJournal = { records: [], frames: 0, bytes: 0, damaged: 0, tornTail: false };
  const lines = text.split("\n");
  const last = lines.pop() ?? "";
  if (last !== "") out.tornTail = true;
  lines.forEach((line, i) => {
    const sp = line.indexOf(" ");
    const json = sp === 16 ? line.slice(17) : "";
    let rs: unknown = null;
    if (json !== "" && checksum(json) === line.slice(0, 16)) {
      try {
        rs = (JSON.parse(json) as Record<string, unknown>)[key];
      } catch {
        rs = null;
      }
    }
    if (!Array.isArray(rs)) {
      if (i === lines.length - 1 && last === "") out.tornTail = true;
      else out.damaged++;
      return;
    }
    out.records.push(...rs);
    out.frames++;
    out.bytes += Buffer.byteLength(line) + 1;
  });
  return out;
}

/** Appends and reads the journal files of one store folder. */
export class JournalFiles {
  constructor(
    readonly dir: string,
    readonly fs: FsLayer,
  ) {}

  file(day: string): string {
    return join(this.dir, `${day}.log`);
  }

  async days(): Promise<string[]> {
    const names = await this.fs.readdir(this.dir).catch((err: unknown) => {
      throw toStorageError(err, this.dir);
    });
    return names
      .map(journalDayOf)
      .filter((d): d is string => d !== null)
      .sort();
  }

  async read(day: string): Promise<string> {
    try {
      return await this.fs.readFile(this.file(day));
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return "";
      throw toStorageError(err, this.file(day));
    }
  }

  /**
   * One frame, fsynced; a journal created now also gets its folder entry fsynced. Resolves only
   * when the frame is on disk. A failed append may leave a torn tail, which replay drops.
   */
  async append(day: string, frame: string, created: boolean): Promise<void> {
    const path = this.file(day);
    let fh: FileHandleLike | undefined;
    try {
      fh = await this.fs.open(path, "a");
      await fh.writeFile(frame);
      await fh.sync();
    } catch (err) {
      throw toStorageError(err, path);
    } finally {
      await fh?.close().catch(() => {});
    }
    if (created) await syncDir(this.dir, this.fs);
  }

  /** After compaction: the journal's content is in the shard, outbox and person index. */
  async remove(day: string): Promise<void> {
    try {
      await this.fs.unlink(this.file(day));
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw toStorageError(err, this.file(day));
    }
    await syncDir(this.dir, this.fs);
  }
}
