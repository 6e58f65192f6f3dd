/**
 * Applies the county's retention setting (config `retention.ackedRecordDays`): at start and
 * then once a day, acknowledged records older than the setting are pruned to summaries
 * (RecordStore.pruneAcked). Never while the clock is suspect: a clock years ahead would
 * otherwise make every record look old.
 */
import { localDate } from "../runtime/clock.js";
import type { RecordStore } from "../storage/types.js";
import { type Logger, silentLogger } from "../util/logger.js";

export interface PrunerOptions {
  store: Pick<RecordStore, "pruneAcked">;
  days: number;
  timezone: string;
  clock: { now(): number };
  clockCheck: () => { suspect: boolean };
  everyMs?: number;
  logger?: Logger;
}

const DAY = 86_400_000;

export class RetentionPruner {
  readonly #o: PrunerOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();

  constructor(o: PrunerOptions) {
    this.#o = o;
    this.#log = (o.logger ?? silentLogger).child("retention");
  }

  start(): void {
    this.#running = this.runOnce();
    this.#timer = setInterval(() => {
      this.#running = this.runOnce();
    }, this.#o.everyMs ?? DAY);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** Prunes once; returns what was pruned, or null when skipped. Never throws. */
  async runOnce(): Promise<{ pruned: number; beforeDay: string } | null> {
    if (this.#o.clockCheck().suspect) {
      this.#log.warn("clock suspect: retention skipped until it is trusted");
      return null;
    }
    // Records of the cut-off day itself are kept: "N days" is at least N whole days.
    const beforeDay = localDate(this.#o.clock.now() - this.#o.days * DAY, this.#o.timezone);
    try {
      const r = await this.#o.store.pruneAcked(beforeDay);
      return { pruned: r.pruned, beforeDay };
    } catch (err) {
      this.#log.error("retention prune failed; records are kept and it is retried tomorrow", err);
      return null;
    }
  }
}
