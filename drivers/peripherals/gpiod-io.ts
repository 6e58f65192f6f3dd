/**
 * A johnny-five IO plugin for Raspberry Pi GPIO (every model, the Pi 5 included) over the
 * libgpiod command-line tools of the Debian `gpiod` package. Digital in/out only: that is all
 * the status LED, active buzzer, help button and PIR need. Pins are line offsets on one chip
 * (on a Pi, BCM GPIO numbers); see docs/devices-peripherals.md for finding the chip.
 *
 * The tools differ by major version (read from `gpioset --version`):
 * - v1 (Debian 12, 1.6): `gpioset --mode=signal gpiochip0 17=1` holds the line until
 *   SIGTERM; `gpiomon -b --format=%o %e gpiochip0 27` prints "27 1" (rising) / "27 0"
 *   (falling), line-buffered by -b; `gpioget gpiochip0 27` prints "1".
 * - v2 (Debian 13, 2.2): `gpioset -c gpiochip0 17=1` holds the line until killed by default;
 *   `gpiomon -c gpiochip0 --format=%o %e 27` prints "27 1" (rising) / "27 2" (falling) and
 *   flushes per event; `gpioget --numeric -c gpiochip0 27` prints "1".
 * Both take `--bias=pull-up`. Sources: the v1.6.3 tools' --help on Debian 12, and
 * libgpiod v2.2.1 tools/gpio{set,get,mon}.c (print_help, event_print_formatted).
 * A line can be held by one process at a time, so a write ends the previous gpioset first.
 */
import { EventEmitter } from "node:events";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import type { IoPinInfo, IoPlugin } from "./io-plugin.js";
import type { ProcessRunner, RunningProcess } from "./process-runner.js";

export type GpiodVersion = 1 | 2;
export type Bias = "pull-up" | "pull-down" | null;

export interface GpiodIoOptions {
  /** "gpiochip0" (Pi 1–4, Pi 5 on current kernels) or "gpiochip4" (Pi 5 on early kernels). */
  chip: string;
  runner: ProcessRunner;
  /** Lines exposed as pins 0..lineCount-1. Default 28 (BCM GPIO 0–27 on the 40-pin header). */
  lineCount?: number;
  logger?: Logger;
}

const INPUT = 0;
const OUTPUT = 1;
const PULLUP = 11;

interface Line {
  info: IoPinInfo;
  bias: Bias;
  readers: Array<(value: number) => void>;
  monitor: RunningProcess | null;
  monitorBias: Bias;
  /** Output: the value asked for, the one a live gpioset holds, and that gpioset. */
  want: number | null;
  held: number | null;
  setter: RunningProcess | null;
  busy: boolean;
}

/** Parses the major version from "gpioset (libgpiod) v1.6.3" / "… v2.2.1". */
export function parseGpiodVersion(text: string): GpiodVersion | null {
  const m = /\(libgpiod\)\s+v(\d+)\./.exec(text);
  if (m?.[1] === "1") return 1;
  if (m?.[1] === "2") return 2;
  return null;
}

export class GpiodIo extends EventEmitter implements IoPlugin {
  readonly name = "GpiodIo";
  readonly MODES = { INPUT, OUTPUT, ANALOG: 2, PWM: 3, SERVO: 4, PULLUP };
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly RESOLUTION = { ADC: 1023, DAC: null, PWM: 255 };
  readonly pins: IoPinInfo[];
  readonly analogPins: number[] = [];
  readonly defaultLed = -1;
  isReady = false;
  version: GpiodVersion | null = null;
  readonly #o: GpiodIoOptions;
  readonly #log: Logger;
  readonly #lines: Line[];
  #closed = false;

  constructor(options: GpiodIoOptions) {
    super();
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.#lines = Array.from({ length: options.lineCount ?? 28 }, () => ({
      info: { supportedModes: [INPUT, OUTPUT, PULLUP], mode: INPUT, value: 0, report: 0, analogChannel: 127 },
      bias: null,
      readers: [],
      monitor: null,
      monitorBias: null,
      want: null,
      held: null,
      setter: null,
      busy: false,
    }));
    this.pins = this.#lines.map((l) => l.info);
  }

  /** Detects the tools' version and checks the chip exists; then emits connect and ready. */
  async connect(): Promise<void> {
    const { runner, chip } = this.#o;
    const v = await runner.run("gpioset", ["--version"]).catch((e: unknown) => {
      throw new StationError(
        "gpio-tools-missing",
        `libgpiod tools not usable (apt install gpiod): ${String(e)}`,
      );
    });
    this.version = parseGpiodVersion(v);
    if (!this.version)
      throw new StationError("gpio-tools-missing", `unknown gpioset version: ${v.split("\n")[0]}`);
    const chips = await runner.run("gpiodetect", []).catch((e: unknown) => {
      throw new StationError(
        "gpio-no-chip",
        `gpiodetect failed (is the GPIO character device there?): ${String(e)}`,
      );
    });
    const names = chips
      .split("\n")
      .map((l) => l.split(/\s/)[0])
      .filter(Boolean);
    if (!names.includes(chip.replace(/^\/dev\//, "")))
      throw new StationError(
        "gpio-no-chip",
        `${chip} not found; gpiodetect lists: ${names.join(", ") || "none"}`,
      );
    this.#log.info(`libgpiod v${this.version} tools, ${chip}`);
    this.isReady = true;
    this.emit("connect");
    this.emit("ready");
  }

  /** johnny-five pin names: 17, "17" or "GPIO17" are line offset 17. */
  normalize(pin: number | string): number {
    const n = typeof pin === "number" ? pin : Number(/^(?:GPIO)?(\d+)$/i.exec(pin.trim())?.[1] ?? Number.NaN);
    return Number.isInteger(n) ? n : -1;
  }

  pinMode(pin: number, mode: number): this {
    const l = this.#line(pin);
    if (mode !== INPUT && mode !== OUTPUT && mode !== PULLUP)
      throw new StationError("gpio-unsupported", `pin ${pin}: mode ${mode} (only digital in/out over gpiod)`);
    l.info.mode = mode === PULLUP ? INPUT : mode;
    if (mode === PULLUP) l.bias = "pull-up";
    if (mode === OUTPUT) void this.#stopMonitor(l);
    else {
      l.want = null;
      void this.#release(l);
    }
    return this;
  }

  /** On an output: drive the line. On an input (Firmata convention): 1 = pull-up, 0 = pull-down. */
  digitalWrite(pin: number, value: number): this {
    const l = this.#line(pin);
    const v = value ? 1 : 0;
    if (l.info.mode === INPUT) {
      l.bias = v ? "pull-up" : "pull-down";
      if (l.monitor && l.monitorBias !== l.bias) void this.#restartMonitor(pin, l);
      return this;
    }
    l.info.value = v;
    l.want = v;
    void this.#drive(pin, l);
    return this;
  }

  digitalRead(pin: number, handler: (value: number) => void): this {
    const l = this.#line(pin);
    l.readers.push(handler);
    l.info.report = 1;
    // Deferred, so a bias set right after (johnny-five's Button does) is in the first request.
    if (l.readers.length === 1) queueMicrotask(() => void this.#startMonitor(pin, l));
    return this;
  }

  /** Ends every gpioset/gpiomon; lines then return to the kernel's default state. */
  async close(): Promise<void> {
    this.#closed = true;
    this.isReady = false;
    await Promise.all(this.#lines.map((l) => Promise.all([this.#stopMonitor(l), this.#release(l)])));
  }

  #args(tool: "set" | "get" | "mon", pin: number, bias: Bias, value = 0): string[] {
    const { chip } = this.#o;
    const b = bias ? [`--bias=${bias}`] : [];
    if (this.version === 1) {
      if (tool === "set") return ["--mode=signal", chip, `${pin}=${value}`];
      if (tool === "get") return [...b, chip, String(pin)];
      return ["-b", "--format=%o %e", ...b, chip, String(pin)];
    }
    if (tool === "set") return ["-c", chip, `${pin}=${value}`];
    if (tool === "get") return ["--numeric", ...b, "-c", chip, String(pin)];
    return ["-c", chip, "--format=%o %e", ...b, String(pin)];
  }

  /** One gpioset per output line; coalesces writes that arrive while the last is switching. */
  async #drive(pin: number, l: Line): Promise<void> {
    if (l.busy) return;
    l.busy = true;
    try {
      while (!this.#closed && l.want !== null && l.want !== l.held) {
        const v = l.want;
        await this.#release(l);
        if (this.#closed) break;
        const p = this.#o.runner.spawn("gpioset", this.#args("set", pin, null, v));
        l.setter = p;
        l.held = v;
        p.onExit((code, stderr, killed) => {
          if (l.setter === p) {
            l.setter = null;
            l.held = null;
          }
          if (!killed) this.#fail("gpio-set-failed", `gpioset ${pin}=${v} exited (${code}): ${stderr}`);
        });
      }
    } finally {
      l.busy = false;
    }
  }

  async #release(l: Line): Promise<void> {
    const p = l.setter;
    l.setter = null;
    l.held = null;
    if (p) await p.kill();
  }

  async #startMonitor(pin: number, l: Line): Promise<void> {
    if (l.monitor || this.#closed || l.info.mode !== INPUT) return;
    const bias = l.bias;
    try {
      const out = await this.#o.runner.run("gpioget", this.#args("get", pin, bias));
      this.#report(l, /1\s*$/.test(out.trim()) || /=active\s*$/.test(out.trim()) ? 1 : 0);
    } catch (e) {
      return this.#fail("gpio-read-failed", `gpioget ${pin}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (l.monitor || this.#closed) return;
    const p = this.#o.runner.spawn("gpiomon", this.#args("mon", pin, bias));
    l.monitor = p;
    l.monitorBias = bias;
    p.onLine((line) => {
      const m = /^(\d+)\s+(\d)\s*$/.exec(line);
      if (!m || Number(m[1]) !== pin) return void this.#log.debug(`gpiomon ${pin}: ignored "${line}"`);
      this.#report(l, m[2] === "1" ? 1 : 0); // v1: 0 = falling; v2: 2 = falling
    });
    p.onExit((code, stderr, killed) => {
      if (l.monitor === p) l.monitor = null;
      if (!killed) this.#fail("gpio-monitor-failed", `gpiomon ${pin} exited (${code}): ${stderr}`);
    });
  }

  async #restartMonitor(pin: number, l: Line): Promise<void> {
    await this.#stopMonitor(l);
    await this.#startMonitor(pin, l);
  }

  async #stopMonitor(l: Line): Promise<void> {
    const p = l.monitor;
    l.monitor = null;
    if (p) await p.kill();
  }

  #report(l: Line, value: number): void {
    l.info.value = value;
    for (const fn of l.readers) fn(value);
  }

  #fail(code: string, message: string): void {
    if (this.#closed) return;
    this.#log.warn(message);
    // johnny-five's Board forwards this as its 'error'; unheard, an 'error' event would throw.
    if (this.listenerCount("error") > 0) this.emit("error", new StationError(code, message));
  }

  #line(pin: number): Line {
    const l = this.#lines[pin];
    if (!l) throw new StationError("io-bad-pin", `pin ${pin} does not exist on ${this.#o.chip}`);
    return l;
  }
}

/** Builds the plugin and completes detection, so config errors surface before johnny-five starts. */
export async function createGpiodIo(options: GpiodIoOptions): Promise<GpiodIo> {
  const io = new GpiodIo(options);
  await io.connect();
  return io;
}
