/**
 * Sends the doctor's list outcomes to the county on hs/v1/{county}/{station}/outcome, oldest
 * first, in batches of up to 50. The outcome log is the outbox: each outcome's `sync.status`
 * turns from pending to acked (fsynced) once the broker has taken the message with a PUBACK, so
 * a restart or a dropped link resumes with what is still pending. Delivery is at least once, as
 * for the audit log (station/doctor/audit-upload.ts); the county stores each outcome id once.
 */
import { topics } from "../mqtt/contract.js";
import { DrainLoop } from "../util/drain-loop.js";
import type { Logger } from "../util/logger.js";
import { OutcomeMessage, toOutcomeEvent } from "./outcome-message.js";
import type { OutcomeLog } from "./outcomes.js";

export interface OutcomeUploadOptions {
  log: OutcomeLog;
  county: string;
  stationId: string;
  /** Resolves true once the broker has the message (PUBACK). */
  publish: (topic: string, payload: string) => Promise<boolean>;
  now: () => number;
  logger: Logger;
  batch?: number;
}

export class OutcomeUpload {
  readonly #loop: DrainLoop;
  #off: (() => void) | null = null;
  /** Outcomes the broker has taken in this run. */
  sent = 0;
  constructor(private readonly o: OutcomeUploadOptions) {
    this.#loop = new DrainLoop(() => this.#drain(), o.logger, "outcome upload");
  }

  start(): void {
    this.#off = this.o.log.onRecord(() => this.kick());
    this.#loop.start();
  }

  stop(): void {
    this.#loop.stop();
    this.#off?.();
  }

  /** Sends whatever is pending now; call on each new outcome and whenever the link comes up. */
  kick(): void {
    this.#loop.kick();
  }

  async #drain(): Promise<void> {
    for (;;) {
      const batch = this.o.log.pending().slice(0, this.o.batch ?? 50);
      if (batch.length === 0 || !this.#loop.running) return;
      const msg = OutcomeMessage.parse({
        v: 1,
        type: "outcomes",
        stationId: this.o.stationId,
        sentAt: new Date(this.o.now()).toISOString(),
        outcomes: batch.map(toOutcomeEvent),
      });
      const ok = await this.o.publish(topics.outcome(this.o.county, this.o.stationId), JSON.stringify(msg));
      if (!ok) return; // down: the next kick (link up, or a new outcome) resends what is pending
      await this.o.log.markAcked(new Set(batch.map((b) => b.id)));
      this.sent += batch.length;
    }
  }
}
