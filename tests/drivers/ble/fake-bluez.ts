/**
 * A fake of OUR BluezApi (not of node-ble): a BlueZ that knows some devices, records every
 * call, and lets a test push notifications, drop links and fail calls the way BlueZ does.
 */
import type {
  BluezAdapterApi,
  BluezApi,
  BluezCharacteristicApi,
  BluezDeviceApi,
  BluezGattApi,
} from "../../../drivers/ble/bluez-api.js";

/** Shaped like dbus-next's DBusError: `type` is the D-Bus error name, `text` its message. */
export class FakeDbusError extends Error {
  constructor(
    readonly type: string,
    readonly text: string,
  ) {
    super(text);
  }
}

export class FakeCharacteristic implements BluezCharacteristicApi {
  readonly listeners = new Set<(v: Uint8Array) => void>();
  readonly writes: number[][] = [];
  notifying = false;
  writeError: Error | null = null;
  startError: Error | null = null;

  async startNotifications(): Promise<void> {
    if (this.startError) throw this.startError;
    this.notifying = true;
  }
  async stopNotifications(): Promise<void> {
    this.notifying = false;
  }
  onValue(fn: (v: Uint8Array) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  async writeValue(value: Uint8Array): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.writes.push([...value]);
  }
  /** The peripheral sends a value (only delivered while notifications are on). */
  push(bytes: number[]): void {
    if (!this.notifying) return;
    for (const fn of this.listeners) fn(Uint8Array.from(bytes));
  }
}

export class FakeDevice implements BluezDeviceApi {
  /** Keyed by lower-case 128-bit service UUID, then characteristic UUID. */
  readonly services = new Map<string, Map<string, FakeCharacteristic>>();
  readonly calls: string[] = [];
  readonly disconnectListeners = new Set<() => void>();
  paired = true;
  connectError: Error | null = null;
  /** When set, connect() never settles (a device that stopped answering). */
  hang = false;

  constructor(readonly address: string) {}

  add(service: string, characteristic: string): FakeCharacteristic {
    const chars = this.services.get(service) ?? new Map<string, FakeCharacteristic>();
    this.services.set(service, chars);
    const c = new FakeCharacteristic();
    chars.set(characteristic, c);
    return c;
  }
  async connect(): Promise<void> {
    this.calls.push("connect");
    if (this.hang) return new Promise(() => {});
    if (this.connectError) throw this.connectError;
  }
  async disconnect(): Promise<void> {
    this.calls.push("disconnect");
  }
  async isPaired(): Promise<boolean> {
    return this.paired;
  }
  async gatt(): Promise<BluezGattApi> {
    this.calls.push("gatt");
    return {
      getPrimaryService: async (uuid) => {
        // node-ble's exact messages (GattServer.js / GattService.js).
        const chars = this.services.get(uuid);
        if (!chars) throw new Error("Service not available");
        return {
          getCharacteristic: async (u) => {
            const c = chars.get(u);
            if (!c) throw new Error("Characteristic not available");
            return c;
          },
        };
      },
    };
  }
  onDisconnect(fn: () => void): () => void {
    this.disconnectListeners.add(fn);
    return () => this.disconnectListeners.delete(fn);
  }
  /** BlueZ reports Connected=false (out of range, powered off). */
  drop(): void {
    for (const fn of [...this.disconnectListeners]) fn();
  }
}

export class FakeBluez implements BluezApi {
  readonly devices = new Map<string, FakeDevice>();
  readonly waited: Array<{ address: string; timeoutMs: number }> = [];
  closed = false;
  adapterError: Error | null = null;

  add(device: FakeDevice): FakeDevice {
    this.devices.set(device.address, device);
    return device;
  }
  async defaultAdapter(): Promise<BluezAdapterApi> {
    if (this.adapterError) throw this.adapterError;
    return {
      waitDevice: async (address, timeoutMs) => {
        this.waited.push({ address, timeoutMs });
        const d = this.devices.get(address);
        // node-ble Adapter.waitDevice's message when the device never appears.
        if (!d) throw new Error("operation timed out");
        return d;
      },
    };
  }
  close(): void {
    this.closed = true;
  }
}
