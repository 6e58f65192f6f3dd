/**
 * The file archive's event streams (the doctors' audit logs and list outcomes): one append-only
 * JSONL file per stream beside the record segments, `audit.jsonl` and `outcome.jsonl`. Each put
 * is one write and one fdatasync; the id set lives in memory and is rebuilt on open, and a torn
 * last line (crash mid-write, never acknowledged) is cut off.
 */
import { constants, type FileHandle, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ArchivedEvent, EventStream, ListOptions, PutStatus } from "./store.js";
import { DEFAULT_LIST_LIMIT } from "./store.js";

type Result = Array<{ id: string; status: PutStatus }>;

export class EventFile {
  readonly file: string;
  #ids = new Set<string>();
  #fh: FileHandle | null = null;
  #size = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    dir: string,
    readonly stream: EventStream,
    private readonly readOnly = false,
  ) {
    this.file = join(dir, `${stream}.jsonl`);
  }

  async open(): Promise<void> {
    const buf = await readFile(this.file).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return Buffer.alloc(0);
      throw e;
    });
    let valid = 0;
    for (let start = 0; start < buf.length; ) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break; // torn tail
      try {
        const e = JSON.parse(buf.subarray(start, nl).toString("utf8")) as ArchivedEvent;
        this.#ids.add(e.id);
      } catch {
        // A whole line that does not parse is skipped, not fatal (it was never acked as stored).
      }
      start = nl + 1;
      valid = start;
    }
    if (this.readOnly) return;
    this.#fh = await open(this.file, constants.O_RDWR | constants.O_CREAT, 0o600);
    if (valid < buf.length) {
      await this.#fh.truncate(valid);
      await this.#fh.sync();
    }
    this.#size = valid;
  }

  async close(): Promise<void> {
    await this.#queue.catch(() => {});
    await this.#fh?.close();
    this.#fh = null;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Serialised: one write + fdatasync per call, after the one before. */
  put(events: ArchivedEvent[]): Promise<Result> {
    const run = this.#queue.then(() => this.#put(events));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #put(events: ArchivedEvent[]): Promise<Result> {
    const fh = this.#fh;
    if (!fh) throw new Error(`archive event file ${this.stream} is not open for writing`);
    const results: Result = [];
    const fresh: ArchivedEvent[] = [];
    const seen = new Set<string>();
    for (const e of events) {
      if (this.#ids.has(e.id) || seen.has(e.id)) results.push({ id: e.id, status: "duplicate" });
      else {
        seen.add(e.id);
        fresh.push(e);
        results.push({ id: e.id, status: "stored" });
      }
    }
    if (fresh.length === 0) return results;
    const buf = Buffer.from(fresh.map((e) => `${JSON.stringify(e)}\n`).join(""), "utf8");
    const at = this.#size;
    try {
      let done = 0;
      while (done < buf.length)
        done += (await fh.write(buf, done, buf.length - done, at + done)).bytesWritten;
      await fh.datasync();
    } catch (err) {
      await fh.truncate(at).catch(() => {});
      throw err;
    }
    this.#size = at + buf.length;
    for (const e of fresh) this.#ids.add(e.id);
    return results;
  }

  async list(opts: ListOptions = {}): Promise<ArchivedEvent[]> {
    const text = await readFile(this.file, "utf8").catch(() => "");
    const out: ArchivedEvent[] = [];
    for (const line of text.split("\n")) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as ArchivedEvent;
        if ((!opts.station || e.station === opts.station) && (!opts.afterId || e.id > opts.afterId))
          out.push(e);
      } catch {}
    }
    // First copy of an id wins (a line can repeat only if an earlier write was cut mid-way and retried).
    const byId = new Map<string, ArchivedEvent>();
    for (const e of out) if (!byId.has(e.id)) byId.set(e.id, e);
    return [...byId.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, opts.limit ?? DEFAULT_LIST_LIMIT);
  }
}
