/**
 * Test doubles behind the device facade interfaces: they emit domain events directly, so the
 * runtime can be tested without bytes. The station itself runs real drivers (station/devices).
 */

import type {
  BpMonitor,
  BpMonitorEvents,
  BuzzerPattern,
  CardRead,
  CardReader,
  CardReaderEvents,
  DeviceFault,
  GlucoseMeter,
  GlucoseMeterEvents,
  LedPattern,
  PeripheralEvents,
  Peripherals,
  Printer,
  PrinterEvents,
  Slip,
} from "../../drivers/types.js";
import type { BpReading, GlucoseReading, SampleType } from "../../station/domain/schema.js";
import { SimDevice } from "./sim-base.js";

export class SimCardReader extends SimDevice<CardReaderEvents> implements CardReader {
  constructor() {
    super({ kind: "card-reader", model: "simulated GA/T 467 reader", transport: "sim" });
  }
  present(card: CardRead): void {
    if (this.connected) this.emit("card", card);
  }
  fault(f: DeviceFault): void {
    if (this.connected) this.emit("fault", f);
  }
  lift(): void {
    if (this.connected) this.emit("removed");
  }
}

export type BpProfile = "normal" | "high" | "urgent" | "error" | "implausible";

const BP_PROFILES: Record<
  Exclude<BpProfile, "error">,
  { systolic: number; diastolic: number; pulse: number }
> = {
  normal: { systolic: 118, diastolic: 76, pulse: 72 },
  high: { systolic: 152, diastolic: 94, pulse: 80 },
  urgent: { systolic: 186, diastolic: 112, pulse: 96 },
  implausible: { systolic: 60, diastolic: 90, pulse: 70 },
};

export class SimBpMonitor extends SimDevice<BpMonitorEvents> implements BpMonitor {
  constructor() {
    super({ kind: "bp", model: "simulated BLE BPM (0x1810)", transport: "sim" });
  }
  /** Emits what a cuff cycle would: measuring, then a reading or a fault. */
  measure(
    profile: BpProfile,
    override?: Partial<{ systolic: number; diastolic: number; pulse: number }>,
  ): void {
    if (!this.connected) return;
    this.emit("measuring");
    if (profile === "error") {
      this.emit("fault", { code: "cuff-loose", message: "cuff loose (simulated)", retryable: true });
      return;
    }
    const v = { ...BP_PROFILES[profile], ...override };
    if (
      v.systolic < 70 ||
      v.systolic > 300 ||
      v.diastolic < 40 ||
      v.diastolic > 180 ||
      v.systolic <= v.diastolic
    ) {
      // The real driver rejects implausible readings the same way (plausibility, Simple.org ranges).
      this.emit("fault", {
        code: "bp-implausible",
        message: `implausible ${v.systolic}/${v.diastolic}`,
        retryable: true,
      });
      return;
    }
    const reading: BpReading = {
      kind: "bp",
      systolic: v.systolic,
      diastolic: v.diastolic,
      mean: Math.round((v.systolic + 2 * v.diastolic) / 3),
      pulse: v.pulse,
      unit: "mmHg",
      statusFlags: [],
      takenAt: new Date().toISOString(),
      source: "device",
      device: this.ref,
    };
    this.emit("reading", reading);
  }
}

export type GlucoseProfile = "normal" | "high" | "low" | "urgent-high" | "error";
const GLUCOSE_PROFILES: Record<Exclude<GlucoseProfile, "error">, number> = {
  normal: 5.4,
  high: 8.2,
  low: 3.2,
  "urgent-high": 18.5,
};

export class SimGlucoseMeter extends SimDevice<GlucoseMeterEvents> implements GlucoseMeter {
  constructor() {
    super({ kind: "glucose", model: "simulated BLE glucose meter (0x1808)", transport: "sim" });
  }
  measure(profile: GlucoseProfile, mmolL?: number, sampleType: SampleType = "random"): void {
    if (!this.connected) return;
    if (profile === "error") {
      this.emit("fault", {
        code: "sample-insufficient",
        message: "sample size insufficient (simulated)",
        retryable: true,
      });
      return;
    }
    const reading: GlucoseReading = {
      kind: "glucose",
      mmolL: mmolL ?? GLUCOSE_PROFILES[profile],
      sampleType,
      takenAt: new Date().toISOString(),
      source: "device",
      device: this.ref,
    };
    this.emit("reading", reading);
  }
}

export class SimPrinter extends SimDevice<PrinterEvents> implements Printer {
  readonly printed: Slip[] = [];
  paperOut = false;
  constructor() {
    super({ kind: "printer", model: "simulated ESC/POS printer", transport: "sim" });
  }
  async print(slip: Slip): Promise<void> {
    if (!this.connected) throw Object.assign(new Error("printer disconnected"), { code: "printer-offline" });
    if (this.paperOut) throw Object.assign(new Error("paper out"), { code: "paper-out" });
    this.printed.push(slip);
    if (this.printed.length > 50) this.printed.shift();
  }
}

export class SimPeripherals extends SimDevice<PeripheralEvents> implements Peripherals {
  lastLed: LedPattern = "off";
  readonly buzzes: BuzzerPattern[] = [];
  constructor() {
    super({ kind: "peripherals", model: "virtual board", transport: "sim" });
  }
  led(pattern: LedPattern): void {
    this.lastLed = pattern;
  }
  buzz(pattern: BuzzerPattern): void {
    this.buzzes.push(pattern);
    if (this.buzzes.length > 50) this.buzzes.shift();
  }
  pressHelp(): void {
    this.emit("help");
  }
  motion(): void {
    this.emit("motion");
  }
}

export interface SimDeviceSet {
  cardReader: SimCardReader;
  bp: SimBpMonitor;
  glucose: SimGlucoseMeter;
  printer: SimPrinter;
  peripherals: SimPeripherals;
}

export function createSimDevices(): SimDeviceSet {
  return {
    cardReader: new SimCardReader(),
    bp: new SimBpMonitor(),
    glucose: new SimGlucoseMeter(),
    printer: new SimPrinter(),
    peripherals: new SimPeripherals(),
  };
}
