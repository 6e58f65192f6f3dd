/**
 * Runs an async drain one at a time: a kick while one is running makes it run once more after,
 * so nothing queued in between is left waiting for the next kick. Used by the uploads whose
 * outbox is a log (the doctor's audit log, the list outcomes).
 */
import type { Logger } from "./logger.js";

export class DrainLoop {
  #running = false;
  #busy = false;
  #again = false;
  constructor(
    private readonly drain: () => Promise<void>,
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** False after stop(): a drain checks it between batches. */
  get running(): boolean {
    return this.#running;
  }

  start(): void {
    this.#running = true;
    this.kick();
  }

  stop(): void {
    this.#running = false;
  }

  kick(): void {
    if (!this.#running) return;
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    void this.drain()
      .catch((e: Error) => this.logger.warn(`${this.what}: ${e.message}`))
      .finally(() => {
        this.#busy = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }
}
