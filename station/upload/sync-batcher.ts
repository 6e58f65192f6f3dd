/**
 * Collects sync updates for a short while and writes them in one go. Under a backlog acks arrive
 * far faster than one durable write each; a batch lets the store rewrite each touched file once.
 * Flushes run one at a time and in order, so an "attempt counted" update never overtakes the
 * "acked" update for the same record; within a batch the newest update per id wins.
 * A batch also goes out as soon as it holds `flushAt` updates: waiting out the delay with half
 * the window acked would leave the window idle (measured: 500 vs 1,000+ records/s draining).
 */
import type { SyncUpdate, SyncWriteResult, SyncWriter } from "./store-adapter.js";
import type { Scheduler, TimerHandle } from "./timing.js";

export class SyncBatcher {
  readonly #write: SyncWriter;
  readonly #scheduler: Scheduler;
  readonly #delayMs: number;
  readonly #onWritten: (result: SyncWriteResult) => void;
  readonly #flushAt: number;
  #batch = new Map<string, SyncUpdate>();
  #timer: TimerHandle | null = null;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    write: SyncWriter,
    scheduler: Scheduler,
    delayMs: number,
    onWritten: (r: SyncWriteResult) => void,
    flushAt = Number.POSITIVE_INFINITY,
  ) {
    this.#flushAt = flushAt;
    this.#write = write;
    this.#scheduler = scheduler;
    this.#delayMs = delayMs;
    this.#onWritten = onWritten;
  }

  get size(): number {
    return this.#batch.size;
  }

  add(update: SyncUpdate): void {
    this.#batch.set(update.id, update);
    if (this.#batch.size >= this.#flushAt) {
      void this.flush();
      return;
    }
    this.#timer ??= this.#scheduler.setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#delayMs);
  }

  /** Writes whatever is collected now; resolves when every earlier flush has finished too. */
  flush(): Promise<void> {
    if (this.#timer !== null) this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
    const updates = [...this.#batch.values()];
    this.#batch = new Map();
    if (updates.length > 0)
      this.#chain = this.#chain.then(async () => {
        let result: SyncWriteResult;
        try {
          result = await this.#write(updates);
        } catch (error) {
          result = { written: [], failed: updates.map((u) => ({ id: u.id, error })) };
        }
        this.#onWritten(result);
      });
    return this.#chain;
  }
}
