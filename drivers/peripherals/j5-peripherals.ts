/**
 * Status LED, buzzer, help button and PIR motion sensor through johnny-five, as the
 * station's Peripherals. The board is an injected IO plugin (Firmata over USB, a Pi GPIO
 * plugin, or FakeIoPlugin in sim/tests); see docs/devices-peripherals.md.
 * Events: status, help (debounced: one per press, then a lockout), motion (motion start).
 */
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { nextStatus } from "../status.js";
import type {
  BuzzerPattern,
  DeviceState,
  DeviceStatus,
  LedPattern,
  PeripheralEvents,
  Peripherals,
} from "../types.js";
import { type IoPlugin, type J5Board, type JohnnyFive, loadJohnnyFive } from "./io-plugin.js";
import { BUZZER_PATTERNS, LED_PATTERNS, PatternPlayer } from "./patterns.js";

export interface PeripheralPins {
  statusLed: number;
  /** An active buzzer on a digital pin (on = sounding). */
  buzzer: number;
  helpButton: number;
  motion: number;
}

export interface JohnnyFivePeripheralsOptions {
  io: IoPlugin;
  pins: PeripheralPins;
  /** Button wired to ground with the internal pull-up (default true). */
  helpPullup?: boolean;
  /** After a help press, further presses are ignored this long. Default 3000 ms. */
  helpLockoutMs?: number;
  /** PIR warm-up before motion is trusted. Default 2000 ms (johnny-five's PIR default). */
  motionCalibrationMs?: number;
  /** Board handshake limit. Default 10 000 ms. */
  readyTimeoutMs?: number;
  /** Injected module (tests); default: johnny-five, loaded lazily. */
  five?: JohnnyFive;
  logger?: Logger;
  clock?: () => Date;
}

export class JohnnyFivePeripherals extends TypedEmitter<PeripheralEvents> implements Peripherals {
  readonly ref: DeviceRef = { kind: "peripherals", model: "johnny-five", transport: "serial" };
  readonly #o: JohnnyFivePeripheralsOptions;
  readonly #log: Logger;
  #status: DeviceStatus;
  #board: J5Board | null = null;
  #led: PatternPlayer | null = null;
  #buzzer: PatternPlayer | null = null;
  #lastHelp = Number.NEGATIVE_INFINITY;
  #pendingLed: LedPattern = "off";

  constructor(options: JohnnyFivePeripheralsOptions) {
    super();
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.#status = { state: "disconnected", code: "not-started", since: this.#now().toISOString() };
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    if (this.#board) return;
    try {
      const five = this.#o.five ?? (await loadJohnnyFive());
      const board = new five.Board({ io: this.#o.io, repl: false, debug: false, sigint: false });
      this.#board = board;
      board.on("error", (e: Error) => this.#set("error", "board-error", e.message));
      board.on("close", () => this.#set("error", "board-lost"));
      board.on("disconnect", () => this.#set("error", "board-lost"));
      await this.#ready(board);
      this.#wire(five, board);
      this.#set("connected");
    } catch (e) {
      const code = e instanceof StationError ? e.code : "board-error";
      this.#set("error", code, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.#led?.stop();
    this.#buzzer?.stop();
    this.#led?.write(false);
    this.#buzzer?.write(false);
    this.#set("disconnected", "stopped");
  }

  led(pattern: LedPattern): void {
    this.#pendingLed = pattern;
    this.#led?.play(LED_PATTERNS[pattern]);
  }

  buzz(pattern: BuzzerPattern): void {
    if (!this.#buzzer) return void this.#log.debug(`buzz(${pattern}) before start`);
    this.#buzzer.play(BUZZER_PATTERNS[pattern]);
  }

  #ready(board: J5Board): Promise<void> {
    if (board.isReady) return Promise.resolve();
    const ms = this.#o.readyTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new StationError("board-timeout", `board did not become ready in ${ms} ms`)),
        ms,
      );
      board.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #wire(five: JohnnyFive, board: J5Board): void {
    const { pins } = this.#o;
    const led = new five.Led({ pin: pins.statusLed, board });
    const buzzer = new five.Pin({ pin: pins.buzzer, type: "digital", mode: 1, board });
    this.#led = new PatternPlayer((on) => (on ? led.on() : led.off()));
    this.#buzzer = new PatternPlayer((on) => (on ? buzzer.high() : buzzer.low()));
    this.#buzzer.write(false);
    this.#led.play(LED_PATTERNS[this.#pendingLed]);

    const button = new five.Button({ pin: pins.helpButton, isPullup: this.#o.helpPullup ?? true, board });
    button.on("press", () => this.#onHelp());
    const motion = new five.Motion({
      pin: pins.motion,
      controller: "PIR",
      calibrationDelay: this.#o.motionCalibrationMs ?? 2000,
      board,
    });
    motion.on("motionstart", () => this.emit("motion"));
  }

  #onHelp(): void {
    const t = this.#now().getTime();
    if (t - this.#lastHelp < (this.#o.helpLockoutMs ?? 3000)) return;
    this.#lastHelp = t;
    this.emit("help");
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
