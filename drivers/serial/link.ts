/**
 * One serial port with its frame parser, hot-plug recovery and request/response discipline.
 * The binding is injected (MockBinding in unit tests); by default it is serialport's native one.
 */
import { access } from "node:fs/promises";
import { type OpenOptions, SerialPortStream } from "@serialport/stream";
import { SerialPort } from "serialport";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import type { DeviceStatus } from "../types.js";
import type { BadFrame, FrameParser } from "./frame-parser.js";
import { Mutex } from "./mutex.js";
import { Waiters } from "./waiters.js";

export type SerialBinding = OpenOptions["binding"];

export interface BackoffOptions {
  /** First retry delay before jitter (default 250 ms). */
  initialMs?: number;
  /** Cap on the delay (default 10 s). */
  maxMs?: number;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, capped. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random) {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 10_000;
  const exp = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export interface PresenceOptions {
  intervalMs?: number;
  exists?: (path: string) => Promise<boolean>;
}

const pathExists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export interface SerialLinkOptions<F> {
  path: string;
  baudRate: number;
  binding?: SerialBinding;
  /**
   * Watches the device node while open. The native binding does not always report a vanished
   * device (a pty whose master closed never errors), but udev removes /dev/ttyUSB* and its
   * by-id link on unplug. On by default for the native binding (every 1 s); off for injected ones.
   */
  presence?: PresenceOptions | false;
  createParser: () => FrameParser<F>;
  logger?: Logger;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => Date;
}

export type SerialLinkEvents<F> = {
  status: [DeviceStatus];
  /** Frames no request was waiting for (unsolicited). */
  frame: [F];
  badFrame: [BadFrame];
};

export class SerialLink<F> extends TypedEmitter<SerialLinkEvents<F>> {
  readonly #opts: SerialLinkOptions<F>;
  readonly #log: Logger;
  readonly #waiters = new Waiters<F>();
  readonly #mutex = new Mutex();
  #port: SerialPortStream | undefined;
  #parser: FrameParser<F> | undefined;
  #status: DeviceStatus;
  #running = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #presenceTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #presence: Required<PresenceOptions> | undefined;
  readonly stats = { badFrames: 0, reconnects: 0, opens: 0 };

  constructor(opts: SerialLinkOptions<F>) {
    super();
    this.#opts = opts;
    this.#log = opts.logger ?? silentLogger;
    this.#status = { state: "disconnected", code: "not-started", since: this.#now() };
    const presence = opts.presence ?? (opts.binding ? false : {});
    this.#presence = presence
      ? { intervalMs: presence.intervalMs ?? 1000, exists: presence.exists ?? pathExists }
      : undefined;
  }

  get status(): DeviceStatus {
    return this.#status;
  }
  get path(): string {
    return this.#opts.path;
  }
  /** The open port stream, for diagnostics and tests. */
  get port(): SerialPortStream | undefined {
    return this.#port;
  }
  get parser(): FrameParser<F> | undefined {
    return this.#parser;
  }
  get connected(): boolean {
    return this.#status.state === "connected";
  }

  /** Resolves after the first open attempt; on failure the link keeps retrying in the background. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.#open();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const port = this.#port;
    this.#detach("stopped", "link stopped");
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Writes and waits until the bytes have left the OS buffer. */
  write(bytes: Buffer): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen)
      return Promise.reject(new StationError("disconnected", `serial port ${this.#opts.path} is not open`));
    return new Promise((resolve, reject) => {
      port.write(bytes, (err) => {
        if (err)
          return reject(new StationError("write-failed", `write to ${this.#opts.path}: ${err.message}`));
        port.drain((e) => (e ? reject(new StationError("write-failed", e.message)) : resolve()));
      });
    });
  }

  /**
   * Sends one command and resolves with the first frame `match` accepts. Commands are
   * serialised; the waiter exists before the first byte is written.
   */
  request(command: string, bytes: Buffer, match: (frame: F) => boolean, timeoutMs: number): Promise<F> {
    return this.#mutex.run(async () => {
      if (!this.connected)
        throw new StationError("disconnected", `${command}: serial port ${this.#opts.path} is not open`);
      const waiter = this.#waiters.add(command, match, timeoutMs);
      // The timeout can fire while the write is still pending (a loaded machine holds its
      // callback): mark the rejection handled now; the caller still gets it from the return below.
      waiter.promise.catch(() => {});
      try {
        await this.write(bytes);
      } catch (err) {
        waiter.cancel();
        throw err;
      }
      return waiter.promise;
    });
  }

  /** Writes a command that has no response, in turn with requests (never interleaved with one). */
  send(command: string, bytes: Buffer): Promise<void> {
    return this.#mutex.run(async () => {
      if (!this.connected)
        throw new StationError("disconnected", `${command}: serial port ${this.#opts.path} is not open`);
      await this.write(bytes);
    });
  }

  #now(): string {
    return (this.#opts.now?.() ?? new Date()).toISOString();
  }

  #setStatus(state: DeviceStatus["state"], code?: string, detail?: string): void {
    if (this.#status.state === state && this.#status.code === code) return;
    this.#status = { state, ...(code ? { code } : {}), ...(detail ? { detail } : {}), since: this.#now() };
    this.emit("status", this.#status);
  }

  #open(): Promise<void> {
    const { path, baudRate } = this.#opts;
    const binding = this.#opts.binding ?? SerialPort.binding;
    return new Promise((resolve) => {
      let port: SerialPortStream;
      try {
        port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
      } catch (err) {
        this.#down("open-failed", (err as Error).message);
        return resolve();
      }
      // An error before open completes is reported through the callback; swallow the event.
      port.on("error", (err) => this.#onPortTrouble(port, "port-error", err.message));
      port.open((err) => {
        if (err) {
          this.#down("open-failed", err.message);
          return resolve();
        }
        if (!this.#running) {
          port.close();
          return resolve();
        }
        this.#attach(port);
        resolve();
      });
    });
  }

  #attach(port: SerialPortStream): void {
    const parser = this.#opts.createParser();
    parser.on("data", (frame: F) => {
      if (!this.#waiters.resolve(frame)) this.emit("frame", frame);
    });
    parser.on("badFrame", (bad: BadFrame) => {
      this.stats.badFrames++;
      this.#log.debug(() => `${this.#opts.path}: dropped ${bad.reason} ${bad.bytes.toString("hex")}`);
      this.emit("badFrame", bad);
    });
    port.on("close", (err: (Error & { disconnected?: boolean }) | null) =>
      this.#onPortTrouble(port, err?.disconnected ? "unplugged" : "port-closed", err?.message),
    );
    port.pipe(parser);
    this.#port = port;
    this.#parser = parser;
    this.#attempt = 0;
    this.stats.opens++;
    this.#log.info(`${this.#opts.path}: open at ${this.#opts.baudRate} baud`);
    this.#setStatus("connected");
    this.#watchPresence(port);
  }

  #watchPresence(port: SerialPortStream): void {
    const presence = this.#presence;
    if (!presence) return;
    this.#presenceTimer = setTimeout(async () => {
      this.#presenceTimer = undefined;
      if (this.#port !== port) return;
      if (await presence.exists(this.#opts.path)) this.#watchPresence(port);
      else this.#onPortTrouble(port, "unplugged", `${this.#opts.path} vanished`);
    }, presence.intervalMs);
  }

  #onPortTrouble(port: SerialPortStream, code: string, detail?: string): void {
    if (this.#port !== port) return; // a stale port from before a reconnect
    this.#log.warn(`${this.#opts.path}: ${code}${detail ? ` (${detail})` : ""}`);
    if (port.isOpen) port.close();
    this.#down(code, detail);
  }

  #detach(code: string, reason: string): void {
    clearTimeout(this.#presenceTimer);
    this.#presenceTimer = undefined;
    const port = this.#port;
    if (port && this.#parser) port.unpipe(this.#parser);
    this.#port = undefined;
    this.#parser = undefined;
    this.#waiters.rejectAll("disconnected", reason);
    this.#setStatus("disconnected", code, reason);
  }

  #down(code: string, detail?: string): void {
    this.#detach(code, detail ?? code);
    if (!this.#running || this.#timer) return;
    const delay = backoffDelay(this.#attempt++, this.#opts.backoff, this.#opts.random);
    this.#log.debug(() => `${this.#opts.path}: reconnect in ${delay} ms`);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running) return;
      this.stats.reconnects++;
      void this.#open();
    }, delay);
  }
}
