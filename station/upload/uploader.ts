/**
 * Store-and-forward upload of check-up records to the county archive (docs/adr/0004). The durable
 * outbox is the only queue: records are paged in as slots free up, at most `window` await an ack
 * (two windows in memory at most, counting acked ones still being written), and a record leaves
 * the outbox only when the archive's application ack (not the broker's PUBACK) says stored,
 * duplicate or rejected. Resending an id is always safe: the
 * archive deduplicates on it.
 */
import { readFile } from "node:fs/promises";
import type { CheckupRecord } from "../domain/schema.js";
import { AckMessage, topics } from "../mqtt/contract.js";
import { buildRecordMessage } from "../mqtt/observations.js";
import { presenceTopic } from "../mqtt/presence.js";
import { TypedEmitter } from "../util/emitter.js";
import { StationError } from "../util/errors.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { BrokerLink } from "./broker-link.js";
import { type ResolvedUploaderOptions, resolveUploaderOptions, type UploaderOptions } from "./options.js";
import { type Outcome, rejectedForStatus, settledSync } from "./outcome.js";
import { initialStatus, type RejectedRecord, type UploadErrorCode, type UploadStatus } from "./status.js";
import type { SyncWriteResult } from "./store-adapter.js";
import { SyncBatcher } from "./sync-batcher.js";
import { fullJitter, type TimerHandle } from "./timing.js";

export type { UploaderOptions } from "./options.js";

export type UploaderEvents = {
  status: [UploadStatus];
  sent: [{ id: string; attempt: number }];
  acked: [{ id: string; status: "stored" | "duplicate" }];
  rejected: [RejectedRecord];
  /** Connected and subscribed (fired after the birth is sent). */
  up: [];
  /** A message on one of `extraTopics`. */
  message: [topic: string, payload: Buffer];
  /** The link was dropped because the broker sent a packet over the size limit (unread). */
  oversized: [detail: string];
  /** The archive's clock (`at` of an ack that settled a record of ours), for the clock check. */
  archiveTime: [{ at: string }];
};

interface Slot {
  record: CheckupRecord;
  attempts: number;
  lastAttemptAt: string | null;
  state: "awaiting" | "backoff" | "committing";
  timer: TimerHandle | null;
  outcome: Outcome | null;
}

const REJECTED_KEPT = 50;

export class Uploader extends TypedEmitter<UploaderEvents> {
  readonly #o: ResolvedUploaderOptions;
  readonly #log: Logger;
  readonly #ackTopic: string;
  readonly #recordTopic: string;
  readonly #slots = new Map<string, Slot>();
  /** Ids settled while a pending() page was being read: that page may still list them. */
  readonly #settledDuringFetch = new Set<string>();
  readonly #batcher: SyncBatcher;
  #link: BrokerLink | null = null;
  #status: UploadStatus = initialStatus;
  #pumping = false;
  #pumpAgain = false;
  #poll: TimerHandle | null = null;
  #countTimer: TimerHandle | null = null;
  #running = false;

  constructor(opts: UploaderOptions) {
    super();
    this.#o = resolveUploaderOptions(opts);
    const scheduler = this.#o.scheduler;
    this.#log = (opts.logger ?? silentLogger).child("upload");
    this.#ackTopic = topics.ack(opts.county, opts.stationId);
    this.#recordTopic = topics.record(opts.county, opts.stationId);
    this.#batcher = new SyncBatcher(
      this.#o.syncWriter,
      scheduler,
      this.#o.ackBatchMs,
      (r) => this.#onWritten(r),
      // Half a window acked is worth a write: the freed slots refill while the rest are in flight.
      Math.max(1, Math.floor(this.#o.window / 2)),
    );
  }

  get status(): UploadStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    const b = this.#o.broker;
    if (b.url.startsWith("mqtts:") && !b.caFile)
      throw new StationError(
        "config-invalid",
        "mqtts:// 需要县级CA证书 / mqtts:// needs broker.caFile (the pinned county CA)",
      );
    if (!b.url.startsWith("mqtts:"))
      this.#log.warn(`broker ${b.url} is not TLS: use only for tests and demos`);
    const ca = b.caFile ? await readFile(b.caFile) : undefined;
    this.#running = true;
    const link = new BrokerLink({
      url: b.url,
      clientId: this.#o.stationId,
      ...(b.username === undefined ? {} : { username: b.username }),
      ...(b.password === undefined ? {} : { password: b.password }),
      ...(ca === undefined ? {} : { ca }),
      ackTopic: this.#ackTopic,
      ...(this.#o.extraTopics ? { extraTopics: this.#o.extraTopics } : {}),
      ...(this.#o.presence ? { presence: this.#o.presence } : {}),
      presenceTopic: presenceTopic(this.#o.county, this.#o.stationId),
      reconnect: this.#o.reconnect,
      connectTimeoutMs: this.#o.connectTimeoutMs,
      keepaliveSeconds: this.#o.keepaliveSeconds,
      scheduler: this.#o.scheduler,
      random: this.#o.random,
      logger: this.#log,
    });
    link.on("up", () => this.#onUp());
    link.on("down", (code, msg) => this.#onDown(code, msg));
    link.on("message", (topic, payload) => this.#onMessage(topic, payload));
    this.#link = link;
    link.start();
    this.#refreshCount(0);
    void this.#loadRejected();
  }

  /** Rejections from earlier runs stay on show for the doctor until someone deals with them. */
  async #loadRejected(): Promise<void> {
    let records: CheckupRecord[];
    try {
      records = await this.#o.store.rejected(REJECTED_KEPT);
    } catch (err) {
      this.#fail("store-failed", `could not read rejected records: ${(err as Error).message}`);
      return;
    }
    const earlier = rejectedForStatus(records);
    if (earlier.length === 0) return;
    // Rejections that arrived while the store was being read are newer; keep them last.
    const now = this.#status.rejected;
    const seen = new Set(now.map((r) => r.id));
    this.#setStatus({ rejected: [...earlier.filter((r) => !seen.has(r.id)), ...now].slice(-REJECTED_KEPT) });
  }

  /** Writes collected acks, says "offline" and disconnects. Unacked records stay in the outbox. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    for (const t of [this.#poll, this.#countTimer]) if (t !== null) this.#o.scheduler.clearTimeout(t);
    this.#poll = this.#countTimer = null;
    this.#releaseSlots();
    await this.#batcher.flush();
    await this.#link?.stop();
    this.#link = null;
    this.#setStatus({ connected: false });
  }

  /**
   * Publishes another of this station's messages (the doctor's audit log) on the same link,
   * resolving true on the broker's PUBACK. Records keep their own outbox and application acks.
   */
  publishConfirmed(topic: string, payload: string): Promise<boolean> {
    return this.#link?.publishConfirmed(topic, payload) ?? Promise.resolve(false);
  }

  /** Call after saving a record: starts sending it now rather than at the next poll. */
  kick(): void {
    void this.#pump();
    this.#refreshCount(this.#o.statusRefreshMs);
  }

  /** QoS 1 on the station's shared connection; false when it is down (nothing is queued). */
  publish(topic: string, payload: string, retain = false): boolean {
    return this.#link?.publish(topic, payload, retain) ?? false;
  }

  /** Re-sends the birth with the current bdSeq; false when not connected. */
  rebirth(): boolean {
    return this.#link?.rebirth() ?? false;
  }

  get bdSeq(): number {
    return this.#link?.bdSeq ?? -1;
  }

  #onUp(): void {
    this.#setStatus({ connected: true, lastError: null });
    this.emit("up");
    void this.#pump();
  }

  #onDown(code: UploadErrorCode, message: string): void {
    // Acks for what is in flight now would go to a session that no longer exists: resend after reconnect.
    this.#releaseSlots();
    this.#setStatus({ connected: false });
    this.#fail(code, message);
    if (code === "oversized-message") this.emit("oversized", message);
  }

  #onMessage(topic: string, payload: Buffer): void {
    if (topic !== this.#ackTopic) {
      this.emit("message", topic, payload);
      return;
    }
    // Before parsing: a huge payload must cost nothing but this comparison.
    if (payload.length > this.#o.maxAckBytes) {
      this.#fail(
        "ack-malformed",
        `ack of ${payload.length} bytes is over the ${this.#o.maxAckBytes}-byte bound`,
      );
      return;
    }
    let parsed: ReturnType<typeof AckMessage.safeParse>;
    try {
      parsed = AckMessage.safeParse(JSON.parse(payload.toString("utf8")));
    } catch (err) {
      this.#fail("ack-malformed", `ack is not JSON: ${(err as Error).message}`);
      return;
    }
    if (!parsed.success) {
      this.#fail("ack-malformed", `ack failed validation: ${parsed.error.issues[0]?.message ?? "?"}`);
      return;
    }
    const at = parsed.data.at;
    let ours = false;
    for (const a of parsed.data.acks) {
      const slot = this.#slots.get(a.id);
      // Only records in flight: unknown ids (acked in an earlier run, or never ours) and repeated
      // acks change nothing.
      if (!slot || slot.state === "committing") continue;
      ours = true;
      if (a.status === "stored" || a.status === "duplicate")
        this.#settle(slot, { kind: "acked", status: a.status as "stored" | "duplicate" }, at);
      else if (a.status === "rejected")
        this.#settle(slot, {
          kind: "rejected",
          rejected: { id: a.id, reason: a.reason ?? "rejected by the archive", code: a.code ?? null, at },
        });
      else this.#log.warn(`ack for ${a.id} has unknown status "${a.status}"; waiting for a known answer`);
    }
    // Only an ack that answered a record we sent speaks for the archive's clock.
    if (ours) this.emit("archiveTime", { at });
  }

  #settle(slot: Slot, outcome: Outcome, ackedAt: string | null = null): void {
    this.#clearTimer(slot);
    slot.state = "committing";
    slot.outcome = outcome;
    const sync = settledSync(outcome, slot.attempts, slot.lastAttemptAt, ackedAt);
    this.#batcher.add({ id: slot.record.id, sync });
    this.#emitCounts();
  }

  #onWritten(result: SyncWriteResult): void {
    for (const id of result.written) {
      const slot = this.#slots.get(id);
      if (slot?.state !== "committing" || !slot.outcome) continue;
      this.#slots.delete(id);
      this.#settledDuringFetch.add(id);
      if (slot.outcome.kind === "acked") {
        this.#setStatus({ lastAckAt: new Date(this.#o.scheduler.now()).toISOString() });
        this.emit("acked", { id, status: slot.outcome.status });
      } else {
        const r = slot.outcome.rejected;
        this.#setStatus({ rejected: [...this.#status.rejected, r].slice(-REJECTED_KEPT) });
        this.emit("rejected", r);
      }
    }
    for (const { id, error } of result.failed) {
      this.#log.error(`sync update for ${id} failed`, error);
      this.#fail(
        "store-failed",
        `could not record the sync state of ${id}: ${(error as Error)?.message ?? error}`,
      );
      const slot = this.#slots.get(id);
      if (slot?.state !== "committing") continue;
      // Still pending on disk: resend later; the archive answers "duplicate" and we write again.
      if (this.#link?.isUp) this.#backoff(slot);
      else this.#slots.delete(id);
    }
    this.#emitCounts();
    this.#refreshCount(this.#o.statusRefreshMs);
    void this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        await this.#fill();
      } while (this.#pumpAgain);
    } finally {
      this.#pumping = false;
    }
    this.#schedulePoll();
  }

  async #fill(): Promise<void> {
    const window = this.#o.window;
    // Acked records whose durable write is still queued ("committing") do not hold a window
    // slot: the window refills while the disk writes, instead of idling on every fsync. They
    // stay in #slots (never re-sent), and all slots together are capped at two windows so
    // memory stays bounded when the disk is slower than the link.
    let committing = 0;
    for (const s of this.#slots.values()) if (s.state === "committing") committing++;
    let awaiting = this.#slots.size - committing;
    const cap = 2 * window;
    if (!this.#running || !this.#link?.isUp || awaiting >= window || this.#slots.size >= cap) return;
    this.#settledDuringFetch.clear();
    let page: CheckupRecord[];
    try {
      // Only records not held already (awaiting, backing off, or acked and still being written),
      // and no more than free slots: the store copies nothing it is told to skip.
      const room = Math.min(window - awaiting, cap - this.#slots.size);
      page = await this.#o.store.pending(room, (id) => this.#slots.has(id));
    } catch (err) {
      this.#fail("store-failed", `could not read the outbox: ${(err as Error).message}`);
      return;
    }
    for (const record of page) {
      if (awaiting >= window || this.#slots.size >= cap || !this.#link?.isUp) break;
      if (this.#slots.has(record.id) || this.#settledDuringFetch.has(record.id)) continue;
      awaiting++;
      const slot: Slot = {
        record,
        attempts: record.sync.attempts,
        lastAttemptAt: record.sync.lastAttemptAt,
        state: "awaiting",
        timer: null,
        outcome: null,
      };
      this.#slots.set(record.id, slot);
      this.#send(slot);
    }
    this.#emitCounts();
  }

  #send(slot: Slot): void {
    const now = new Date(this.#o.scheduler.now());
    let payload: string;
    try {
      payload = JSON.stringify(buildRecordMessage(slot.record, { county: this.#o.county, now }));
    } catch (err) {
      // Kept on disk and shown to people as rejected by this station; never silently skipped.
      const reason = `station could not encode the record: ${(err as Error).message.slice(0, 300)}`;
      this.#fail("record-unencodable", `${slot.record.id}: ${reason}`);
      this.#settle(slot, {
        kind: "rejected",
        rejected: { id: slot.record.id, reason, code: "record-unencodable", at: now.toISOString() },
      });
      return;
    }
    if (!this.#link?.publish(this.#recordTopic, payload)) return;
    slot.attempts++;
    slot.lastAttemptAt = now.toISOString();
    slot.state = "awaiting";
    slot.timer = this.#o.scheduler.setTimeout(() => this.#onAckTimeout(slot), this.#o.ackTimeoutMs);
    this.emit("sent", { id: slot.record.id, attempt: slot.attempts });
  }

  #onAckTimeout(slot: Slot): void {
    slot.timer = null;
    if (slot.state !== "awaiting" || this.#slots.get(slot.record.id) !== slot) return;
    this.#fail("ack-timeout", `no ack for ${slot.record.id} after attempt ${slot.attempts}`);
    // Count the attempt durably (batched); the record itself stays pending.
    const { status, ackedAt, rejectReason } = slot.record.sync;
    this.#batcher.add({
      id: slot.record.id,
      sync: { status, ackedAt, rejectReason, attempts: slot.attempts, lastAttemptAt: slot.lastAttemptAt },
    });
    this.#backoff(slot);
  }

  #backoff(slot: Slot): void {
    this.#clearTimer(slot);
    slot.state = "backoff";
    slot.outcome = null;
    const delay = fullJitter(Math.max(1, slot.attempts), this.#o.retry, this.#o.random);
    slot.timer = this.#o.scheduler.setTimeout(() => {
      slot.timer = null;
      if (this.#slots.get(slot.record.id) === slot && slot.state === "backoff") this.#send(slot);
      this.#emitCounts();
    }, delay);
    this.#emitCounts();
  }

  #releaseSlots(): void {
    for (const [id, slot] of this.#slots) {
      if (slot.state === "committing") continue;
      this.#clearTimer(slot);
      this.#slots.delete(id);
    }
    this.#emitCounts();
  }

  #clearTimer(slot: Slot): void {
    if (slot.timer !== null) this.#o.scheduler.clearTimeout(slot.timer);
    slot.timer = null;
  }

  #schedulePoll(): void {
    if (this.#poll !== null) this.#o.scheduler.clearTimeout(this.#poll);
    this.#poll = null;
    if (!this.#running) return;
    this.#poll = this.#o.scheduler.setTimeout(() => {
      this.#poll = null;
      void this.#pump();
    }, this.#o.pollMs);
  }

  /** Re-counts the outbox at most once per delay (the count may read records until the store can count). */
  #refreshCount(delayMs: number): void {
    if (this.#countTimer !== null || !this.#running) return;
    this.#countTimer = this.#o.scheduler.setTimeout(() => {
      this.#o.pendingCounter().then(
        (p) => {
          this.#countTimer = null;
          this.#setStatus({ pending: p });
        },
        (err: unknown) => {
          this.#countTimer = null;
          this.#fail("store-failed", `could not count the outbox: ${(err as Error).message}`);
        },
      );
    }, delayMs);
  }

  #emitCounts(): void {
    let inFlight = 0;
    let retrying = 0;
    for (const s of this.#slots.values()) {
      if (s.state === "awaiting") inFlight++;
      else if (s.state === "backoff") retrying++;
    }
    this.#setStatus({ inFlight, retrying });
  }

  #fail(code: UploadErrorCode, message: string): void {
    this.#log.warn(`${code}: ${message}`);
    this.#setStatus({ lastError: { code, message, at: new Date(this.#o.scheduler.now()).toISOString() } });
  }

  #setStatus(patch: Partial<UploadStatus>): void {
    const next = { ...this.#status, ...patch };
    const changed = (Object.keys(patch) as (keyof UploadStatus)[]).some((k) => next[k] !== this.#status[k]);
    if (!changed) return;
    this.#status = next;
    this.emit("status", next);
  }
}
