/**
 * The birth/death sequence number, persisted so it survives restarts (Sparkplug's bdSeq, without
 * the wrap at 255: the county compares numbers, and a wrap would make a new birth look stale).
 * A station with no file (first start, or a replaced SD card) starts from the wall clock's
 * seconds, so it still counts above whatever its predecessor used: one connection per second,
 * sustained, would be needed to overtake the clock.
 */
import { join } from "node:path";
import { readJsonSync, writeDurableSync } from "./durable-sync.js";

export class BdSeqFile {
  readonly path: string;
  #last: number | null = null;

  constructor(
    dir: string,
    private readonly nowMs: () => number,
  ) {
    this.path = join(dir, "bdseq.json");
  }

  /** The bdSeq last handed out by this process; null before the first connect. */
  get current(): number | null {
    return this.#last;
  }

  /** The next bdSeq, on disk before it is returned. */
  next(): number {
    if (this.#last === null) {
      let raw: { bdSeq?: unknown } | null = null;
      try {
        raw = readJsonSync(this.path) as { bdSeq?: unknown } | null;
      } catch (err) {
        // Unreadable JSON (renames are atomic, so only outside damage): the clock start still
        // counts above it. An I/O error is thrown: the link retries the connect later.
        if (!(err instanceof SyntaxError)) throw err;
      }
      const saved = typeof raw?.bdSeq === "number" && Number.isSafeInteger(raw.bdSeq) ? raw.bdSeq : null;
      this.#last = saved ?? Math.floor(this.nowMs() / 1000) - 1;
    }
    const n = this.#last + 1;
    writeDurableSync(this.path, `${JSON.stringify({ bdSeq: n })}\n`);
    this.#last = n;
    return n;
  }
}
