/**
 * TaiDoc TD-42xx serial glucose meter as a GlucoseMeter. It polls the record count; when the
 * count grows, it reads the newest record (time 0x25 + value 0x26) and emits a reading.
 * Records present at start-up are history, not this villager's test, and are never emitted.
 * Which end of memory is newest is not documented, so it is found by comparing the times
 * of the first and last records once.
 */
import { type OpenOptions, SerialPortStream } from "@serialport/stream";
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import type { BackoffOptions } from "../ble/link.js";
import { DEFAULT_UTC_OFFSET_MINUTES, type WallTime, wallTimeToEpoch } from "../ble/time.js";
import { nextStatus } from "../status.js";
import type { DeviceState, DeviceStatus, GlucoseMeter, GlucoseMeterEvents } from "../types.js";
import { buildGlucoseReading } from "./gls-assess.js";
import { MGDL_PER_MMOLL } from "./gls-codec.js";
import * as td from "./td42xx-codec.js";
import { Td42xxParser } from "./td42xx-parser.js";

export type SerialBinding = OpenOptions["binding"];

export interface Td42xxMeterOptions {
  /** Prefer /dev/serial/by-id/… over ttyUSB numbers. */
  path: string;
  /** Default 19200 (glucometerutils). */
  baudRate?: number;
  /** Injected serialport binding; MockBinding in tests. Default: serialport's native binding. */
  binding?: SerialBinding;
  model?: string;
  logger?: Logger;
  clock?: () => Date;
  utcOffsetMinutes?: number;
  maxClockSkewMinutes?: number;
  /** Default 2000 ms. */
  pollIntervalMs?: number;
  /** Per command; default 1000 ms. */
  requestTimeoutMs?: number;
  /** Re-opening the port after it closed or failed to open. */
  reopen?: BackoffOptions;
}

export interface TdRecord {
  index: number;
  time: WallTime;
  value: td.TdRecordValue;
}

export class Td42xxGlucoseMeter extends TypedEmitter<GlucoseMeterEvents> implements GlucoseMeter {
  readonly ref: DeviceRef;
  readonly #o: Td42xxMeterOptions;
  readonly #log: Logger;
  #status: DeviceStatus;
  #port: SerialPortStream | null = null;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #reopenDelay: number;
  #waiter: { accept: (f: td.Td42xxFrame) => boolean; resolve: (f: td.Td42xxFrame) => void } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #handshaken = false;
  #baseline: number | null = null;
  #newestFirst: boolean | null = null;

  constructor(options: Td42xxMeterOptions) {
    super();
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.ref = { kind: "glucose", model: options.model ?? "TaiDoc TD-42xx", transport: "serial" };
    this.#status = { state: "disconnected", code: "not-started", since: this.#now().toISOString() };
    this.#reopenDelay = options.reopen?.initialMs ?? 1000;
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.#open();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#closePort();
    this.#set("disconnected", "stopped");
  }

  readModel = (): Promise<string> =>
    this.#cmd(td.TD_CMD.readModel, "read model").then((f) => td.decodeTdModel(f.data));
  readClock = (): Promise<WallTime> =>
    this.#cmd(td.TD_CMD.readClock, "read clock").then((f) => td.decodeTdDateTime(f.data));
  readCount = (): Promise<number> =>
    this.#cmd(td.TD_CMD.readingCount, "read count").then((f) => td.decodeTdCount(f.data));
  clearMemory = (): Promise<void> => this.#cmd(td.TD_CMD.clearMemory, "clear memory").then(() => {});

  /** Sent without waiting: a meter that powers off does not answer. */
  powerOff = (): Promise<void> => this.#write(td.encodeTd42xxFrame(td.TD_CMD.powerOff));

  async readRecord(index: number): Promise<TdRecord> {
    const sel = td.tdSelectRecord(index);
    const t = await this.#cmd(td.TD_CMD.recordTime, `read record ${index} time`, sel);
    const v = await this.#cmd(td.TD_CMD.recordValue, `read record ${index} value`, sel);
    return { index, time: td.decodeTdDateTime(t.data), value: td.decodeTdRecordValue(v.data) };
  }

  /** The newest stored record, or null when memory is empty. */
  async readNewest(count?: number): Promise<TdRecord | null> {
    const n = count ?? (await this.readCount());
    if (n === 0) return null;
    if (n === 1) return this.readRecord(0);
    if (this.#newestFirst === null) {
      const first = await this.readRecord(0);
      const last = await this.readRecord(n - 1);
      this.#newestFirst = wallTimeToEpoch(first.time, 0) >= wallTimeToEpoch(last.time, 0);
      return this.#newestFirst ? first : last;
    }
    return this.readRecord(this.#newestFirst ? 0 : n - 1);
  }

  async #open(): Promise<void> {
    try {
      const binding = this.#o.binding ?? (await import("@serialport/bindings-cpp")).autoDetect();
      const port = new SerialPortStream({
        binding,
        path: this.#o.path,
        baudRate: this.#o.baudRate ?? 19200,
        autoOpen: false,
      });
      await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
      const parser = port.pipe(new Td42xxParser({ direction: "meter" }));
      parser.on("data", (f: td.Td42xxFrame) => this.#onFrame(f));
      port.on("close", () => this.#onPortLost("port-closed"));
      port.on("error", (e: Error) => this.#log.warn(`serial error: ${e.message}`));
      this.#port = port;
      this.#reopenDelay = this.#o.reopen?.initialMs ?? 1000;
      this.#set("disconnected", "meter-silent");
      this.#schedulePoll(0);
    } catch (e) {
      this.#set("error", "port-open-failed", e instanceof Error ? e.message : String(e));
      this.#scheduleReopen();
    }
  }

  #onPortLost(code: string): void {
    if (this.#port === null) return;
    this.#port = null;
    this.#handshaken = false;
    if (!this.#running) return;
    this.#set("error", code);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#scheduleReopen();
  }

  #scheduleReopen(): void {
    if (!this.#running) return;
    const delay = this.#reopenDelay;
    this.#reopenDelay = Math.min(delay * 2, this.#o.reopen?.maxMs ?? 30_000);
    this.#timer = setTimeout(() => void this.#open(), delay);
  }

  #schedulePoll(delay = this.#o.pollIntervalMs ?? 2000): void {
    if (!this.#running || !this.#port) return;
    this.#timer = setTimeout(() => void this.#poll(), delay);
  }

  async #poll(): Promise<void> {
    this.#timer = null;
    try {
      if (!this.#handshaken) await this.#handshake();
      const count = await this.readCount();
      this.#set("connected");
      if (this.#baseline === null || count < this.#baseline) this.#baseline = count;
      else if (count > this.#baseline) {
        this.#baseline = count;
        const rec = await this.readNewest(count);
        if (rec) this.#emitRecord(rec);
      }
    } catch (e) {
      if (!(e instanceof StationError && e.code === "td42xx-timeout")) this.#log.warn(String(e));
      // A sleeping or switched-off meter does not answer; that is routine, keep polling.
      this.#handshaken = false;
      if (this.#port) this.#set("disconnected", "meter-silent");
    }
    this.#schedulePoll();
  }

  async #handshake(): Promise<void> {
    await this.#cmd(td.TD_CMD.connect, "connect", undefined, (f) => td.TD_CONNECT_REPLIES.includes(f.cmd));
    const model = await this.readModel();
    this.#log.info(`TaiDoc meter ${model} answered on ${this.#o.path}`);
    this.#handshaken = true;
  }

  #emitRecord(rec: TdRecord): void {
    const mmolL = Math.round((rec.value.mgdl / MGDL_PER_MMOLL) * 100) / 100;
    const out = buildGlucoseReading(mmolL, td.tdMealToSampleType(rec.value.meal), rec.time, {
      now: this.#now(),
      offsetMinutes: this.#o.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES,
      maxSkewMinutes: this.#o.maxClockSkewMinutes ?? 10,
      device: this.ref,
    });
    if (out.ok) this.emit("reading", out.reading);
    else this.emit("fault", out.fault);
  }

  /** Serialised request/response; the waiter is registered before the write. */
  #cmd(
    cmd: number,
    name: string,
    data?: ArrayLike<number>,
    accept: (f: td.Td42xxFrame) => boolean = (f) => f.cmd === cmd,
  ): Promise<td.Td42xxFrame> {
    const run = () =>
      new Promise<td.Td42xxFrame>((resolve, reject) => {
        const ms = this.#o.requestTimeoutMs ?? 1000;
        const timer = setTimeout(() => {
          this.#waiter = null;
          reject(
            new StationError(
              "td42xx-timeout",
              `TD-42xx "${name}" (0x${cmd.toString(16)}): no reply in ${ms} ms`,
            ),
          );
        }, ms);
        this.#waiter = {
          accept,
          resolve: (f) => {
            clearTimeout(timer);
            resolve(f);
          },
        };
        this.#write(td.encodeTd42xxFrame(cmd, data)).catch((e: unknown) => {
          clearTimeout(timer);
          this.#waiter = null;
          reject(e instanceof Error ? e : new Error(String(e)));
        });
      });
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => {});
    return p;
  }

  #write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(new StationError("port-closed", `${this.#o.path} is not open`));
    return new Promise((res, rej) => port.write(Buffer.from(bytes), (e) => (e ? rej(e) : res())));
  }

  #onFrame(f: td.Td42xxFrame): void {
    const w = this.#waiter;
    if (!w?.accept(f)) return void this.#log.debug(() => `unsolicited frame cmd 0x${f.cmd.toString(16)}`);
    this.#waiter = null;
    w.resolve(f);
  }

  async #closePort(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((res) => port.close(() => res()));
  }

  #set(state: DeviceState, code?: string, detail?: string): void {
    const next = nextStatus(this.#status, state, this.#now().toISOString(), code, detail);
    if (!next) return;
    this.#status = next;
    this.emit("status", next);
  }

  #now(): Date {
    return this.#o.clock?.() ?? new Date();
  }
}
