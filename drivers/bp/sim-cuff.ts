/**
 * A simulated Blood Pressure Profile cuff. startMeasurement() behaves like pressing the
 * cuff's start button: a few 0x2A36 intermediate cuff pressures while it inflates, then one
 * 0x2A35 indication with the result — the same bytes a real cuff sends.
 */
import type { SimLink, SimPeripheral } from "../ble/sim-transport.js";
import { GATT } from "../ble/transport.js";
import { type BpMeasurementInput, encodeBpMeasurement, encodeIntermediateCuffPressure } from "./bpm-codec.js";

export interface SimulatedBpCuffOptions {
  address: string;
  /** Intermediate notifications per cycle. Default 5. */
  inflateSteps?: number;
  /** Time between notifications. Default 400 ms. */
  stepMs?: number;
}

export class SimulatedBpCuff implements SimPeripheral {
  readonly address: string;
  readonly #steps: number;
  readonly #stepMs: number;
  #link: SimLink | null = null;
  #timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(options: SimulatedBpCuffOptions) {
    this.address = options.address;
    this.#steps = options.inflateSteps ?? 5;
    this.#stepMs = options.stepMs ?? 400;
  }

  get measuring(): boolean {
    return this.#timers.length > 0;
  }

  hasCharacteristic(service: string, characteristic: string): boolean {
    return (
      service === GATT.bloodPressureService &&
      (characteristic === GATT.bloodPressureMeasurement || characteristic === GATT.intermediateCuffPressure)
    );
  }

  attach(link: SimLink): void {
    this.#link = link;
  }

  detach(): void {
    this.#link = null;
  }

  onWrite(): void {
    // The BPS characteristics the station uses are notify/indicate only; writes are ignored.
  }

  /**
   * Runs one cycle. `result` is either a measurement to encode or exact bytes to send
   * (for malformed-value tests). The total duration is (inflateSteps + 1) × stepMs.
   */
  startMeasurement(result: BpMeasurementInput | Uint8Array): void {
    this.cancel();
    const unit = result instanceof Uint8Array ? "mmHg" : result.unit;
    const peak = unit === "kPa" ? 26.0 : 195;
    for (let i = 1; i <= this.#steps; i++) {
      const pressure = Math.round((peak * i) / this.#steps);
      this.#at(i * this.#stepMs, () =>
        this.#send(GATT.intermediateCuffPressure, encodeIntermediateCuffPressure(pressure, unit)),
      );
    }
    const bytes = result instanceof Uint8Array ? result : encodeBpMeasurement(result);
    this.#at((this.#steps + 1) * this.#stepMs, () => {
      this.#send(GATT.bloodPressureMeasurement, bytes);
      this.#timers = [];
    });
  }

  cancel(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
  }

  #at(ms: number, fn: () => void): void {
    this.#timers.push(setTimeout(fn, ms));
  }

  #send(characteristic: string, bytes: Uint8Array): void {
    this.#link?.notify(GATT.bloodPressureService, characteristic, bytes);
  }
}
