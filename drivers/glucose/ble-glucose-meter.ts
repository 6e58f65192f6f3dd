/**
 * A Bluetooth Glucose Profile meter (service 0x1808) as a GlucoseMeter, over any BleTransport.
 *
 * On every (re)connect it subscribes to 0x2A18, 0x2A34 and the RACP, then asks for the last
 * stored record (RACP opcode 1, operator 6). Records also arrive unsolicited after a test.
 * Freshness: a record is emitted only if its sequence number is above the highest seen
 * since start(); the first record seen after start() is emitted only if its own time is
 * within `freshRecordMinutes` of the station clock (otherwise it is yesterday's test and
 * becomes the baseline). RACP needs a bonded link, so unbonded links are refused.
 */
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { type BleDeviceOptions, deviceLink } from "../ble/device.js";
import type { BleLink } from "../ble/link.js";
import { DEFAULT_UTC_OFFSET_MINUTES, isCompleteWallTime, wallTimeToEpoch } from "../ble/time.js";
import { GATT } from "../ble/transport.js";
import type { DeviceStatus, GlucoseMeter, GlucoseMeterEvents } from "../types.js";
import { glucoseFault, recordWallTime, toGlucoseReading } from "./gls-assess.js";
import {
  decodeGlucoseContext,
  decodeGlucoseMeasurement,
  type GlucoseContext,
  type GlucoseMeasurement,
} from "./gls-codec.js";
import { decodeRacp, type RacpMessage, racp } from "./racp.js";

export interface BleGlucoseMeterOptions extends BleDeviceOptions {
  /** See the class comment. Default 10. */
  freshRecordMinutes?: number;
  /** How long to wait for a RACP response. Default 10 s (meters walk their memory). */
  racpTimeoutMs?: number;
  /** How long to wait for a 0x2A34 a record announced. Default 1 s. */
  contextWaitMs?: number;
}

interface Waiter {
  resolve: (m: RacpMessage) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class BleGlucoseMeter extends TypedEmitter<GlucoseMeterEvents> implements GlucoseMeter {
  readonly ref: DeviceRef;
  readonly #o: BleGlucoseMeterOptions;
  readonly #log: Logger;
  readonly #link: BleLink;
  #highestSeq: number | null = null;
  #pending: { m: GlucoseMeasurement; timer: ReturnType<typeof setTimeout> } | null = null;
  #waiter: Waiter | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: BleGlucoseMeterOptions) {
    super();
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.ref = {
      kind: "glucose",
      model: options.model ?? "Bluetooth glucose meter",
      ...(options.serial ? { serial: options.serial } : {}),
      transport: "ble",
    };
    this.#link = deviceLink(options, this.#log, {
      requireBond: true,
      onConnected: () => this.#setup(),
      onStatus: (s) => this.#onStatus(s),
    });
  }

  get status(): DeviceStatus {
    return this.#link.status;
  }

  async start(): Promise<void> {
    this.#link.start();
  }

  async stop(): Promise<void> {
    this.#flushPending();
    await this.#link.stop();
  }

  /** Asks the meter for its newest record; a fresh one is emitted as 'reading' or 'fault'. */
  fetchLatest(): Promise<RacpMessage> {
    return this.#racp("report last record", racp.reportLast());
  }

  /** Number of records stored in the meter. */
  async countRecords(): Promise<number> {
    const r = await this.#racp("report number of records", racp.count());
    if (r.kind !== "count-response")
      throw new StationError("racp-unexpected", `expected a count, got ${r.kind}`);
    return r.count;
  }

  async #setup(): Promise<void> {
    const t = this.#o.transport;
    await t.subscribe(GATT.glucoseService, GATT.glucoseMeasurement, (d) => this.#onMeasurement(d));
    await t.subscribe(GATT.glucoseService, GATT.glucoseMeasurementContext, (d) => this.#onContext(d));
    await t.subscribe(GATT.glucoseService, GATT.recordAccessControlPoint, (d) => this.#onRacp(d));
    const r = await this.fetchLatest();
    if (r.kind === "response-code" && !r.success && r.name !== "no-records-found")
      this.#log.warn(`meter refused "report last record": ${r.name ?? r.code}`);
  }

  /** One RACP procedure at a time; the waiter is registered before the write. */
  #racp(what: string, bytes: Uint8Array): Promise<RacpMessage> {
    const run = () =>
      new Promise<RacpMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#waiter = null;
          reject(new StationError("racp-timeout", `RACP "${what}": no response in ${this.#timeoutMs} ms`));
        }, this.#timeoutMs);
        this.#waiter = { resolve, reject, timer };
        this.#o.transport
          .write(GATT.glucoseService, GATT.recordAccessControlPoint, bytes)
          .catch((e: unknown) => {
            clearTimeout(timer);
            this.#waiter = null;
            reject(e instanceof Error ? e : new Error(String(e)));
          });
      });
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => {});
    return p;
  }

  get #timeoutMs(): number {
    return this.#o.racpTimeoutMs ?? 10_000;
  }

  #onRacp(data: Uint8Array): void {
    const r = decodeRacp(data);
    if (!r.ok) return void this.#log.warn(`bad RACP indication: ${r.error.message}`);
    // Records precede the response code; anything still waiting for context is complete now.
    this.#flushPending();
    const w = this.#waiter;
    if (!w) return;
    this.#waiter = null;
    clearTimeout(w.timer);
    w.resolve(r.value);
  }

  #onMeasurement(data: Uint8Array): void {
    this.#flushPending();
    const r = decodeGlucoseMeasurement(data);
    if (!r.ok) return void this.emit("fault", glucoseFault("glucose-bad-data", r.error.message));
    if (!r.value.contextFollows) {
      this.#finish(r.value, null);
      return;
    }
    const timer = setTimeout(() => this.#flushPending(), this.#o.contextWaitMs ?? 1000);
    this.#pending = { m: r.value, timer };
  }

  #onContext(data: Uint8Array): void {
    const r = decodeGlucoseContext(data);
    if (!r.ok) return void this.#log.warn(`bad 0x2A34: ${r.error.message}`);
    const p = this.#pending;
    if (!p || p.m.sequence !== r.value.sequence) return;
    clearTimeout(p.timer);
    this.#pending = null;
    this.#finish(p.m, r.value);
  }

  #flushPending(): void {
    const p = this.#pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.#pending = null;
    this.#finish(p.m, null);
  }

  #finish(m: GlucoseMeasurement, context: GlucoseContext | null): void {
    const now = this.#o.clock?.() ?? new Date();
    if (!this.#isFresh(m, now)) return;
    const outcome = toGlucoseReading(m, context, {
      now,
      offsetMinutes: this.#offset,
      maxSkewMinutes: this.#o.maxClockSkewMinutes ?? 10,
      device: this.ref,
    });
    if (outcome.ok) this.emit("reading", outcome.reading);
    else this.emit("fault", outcome.fault);
  }

  #isFresh(m: GlucoseMeasurement, now: Date): boolean {
    const highest = this.#highestSeq;
    if (highest !== null) {
      if (m.sequence <= highest) return false;
      this.#highestSeq = m.sequence;
      return true;
    }
    this.#highestSeq = m.sequence;
    const t = recordWallTime(m);
    if (!isCompleteWallTime(t)) return false;
    const ageMs = Math.abs(now.getTime() - wallTimeToEpoch(t, this.#offset));
    return ageMs <= (this.#o.freshRecordMinutes ?? 10) * 60_000;
  }

  get #offset(): number {
    return this.#o.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES;
  }

  #onStatus(s: DeviceStatus): void {
    if (s.state !== "connected") {
      const w = this.#waiter;
      this.#waiter = null;
      if (w) {
        clearTimeout(w.timer);
        w.reject(new StationError("ble-link-lost", "link lost during a RACP procedure"));
      }
    }
    this.emit("status", s);
  }
}
