/**
 * The BLE seam. The facades talk GATT through this interface only, so the simulated
 * peripherals here and a BlueZ adapter (node-ble, see docs/adr/0002-ble-transport.md) are
 * interchangeable. UUIDs are the full lower-case 128-bit form BlueZ uses.
 */

export const BLUETOOTH_BASE_UUID_SUFFIX = "-0000-1000-8000-00805f9b34fb";

/** Expands a 16-bit assigned number (0x2a35) to "00002a35-0000-1000-8000-00805f9b34fb". */
export function uuid16(short: number): string {
  return `0000${short.toString(16).padStart(4, "0")}${BLUETOOTH_BASE_UUID_SUFFIX}`;
}

export const GATT = {
  bloodPressureService: uuid16(0x1810),
  bloodPressureMeasurement: uuid16(0x2a35),
  intermediateCuffPressure: uuid16(0x2a36),
  glucoseService: uuid16(0x1808),
  glucoseMeasurement: uuid16(0x2a18),
  glucoseMeasurementContext: uuid16(0x2a34),
  recordAccessControlPoint: uuid16(0x2a52),
} as const;

export type BleDataHandler = (data: Uint8Array) => void;

export interface BleTransport {
  /** True once the link is encrypted with a stored bond (RACP writes need it). */
  readonly bonded: boolean;
  readonly connected: boolean;
  /** Connects (and pairs if the adapter is set to) to one peripheral by MAC address. */
  connect(address: string): Promise<void>;
  /** Enables notifications or indications; `onData` gets each value as it arrives. */
  subscribe(service: string, characteristic: string, onData: BleDataHandler): Promise<void>;
  /** Write with response. Rejects (StationError "ble-not-bonded") where the link lacks a bond. */
  write(service: string, characteristic: string, bytes: Uint8Array): Promise<void>;
  disconnect(): Promise<void>;
  /** Called once per link loss, whoever caused it; returns an unsubscribe function. */
  onDisconnect(fn: (reason: string) => void): () => void;
}
