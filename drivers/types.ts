/**
 * Device facades. The station depends only on these interfaces; simulated devices and the
 * real protocol stacks (serial, BLE, johnny-five) implement them, so one drops in for the other.
 */
import type { BpReading, CardInfo, DeviceRef, GlucoseReading } from "../station/domain/schema.js";
import type { TypedEmitter } from "../station/util/emitter.js";

export type DeviceState = "connected" | "disconnected" | "error";

export interface DeviceStatus {
  state: DeviceState;
  /** Stable machine-readable reason, e.g. "port-closed", "sam-selftest-failed", "paper-out". */
  code?: string;
  /** One line for a technician (English); the UI maps `code` to its own Chinese text. */
  detail?: string;
  since: string;
}

/** A failure a person must act on: it carries a code the UI turns into guidance. */
export interface DeviceFault {
  code: string;
  message: string;
  /** True where trying again is the right advice (cuff refit, sit still, re-insert strip). */
  retryable: boolean;
  /** What the villager should do, in plain words; the station falls back to its own table by code. */
  guidance?: { zh: string; en: string };
}

export type DeviceEvents = {
  status: [DeviceStatus];
};

export interface Device<E extends DeviceEvents = DeviceEvents> extends TypedEmitter<E> {
  readonly ref: DeviceRef;
  readonly status: DeviceStatus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What a card read yields before roster lookup. The ID number is not yet trusted. */
export interface CardRead {
  name: string;
  idNumber: string;
  sex: "male" | "female" | "unknown";
  birthDate: string; // YYYY-MM-DD as printed on the card
  card: CardInfo;
}

export type CardReaderEvents = DeviceEvents & {
  card: [CardRead];
  /** The card was lifted off the reader. */
  removed: [];
  /** Card present but unreadable / rejected (read-failed, auth-failed, unknown card type). */
  fault: [DeviceFault];
};
export interface CardReader extends Device<CardReaderEvents> {}

export type BpMonitorEvents = DeviceEvents & {
  /** The cuff started inflating (from a BLE intermediate cuff pressure or a sim). */
  measuring: [];
  reading: [BpReading];
  fault: [DeviceFault];
};
export interface BpMonitor extends Device<BpMonitorEvents> {}

export type GlucoseMeterEvents = DeviceEvents & {
  /** sampleType comes from the meter's meal flag when it has one; the station asks otherwise. */
  reading: [GlucoseReading];
  fault: [DeviceFault];
};
export interface GlucoseMeter extends Device<GlucoseMeterEvents> {}

/** A receipt slip, already laid out by the station; the printer encodes it. */
export interface Slip {
  title: string;
  lines: Array<{ text: string; size?: "normal" | "large"; align?: "left" | "center"; bold?: boolean }>;
  /** Encoded as a QR code (the record id). */
  qr?: string;
}

export type PrinterEvents = DeviceEvents;
export interface Printer extends Device<PrinterEvents> {
  /** Resolves when the bytes are written and the printer reports no fault. */
  print(slip: Slip): Promise<void>;
}

export type PeripheralEvents = DeviceEvents & {
  help: [];
  motion: [];
};
export type LedPattern = "off" | "ready" | "busy" | "fault";
export type BuzzerPattern = "prompt" | "alert";
export interface Peripherals extends Device<PeripheralEvents> {
  led(pattern: LedPattern): void;
  buzz(pattern: BuzzerPattern): void;
}

export interface DeviceSet {
  cardReader: CardReader;
  bp: BpMonitor;
  glucose: GlucoseMeter;
  printer: Printer;
  peripherals: Peripherals;
}
