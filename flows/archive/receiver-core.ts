/**
 * The receiver behind the Node-RED node: decides each message (receive.ts), gathers the ones
 * to store for a few milliseconds, stores them with one putMany, and produces one ack message
 * per station per batch. Transport-free: the node (or a test) feeds messages in and sends
 * what comes out of onBatch.
 */

import { dateIn } from "../../station/domain/id-number.js";
import { ACK_STATUSES, type AckMessage, QOS, topics } from "../../station/mqtt/contract.js";
import { type Decision, decide } from "./receive.js";
import type { Validators } from "./schemas.js";
import type { ArchiveStore } from "./store.js";

export interface AckOut {
  topic: string;
  payload: AckMessage;
  qos: 1;
  retain: false;
}

export type Drop = Extract<Decision, { kind: "drop" }>;
export type Reject = Extract<Decision, { kind: "reject" }>;
export type EventReject = Extract<Decision, { kind: "reject-events" }>;
type StoreEvents = Extract<Decision, { kind: "store-events" }>;

export interface BatchOutcome {
  acks: AckOut[];
  stored: number;
  duplicates: number;
  rejects: Reject[];
  drops: Drop[];
  /** Audit events and list outcomes (receive-events.ts): stored, repeats, refused messages. */
  events: { stored: number; duplicates: number; rejects: EventReject[] };
  /** Set when the store failed: nothing in this batch was stored or acked as stored. */
  error?: unknown;
}

export interface ReceiverTotals {
  stored: number;
  duplicates: number;
  rejected: number;
  dropped: number;
  failedBatches: number;
  eventsStored: number;
  eventDuplicates: number;
  eventsRejected: number;
}

export interface ReceiverCoreOptions {
  store: ArchiveStore;
  validators: Validators;
  onBatch: (outcome: BatchOutcome) => void;
  /** Dead-letter sink for unattributable messages; must not throw. */
  onDrop?: (drop: Drop, payload: unknown) => void;
  /** Gather window. Default 10 ms. */
  batchMs?: number;
  /** Flush at once when this many are waiting. Default 500. */
  maxBatch?: number;
  now?: () => Date;
  /** Judges birth dates by this zone's date, as the stations do. Default Asia/Shanghai. */
  timeZone?: string;
}

interface Waiting {
  decision: Decision;
  resolve(): void;
  reject(err: unknown): void;
}

const MAX_ACKS = 1000; // AckMessage.acks max

interface AckEntry {
  county: string;
  station: string;
  ack: AckMessage["acks"][number];
}

export class ReceiverCore {
  readonly totals: ReceiverTotals = {
    stored: 0,
    duplicates: 0,
    rejected: 0,
    dropped: 0,
    failedBatches: 0,
    eventsStored: 0,
    eventDuplicates: 0,
    eventsRejected: 0,
  };
  #waiting: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inFlight = new Set<Promise<void>>();
  readonly #o: Required<Omit<ReceiverCoreOptions, "onDrop">> & Pick<ReceiverCoreOptions, "onDrop">;

  constructor(opts: ReceiverCoreOptions) {
    this.#o = { batchMs: 10, maxBatch: 500, now: () => new Date(), timeZone: "Asia/Shanghai", ...opts };
  }

  /**
   * Takes one MQTT message. Resolves once it is handled (stored durably, rejected or dropped);
   * rejects when the store failed, so the caller can report it (Node-RED `done(err)`).
   */
  accept(topic: unknown, payload: unknown): Promise<void> {
    const decision = decide(topic, payload, {
      validators: this.#o.validators,
      today: dateIn(this.#o.now().getTime(), this.#o.timeZone),
    });
    if (decision.kind === "drop") this.#o.onDrop?.(decision, payload);
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ decision, resolve, reject });
      if (this.#waiting.length >= this.#o.maxBatch) void this.flush();
      else this.#timer ??= setTimeout(() => void this.flush(), this.#o.batchMs);
    });
  }

  get pending(): number {
    return this.#waiting.length;
  }

  /** Handles everything waiting now; resolves when that batch is done. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#waiting.splice(0);
    if (batch.length === 0) return Promise.resolve();
    const p = this.#run(batch).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
    return p;
  }

  /** Flushes and waits for every batch in flight (on node close). */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.allSettled([...this.#inFlight]);
  }

  async #run(batch: Waiting[]): Promise<void> {
    const toStore = batch.filter((w) => w.decision.kind === "store");
    const receivedAt = this.#o.now().toISOString();
    const acks: AckEntry[] = [];
    const outcome: BatchOutcome = {
      acks: [],
      stored: 0,
      duplicates: 0,
      rejects: [],
      drops: [],
      events: { stored: 0, duplicates: 0, rejects: [] },
    };
    try {
      const results = await this.#o.store.putMany(
        toStore.map((w) => ({
          message: (w.decision as Extract<Decision, { kind: "store" }>).message,
          receivedAt,
        })),
      );
      results.forEach((r, i) => {
        const d = toStore[i]!.decision as Extract<Decision, { kind: "store" }>;
        acks.push({ county: d.county, station: d.station, ack: { id: r.id, status: r.status } });
        if (r.status === "stored") outcome.stored++;
        else outcome.duplicates++;
      });
      await this.#storeEvents(batch, receivedAt, acks, outcome);
    } catch (err) {
      outcome.error = err;
    }
    for (const w of batch) {
      const d = w.decision;
      if (d.kind === "reject") {
        const ack = { id: d.id, status: ACK_STATUSES[2], code: d.code, reason: d.reason };
        acks.push({ county: d.county, station: d.station, ack });
        outcome.rejects.push(d);
      } else if (d.kind === "reject-events") {
        for (const id of d.ids)
          acks.push({
            county: d.county,
            station: d.station,
            ack: { id, status: ACK_STATUSES[2], code: d.code, reason: d.reason },
          });
        outcome.events.rejects.push(d);
      } else if (d.kind === "drop") outcome.drops.push(d);
    }
    outcome.acks = groupAcks(acks, receivedAt);
    this.totals.stored += outcome.stored;
    this.totals.duplicates += outcome.duplicates;
    this.totals.rejected += outcome.rejects.length;
    this.totals.dropped += outcome.drops.length;
    this.totals.eventsStored += outcome.events.stored;
    this.totals.eventDuplicates += outcome.events.duplicates;
    this.totals.eventsRejected += outcome.events.rejects.length;
    if (outcome.error !== undefined) this.totals.failedBatches++;
    try {
      this.#o.onBatch(outcome);
    } finally {
      for (const w of batch) {
        const stores = w.decision.kind === "store" || w.decision.kind === "store-events";
        if (stores && outcome.error !== undefined) w.reject(outcome.error);
        else w.resolve();
      }
    }
  }

  /** Stores the batch's audit events and outcomes; each event id is acked like a record id. */
  async #storeEvents(batch: Waiting[], receivedAt: string, acks: AckEntry[], outcome: BatchOutcome) {
    const msgs = batch.map((w) => w.decision).filter((d): d is StoreEvents => d.kind === "store-events");
    if (msgs.length === 0) return;
    const put = this.#o.store.putEvents?.bind(this.#o.store);
    if (!put) throw new Error("this archive store keeps no audit events or outcomes");
    const events = msgs.flatMap((d) => d.events.map((e) => ({ ...e, receivedAt })));
    const results = await put(events);
    results.forEach((r, i) => {
      const e = events[i]!;
      acks.push({ county: e.county, station: e.station, ack: { id: r.id, status: r.status } });
      if (r.status === "stored") outcome.events.stored++;
      else outcome.events.duplicates++;
    });
  }
}

/** One AckMessage per station (at most 1000 acks each), in arrival order. */
function groupAcks(acks: AckEntry[], at: string): AckOut[] {
  const byTopic = new Map<string, AckMessage["acks"]>();
  for (const a of acks) {
    const topic = topics.ack(a.county, a.station);
    const list = byTopic.get(topic) ?? [];
    list.push(a.ack);
    byTopic.set(topic, list);
  }
  const out: AckOut[] = [];
  for (const [topic, list] of byTopic) {
    for (let i = 0; i < list.length; i += MAX_ACKS) {
      out.push({
        topic,
        payload: { v: 1, type: "ack", acks: list.slice(i, i + MAX_ACKS), at },
        qos: QOS.ack,
        retain: false,
      });
    }
  }
  return out;
}
