/**
 * A Bluetooth Blood Pressure Profile cuff (service 0x1810) as a BpMonitor. Works over any
 * BleTransport: the simulated one in tests and sim mode, BlueZ on the station.
 * Events: status, measuring (first 0x2A36 of a cycle), reading (plausible 0x2A35), fault.
 */
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { type BleDeviceOptions, deviceLink } from "../ble/device.js";
import type { BleLink } from "../ble/link.js";
import { DEFAULT_UTC_OFFSET_MINUTES } from "../ble/time.js";
import { GATT } from "../ble/transport.js";
import type { BpMonitor, BpMonitorEvents, DeviceStatus } from "../types.js";
import { bpFault, toBpReading } from "./bp-assess.js";
import { decodeBpMeasurement, decodeIntermediateCuffPressure } from "./bpm-codec.js";

export type BleBpMonitorOptions = BleDeviceOptions;

export class BleBpMonitor extends TypedEmitter<BpMonitorEvents> implements BpMonitor {
  readonly ref: DeviceRef;
  readonly #o: BleBpMonitorOptions;
  readonly #log: Logger;
  readonly #link: BleLink;
  #measuring = false;

  constructor(options: BleBpMonitorOptions) {
    super();
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.ref = {
      kind: "bp",
      model: options.model ?? "Bluetooth BPM",
      ...(options.serial ? { serial: options.serial } : {}),
      transport: "ble",
    };
    this.#link = deviceLink(options, this.#log, {
      onConnected: () => this.#subscribe(),
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
    await this.#link.stop();
  }

  async #subscribe(): Promise<void> {
    const t = this.#o.transport;
    this.#measuring = false;
    try {
      await t.subscribe(GATT.bloodPressureService, GATT.intermediateCuffPressure, (d) =>
        this.#onIntermediate(d),
      );
    } catch (e) {
      // 0x2A36 is optional in the profile; without it there is simply no 'measuring' event.
      if (!(e instanceof StationError && e.code === "ble-no-characteristic")) throw e;
      this.#log.info("cuff has no intermediate cuff pressure characteristic");
    }
    await t.subscribe(GATT.bloodPressureService, GATT.bloodPressureMeasurement, (d) =>
      this.#onMeasurement(d),
    );
  }

  #onIntermediate(data: Uint8Array): void {
    const r = decodeIntermediateCuffPressure(data);
    if (!r.ok) return void this.#log.warn(`bad 0x2A36: ${r.error.message}`);
    if (this.#measuring) return;
    this.#measuring = true;
    this.emit("measuring");
  }

  #onMeasurement(data: Uint8Array): void {
    this.#measuring = false;
    const r = decodeBpMeasurement(data);
    if (!r.ok) return void this.emit("fault", bpFault("bp-bad-data", r.error.message));
    const outcome = toBpReading(r.value, {
      now: this.#o.clock?.() ?? new Date(),
      offsetMinutes: this.#o.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES,
      maxSkewMinutes: this.#o.maxClockSkewMinutes ?? 10,
      device: this.ref,
    });
    if (outcome.ok) this.emit("reading", outcome.reading);
    else this.emit("fault", outcome.fault);
  }

  #onStatus(s: DeviceStatus): void {
    if (s.state !== "connected") this.#measuring = false;
    this.emit("status", s);
  }
}
