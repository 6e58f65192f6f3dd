/**
 * The board seam for johnny-five. `IoPlugin` is the subset of the published johnny-five
 * IO Plugin contract (github.com/rwaldron/io-plugins) the station's peripherals need.
 * `FakeIoPlugin` is our own implementation of that contract for simulation and tests:
 * it records every digitalWrite and lets a test or the sim drive input pins.
 *
 * johnny-five and firmata are loaded lazily: firmata requires serialport 8 at load time and
 * throws (a bare string) where its native binding is missing, so nothing here imports them
 * at module load.
 */
import { EventEmitter } from "node:events";
import { StationError } from "../../station/util/errors.js";

export interface IoPinInfo {
  supportedModes: number[];
  mode: number;
  value: number;
  report: number;
  analogChannel: number;
}

export interface IoPlugin extends EventEmitter {
  readonly name: string;
  readonly MODES: { INPUT: number; OUTPUT: number; ANALOG: number; PWM: number; SERVO: number };
  readonly HIGH: number;
  readonly LOW: number;
  readonly pins: IoPinInfo[];
  readonly analogPins: number[];
  isReady: boolean;
  pinMode(pin: number, mode: number): unknown;
  digitalWrite(pin: number, value: number): unknown;
  digitalRead(pin: number, handler: (value: number) => void): unknown;
}

export interface DigitalWrite {
  pin: number;
  value: number;
}

/** An IO plugin with only digital pins; `setInput` plays a button or PIR sensor. */
export class FakeIoPlugin extends EventEmitter implements IoPlugin {
  readonly name = "FakeIoPlugin";
  readonly MODES = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4 };
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly RESOLUTION = { ADC: 1023, DAC: null, PWM: 255 };
  readonly pins: IoPinInfo[];
  readonly analogPins: number[] = [];
  readonly defaultLed = -1;
  isReady = false;
  /** Every digitalWrite in order, for assertions. */
  readonly writes: DigitalWrite[] = [];
  readonly #readers = new Map<number, Array<(value: number) => void>>();
  readonly #levels = new Map<number, number>();

  constructor(pinCount = 28) {
    super();
    this.pins = Array.from({ length: pinCount }, () => ({
      supportedModes: [0, 1],
      mode: 1,
      value: 0,
      report: 1,
      analogChannel: 127,
    }));
  }

  /** Completes the handshake the way a Firmata board does once its firmware answers. */
  connect(): void {
    this.isReady = true;
    this.emit("connect");
    this.emit("ready");
  }

  pinMode(pin: number, mode: number): this {
    const p = this.#pin(pin);
    p.mode = mode;
    return this;
  }

  digitalWrite(pin: number, value: number): this {
    this.#pin(pin).value = value;
    this.writes.push({ pin, value });
    return this;
  }

  digitalRead(pin: number, handler: (value: number) => void): this {
    this.#pin(pin);
    this.#readers.set(pin, [...(this.#readers.get(pin) ?? []), handler]);
    return this;
  }

  /** Drives an input pin; like Firmata, reports only changes. */
  setInput(pin: number, value: 0 | 1): void {
    if (this.#levels.get(pin) === value) return;
    this.#levels.set(pin, value);
    this.#pin(pin).value = value;
    for (const fn of this.#readers.get(pin) ?? []) fn(value);
  }

  /** The last value written to a pin (0 if never written). */
  level(pin: number): number {
    return this.#pin(pin).value;
  }

  #pin(pin: number): IoPinInfo {
    const p = this.pins[pin];
    if (!p) throw new StationError("io-bad-pin", `pin ${pin} does not exist on ${this.name}`);
    return p;
  }
}

/** Structural types for the johnny-five classes used; its package ships no typings. */
export interface J5Board extends EventEmitter {
  readonly isReady: boolean;
}
export interface J5Led {
  on(): unknown;
  off(): unknown;
}
export interface J5Pin {
  high(): unknown;
  low(): unknown;
}
export type J5Input = EventEmitter;
export interface JohnnyFive {
  Board: new (opts: Record<string, unknown>) => J5Board;
  Led: new (opts: Record<string, unknown>) => J5Led;
  Pin: new (opts: Record<string, unknown>) => J5Pin;
  Button: new (opts: Record<string, unknown>) => J5Input;
  Motion: new (opts: Record<string, unknown>) => J5Input;
}

type Loader = (specifier: string) => Promise<unknown>;
const dynamicImport: Loader = (s) => import(s);

export async function loadJohnnyFive(load: Loader = dynamicImport): Promise<JohnnyFive> {
  try {
    const m = (await load("johnny-five")) as { default?: JohnnyFive } & JohnnyFive;
    return m.default ?? m;
  } catch (e) {
    throw new StationError("peripherals-io-unavailable", `johnny-five failed to load: ${describe(e)}`);
  }
}

/**
 * A Firmata board on a serial port (johnny-five's standard path). Loads firmata lazily and
 * turns its load-time failure (serialport 8's native binding missing) into a StationError.
 */
export async function createFirmataIo(path: string, load: Loader = dynamicImport): Promise<IoPlugin> {
  try {
    const m = (await load("firmata")) as { default?: new (p: string) => IoPlugin };
    const Firmata = m.default ?? (m as unknown as new (p: string) => IoPlugin);
    return new Firmata(path);
  } catch (e) {
    throw new StationError("peripherals-io-unavailable", `Firmata on ${path} unavailable: ${describe(e)}`);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
