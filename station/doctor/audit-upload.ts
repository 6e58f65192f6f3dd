/**
 * Sends the doctor's audit log to the county on hs/v1/{county}/{station}/audit, in order, in
 * batches of up to 50 events. The log file is the outbox: a durable cursor (the last seq the
 * broker took with a PUBACK) says where to resume after a restart or a dropped link. Delivery
 * is at least once; each event carries a UUIDv7 `id` and a per-station `seq`, so the county
 * drops repeats. (Records, unlike audit events, wait for the archive's own ack: ADR 0004.)
 */
import { Low } from "lowdb";
import { topics } from "../mqtt/contract.js";
import { DurableJSONFile } from "../storage/durable-adapter.js";
import { DrainLoop } from "../util/drain-loop.js";
import type { Logger } from "../util/logger.js";
import type { AuditLog } from "./audit.js";
import { AuditMessage } from "./audit-message.js";

export interface AuditUploadOptions {
  log: AuditLog;
  cursorFile: string;
  county: string;
  stationId: string;
  /** Resolves true once the broker has the message (PUBACK). */
  publish: (topic: string, payload: string) => Promise<boolean>;
  now: () => number;
  logger: Logger;
  batch?: number;
}

export class AuditUpload {
  #db: Low<{ sentSeq: number }> | null = null;
  readonly #loop: DrainLoop;
  #off: (() => void) | null = null;
  constructor(private readonly o: AuditUploadOptions) {
    this.#loop = new DrainLoop(() => this.#drain(), o.logger, "audit upload");
  }

  get sentSeq(): number {
    return this.#db?.data.sentSeq ?? 0;
  }

  async start(): Promise<void> {
    const db = new Low(new DurableJSONFile<{ sentSeq: number }>(this.o.cursorFile), { sentSeq: 0 });
    await db.read();
    this.#db = db;
    this.#off = this.o.log.onAppend(() => this.kick());
    this.#loop.start();
  }

  stop(): void {
    this.#loop.stop();
    this.#off?.();
  }

  /** Sends whatever is unsent now; call on each new event and whenever the link comes up. */
  kick(): void {
    this.#loop.kick();
  }

  async #drain(): Promise<void> {
    const db = this.#db;
    if (!db) return;
    for (;;) {
      const events = (await this.o.log.read(db.data.sentSeq)).slice(0, this.o.batch ?? 50);
      if (events.length === 0 || !this.#loop.running) return;
      const msg = AuditMessage.parse({
        v: 1,
        type: "audit",
        stationId: this.o.stationId,
        sentAt: new Date(this.o.now()).toISOString(),
        events,
      });
      const ok = await this.o.publish(topics.audit(this.o.county, this.o.stationId), JSON.stringify(msg));
      if (!ok) return; // down: the next kick (link up, or a new event) resumes from the cursor
      db.data.sentSeq = events.at(-1)!.seq;
      await db.write();
    }
  }
}
