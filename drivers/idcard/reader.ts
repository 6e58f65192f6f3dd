/**
 * Resident ID card reader on the SAM serial protocol. Polls find → select → read, emits one
 * `card` (or `fault`) per card placed, and `removed` once find has failed `liftMisses` times
 * in a row after a read, so a card left lying on the reader is never re-read in a loop.
 */
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { type BackoffOptions, type SerialBinding, SerialLink } from "../serial/link.js";
import type { CardReader, CardReaderEvents, DeviceStatus } from "../types.js";
import { cardFromReadData, deviceFault, localDate } from "./card.js";
import { type CommandName, encodeCommand, parseResponse, type Response } from "./codec.js";
import { IdCardFrameParser } from "./parser.js";
import { describeSw3, SW3 } from "./sw3.js";

export interface IdCardReaderOptions {
  path: string;
  /** GA/T 467 readers talk 115200 8N1. */
  baudRate?: number;
  binding?: SerialBinding;
  model?: string;
  serial?: string;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  /** A read moves ~1.3 KB and waits for the card's crypto; give it longer. */
  readTimeoutMs?: number;
  /** Consecutive failed finds after a read that count as "card lifted". */
  liftMisses?: number;
  /** Consecutive timeouts before status turns to error "no-response". */
  maxTimeouts?: number;
  timeZone?: string;
  now?: () => Date;
  logger?: Logger;
  backoff?: BackoffOptions;
  random?: () => number;
}

export class IdCardReader extends TypedEmitter<CardReaderEvents> implements CardReader {
  readonly ref: DeviceRef;
  readonly link: SerialLink<Buffer>;
  readonly #o: Required<
    Pick<
      IdCardReaderOptions,
      "pollIntervalMs" | "requestTimeoutMs" | "readTimeoutMs" | "liftMisses" | "maxTimeouts" | "timeZone"
    >
  >;
  readonly #now: () => Date;
  readonly #log: Logger;
  #status: DeviceStatus;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #busy = false;
  #samOk = false;
  #present = false;
  #misses = 0;
  #timeouts = 0;

  constructor(opts: IdCardReaderOptions) {
    super();
    this.#o = {
      pollIntervalMs: opts.pollIntervalMs ?? 300,
      requestTimeoutMs: opts.requestTimeoutMs ?? 1000,
      readTimeoutMs: opts.readTimeoutMs ?? 3000,
      liftMisses: opts.liftMisses ?? 2,
      maxTimeouts: opts.maxTimeouts ?? 3,
      timeZone: opts.timeZone ?? "Asia/Shanghai",
    };
    this.#now = opts.now ?? (() => new Date());
    this.#log = (opts.logger ?? silentLogger).child("idcard");
    this.ref = {
      kind: "card-reader",
      model: opts.model ?? "GA/T 467 SAM reader",
      transport: "serial",
      ...(opts.serial ? { serial: opts.serial } : {}),
    };
    this.link = new SerialLink<Buffer>({
      path: opts.path,
      baudRate: opts.baudRate ?? 115200,
      createParser: () => new IdCardFrameParser(),
      logger: this.#log,
      ...(opts.binding ? { binding: opts.binding } : {}),
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      now: this.#now,
    });
    this.#status = this.link.status;
    this.link.on("status", (s) => {
      // After a replug the SAM may have reset; check it again before trusting reads.
      this.#samOk = false;
      this.#timeouts = 0;
      this.#setStatus(s);
    });
    this.link.on("frame", (f) => this.#log.debug(() => `unsolicited frame ${f.toString("hex")}`));
  }

  get status(): DeviceStatus {
    return this.#status;
  }
  /** True between a read and the lift that follows it. */
  get cardPresent(): boolean {
    return this.#present;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.link.start();
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.link.stop();
  }

  /** The SAM's id as hex (12 FF); a technician reads it off the status page. */
  async readSamId(): Promise<string> {
    const r = await this.#cmd("samId");
    if (r.sw3 !== SW3.OK) throw new StationError(describeSw3(r.sw3).code, `samId: ${describeSw3(r.sw3).en}`);
    return r.data.toString("hex");
  }

  /** One poll cycle. Public so tests and a "read now" button can drive it. */
  async poll(): Promise<void> {
    if (!this.link.connected || this.#busy) return;
    this.#busy = true;
    try {
      await this.#cycle();
    } catch (err) {
      this.#onError(err);
    } finally {
      this.#busy = false;
    }
  }

  async #cycle(): Promise<void> {
    if (!this.#samOk) {
      const s = await this.#cmd("samStatus");
      if (s.sw3 !== SW3.OK) return this.#samFailed(s.sw3);
      this.#samOk = true;
      this.#setStatus({ state: "connected", since: this.#now().toISOString() });
    }
    const found = await this.#cmd("find");
    if (found.sw3 === SW3.SAM_SELFTEST_FAILED) return this.#samFailed(found.sw3);
    if (this.#present) {
      if (found.sw3 === SW3.CARD_FOUND) this.#misses = 0;
      else if (++this.#misses >= this.#o.liftMisses) {
        this.#present = false;
        this.#misses = 0;
        this.emit("removed");
      }
      return;
    }
    if (found.sw3 !== SW3.CARD_FOUND) return;
    // A card leaving the field between find and select is normal; try again next poll.
    if ((await this.#cmd("select")).sw3 !== SW3.OK) return;
    const read = await this.#cmd("read", this.#o.readTimeoutMs);
    this.#present = true;
    this.#misses = 0;
    if (read.sw3 !== SW3.OK) {
      const info = describeSw3(read.sw3);
      this.emit("fault", deviceFault(info.code, info));
      return;
    }
    const result = cardFromReadData(read.data, localDate(this.#now(), this.#o.timeZone));
    if (result.ok) this.emit("card", result.card);
    else this.emit("fault", result.fault);
  }

  async #cmd(name: CommandName, timeoutMs = this.#o.requestTimeoutMs): Promise<Response> {
    // Responses carry SW1–SW3; a 2-byte payload would be our own command echoed back.
    const payload = await this.link.request(
      `idcard ${name}`,
      encodeCommand(name),
      (p) => p.length >= 3,
      timeoutMs,
    );
    this.#timeouts = 0;
    if (this.#status.state === "error" && this.#status.code === "no-response" && this.#samOk)
      this.#setStatus({ state: "connected", since: this.#now().toISOString() });
    return parseResponse(payload);
  }

  #samFailed(sw3: number): void {
    this.#samOk = false;
    const info = describeSw3(sw3);
    this.#setStatus({ state: "error", code: info.code, detail: info.en, since: this.#now().toISOString() });
  }

  #onError(err: unknown): void {
    if (err instanceof StationError && err.code === "timeout") {
      // A bogus length field in line noise can hold the parser; drop it.
      this.link.parser?.resync();
      if (++this.#timeouts >= this.#o.maxTimeouts)
        this.#setStatus({
          state: "error",
          code: "no-response",
          detail: err.message,
          since: this.#now().toISOString(),
        });
    }
    this.#log.warn(`poll: ${(err as Error).message}`);
  }

  #setStatus(s: DeviceStatus): void {
    if (s.state === this.#status.state && s.code === this.#status.code) return;
    this.#status = s;
    this.emit("status", s);
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      void this.poll().finally(() => this.#schedule());
    }, this.#o.pollIntervalMs);
  }
}
