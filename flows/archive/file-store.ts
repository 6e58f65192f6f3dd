/**
 * The embedded archive store: append-only JSONL segments with group commit. Concurrent
 * putMany calls queue while a write is in flight and then go out together as one write and
 * one fdatasync, so throughput grows with load instead of being capped by fsync latency.
 * The id index lives in memory and is rebuilt on open by scanning the segments; a torn last
 * line (crash mid-write, never acknowledged) is truncated.
 */
import { chmod, constants, type FileHandle, mkdir, open, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { StationError } from "../../station/util/errors.js";
import { lockDir } from "./dir-lock.js";
import { EventFile } from "./event-file.js";
import {
  decodeLine,
  encodeLine,
  type LineLoc,
  scanSegment,
  segmentName,
  segmentNumber,
} from "./file-segments.js";
import {
  type ArchivedEvent,
  type ArchivedRecord,
  type ArchiveStore,
  DEFAULT_LIST_LIMIT,
  type EventStream,
  type ListOptions,
  type PutStatus,
} from "./store.js";

export interface FileArchiveStoreOptions {
  dir: string;
  /** Start a new segment past this size. Default 64 MiB. */
  maxSegmentBytes?: number;
  /** Look only (archive-cli beside a running receiver): no lock, no repair, no writes. */
  readOnly?: boolean;
}

export interface OpenReport {
  segments: number;
  records: number;
  /** Bytes of torn tail cut off the last segment. */
  truncatedBytes: number;
  corruptLines: number;
}

type Loc = LineLoc & { seg: number };
type Result = Array<{ id: string; status: PutStatus }>;
interface Pending {
  records: ArchivedRecord[];
  resolve(r: Result): void;
  reject(e: unknown): void;
}

export class FileArchiveStore implements ArchiveStore {
  readonly dir: string;
  readonly maxSegmentBytes: number;
  readonly readOnly: boolean;
  lastOpen: OpenReport | null = null;
  /** Group commits done (one write + one fdatasync each). */
  writes = 0;
  #index = new Map<string, Loc>();
  #fh: FileHandle | null = null;
  #seg = 0;
  #size = 0;
  #queue: Pending[] = [];
  #writing: Promise<void> | null = null;
  #broken: unknown = null;
  #unlock: (() => Promise<void>) | null = null;
  readonly #events: Record<EventStream, EventFile>;

  constructor(opts: FileArchiveStoreOptions) {
    this.dir = opts.dir;
    this.maxSegmentBytes = opts.maxSegmentBytes ?? 64 * 1024 * 1024;
    this.readOnly = opts.readOnly ?? false;
    this.#events = {
      audit: new EventFile(this.dir, "audit", this.readOnly),
      outcome: new EventFile(this.dir, "outcome", this.readOnly),
    };
  }

  async open(): Promise<void> {
    if (!this.readOnly) {
      // Personal data: only the service user may list or read it (docs/security.md).
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700);
      this.#unlock = await lockDir(this.dir);
    }
    const segs = (await readdir(this.dir))
      .map(segmentNumber)
      .filter((n): n is number => n !== null)
      .sort((a, b) => a - b);
    const report: OpenReport = { segments: segs.length, records: 0, truncatedBytes: 0, corruptLines: 0 };
    this.#index.clear();
    for (const seg of segs) {
      // Segments written by older versions were 0640.
      if (!this.readOnly) await chmod(join(this.dir, segmentName(seg)), 0o600);
      const buf = await readFile(join(this.dir, segmentName(seg)));
      const scan = scanSegment(buf);
      report.corruptLines += scan.corrupt;
      for (const l of scan.lines) if (!this.#index.has(l.id)) this.#index.set(l.id, { ...l, seg });
      if (scan.validBytes < buf.length && !this.readOnly) {
        // Only the newest segment can have a torn tail: older ones were closed whole.
        const fh = await open(join(this.dir, segmentName(seg)), "r+");
        await fh.truncate(scan.validBytes);
        await fh.sync();
        await fh.close();
        report.truncatedBytes += buf.length - scan.validBytes;
      }
      this.#seg = seg;
      this.#size = scan.validBytes;
    }
    report.records = this.#index.size;
    this.lastOpen = report;
    for (const e of Object.values(this.#events)) await e.open();
    if (!this.readOnly) await this.#openSegment(Math.max(this.#seg, 1));
  }

  async close(): Promise<void> {
    await this.#writing;
    await this.#fh?.close();
    this.#fh = null;
    for (const e of Object.values(this.#events)) await e.close();
    const unlock = this.#unlock;
    this.#unlock = null;
    await unlock?.();
  }

  putMany(records: ArchivedRecord[]): Promise<Result> {
    if (this.readOnly)
      return Promise.reject(new StationError("store-read-only", "archive store opened read-only"));
    if (!this.#fh) return Promise.reject(new StationError("store-closed", "archive store is not open"));
    if (records.length === 0) return Promise.resolve([]);
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ records, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  /** Audit events and outcomes, each stream in its own file (event-file.ts). */
  async putEvents(events: ArchivedEvent[]): Promise<Result> {
    if (this.readOnly) throw new StationError("store-read-only", "archive store opened read-only");
    const byStream = new Map<EventStream, number[]>();
    events.forEach((e, i) => {
      byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), i]);
    });
    const out: Result = new Array(events.length);
    for (const [stream, idx] of byStream) {
      const r = await this.#events[stream].put(idx.map((i) => events[i]!));
      idx.forEach((i, k) => {
        out[i] = r[k]!;
      });
    }
    return out;
  }

  listEvents(stream: EventStream, opts?: ListOptions): Promise<ArchivedEvent[]> {
    return this.#events[stream].list(opts);
  }

  async count(): Promise<number> {
    return this.#index.size;
  }

  async get(id: string): Promise<ArchivedRecord | null> {
    const loc = this.#index.get(id);
    if (!loc) return null;
    const fh = await open(join(this.dir, segmentName(loc.seg)), "r");
    try {
      const buf = Buffer.alloc(loc.length);
      await fh.read(buf, 0, loc.length, loc.offset);
      return decodeLine(buf);
    } finally {
      await fh.close();
    }
  }

  async list(opts: ListOptions = {}): Promise<ArchivedRecord[]> {
    const limit = opts.limit ?? DEFAULT_LIST_LIMIT;
    const ids = [...this.#index.values()]
      .filter((l) => (!opts.station || l.station === opts.station) && (!opts.afterId || l.id > opts.afterId))
      .map((l) => l.id)
      .sort()
      .slice(0, limit);
    const out: ArchivedRecord[] = [];
    for (const id of ids) out.push((await this.get(id))!);
    return out;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0);
      try {
        const results = await this.#commit(group.flatMap((g) => g.records));
        let i = 0;
        for (const g of group) {
          g.resolve(results.slice(i, i + g.records.length));
          i += g.records.length;
        }
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    this.#writing = null;
  }

  async #commit(records: ArchivedRecord[]): Promise<Result> {
    if (this.#broken) throw new StationError("store-broken", `archive store failed earlier: ${this.#broken}`);
    const results: Result = [];
    const fresh: Array<{ id: string; station: string; line: Buffer }> = [];
    const seen = new Set<string>();
    for (const r of records) {
      const id = r.message.record.id;
      if (this.#index.has(id) || seen.has(id)) results.push({ id, status: "duplicate" });
      else {
        seen.add(id);
        fresh.push({ id, station: r.message.stationId, line: encodeLine(r) });
        results.push({ id, status: "stored" });
      }
    }
    if (fresh.length === 0) return results;
    const buf = Buffer.concat(fresh.map((f) => f.line));
    if (this.#size > 0 && this.#size + buf.length > this.maxSegmentBytes)
      await this.#openSegment(this.#seg + 1);
    const at = this.#size;
    const fh = this.#fh!;
    try {
      let done = 0;
      while (done < buf.length)
        done += (await fh.write(buf, done, buf.length - done, at + done)).bytesWritten;
      await fh.datasync();
      this.writes++;
    } catch (err) {
      // Cut the partial write so the file never holds bytes the index does not know.
      await fh.truncate(at).catch((e: unknown) => {
        this.#broken = e;
      });
      throw err;
    }
    let offset = at;
    for (const f of fresh) {
      this.#index.set(f.id, { id: f.id, station: f.station, offset, length: f.line.length, seg: this.#seg });
      offset += f.line.length;
    }
    this.#size = offset;
    return results;
  }

  async #openSegment(n: number): Promise<void> {
    const isNew = n !== this.#seg || !this.#fh;
    await this.#fh?.close();
    const path = join(this.dir, segmentName(n));
    this.#fh = await open(path, constants.O_RDWR | constants.O_CREAT, 0o600);
    if (n !== this.#seg) this.#size = 0;
    this.#seg = n;
    if (isNew) await this.#syncDir();
  }

  async #syncDir(): Promise<void> {
    const d = await open(this.dir, "r");
    await d.sync().finally(() => d.close());
  }
}
