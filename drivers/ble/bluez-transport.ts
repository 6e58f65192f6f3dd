/**
 * BleTransport over BlueZ (through our `BluezApi`, node-ble underneath). One `BluezTransport`
 * owns the D-Bus connection and the adapter; `device(address)` hands each facade its own
 * `BleTransport` link, so the BP cuff and the glucose meter share one adapter.
 * See docs/adr/0002-ble-transport.md; pairing is an install step (docs/devices.md).
 */
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import {
  type BluezAdapterApi,
  type BluezApi,
  type BluezCharacteristicApi,
  type BluezDeviceApi,
  type BluezGattApi,
  createNodeBleApi,
} from "./bluez-api.js";
import { BLUETOOTH_BASE_UUID_SUFFIX, type BleDataHandler, type BleTransport } from "./transport.js";

export const BLUEZ_UNREACHABLE =
  "BlueZ / D-Bus system bus not reachable: install bluez and run the station with access to the system bus";

export interface BluezTransportOptions {
  /** Default: node-ble, imported lazily. Tests pass a fake. */
  api?: () => Promise<BluezApi>;
  /** How long BlueZ may take to answer at start. Default 5 s. */
  startTimeoutMs?: number;
  /** How long to wait for BlueZ to know the address. Default 10 s. */
  findTimeoutMs?: number;
  /** Connect plus GATT service discovery. Default 20 s. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/**
 * Accepts a 16-bit assigned number (0x2a35, "2A35", "0x2A35") or a 128-bit UUID in any case
 * and returns the lower-case 128-bit string BlueZ keys its GATT objects on.
 */
export function bluezUuid(id: number | string): string {
  if (typeof id === "number") {
    if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw new RangeError(`not a 16-bit UUID: ${id}`);
    return `0000${id.toString(16).padStart(4, "0")}${BLUETOOTH_BASE_UUID_SUFFIX}`;
  }
  const s = id.trim().toLowerCase();
  const short = /^(?:0x)?([0-9a-f]{4})$/.exec(s);
  if (short) return bluezUuid(Number.parseInt(short[1]!, 16));
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) return s;
  throw new RangeError(`not a Bluetooth UUID: ${id}`);
}

export const pairingHint = (address: string) =>
  `pair it once: bluetoothctl, then "scan on", "pair ${address}", "trust ${address}" (docs/devices.md)`;

/** Maps a BlueZ/node-ble failure to a StationError with one of the transport's codes. */
export function mapBluezError(e: unknown, address: string, what: string): StationError {
  if (e instanceof StationError) return e;
  const err = e as { type?: unknown; text?: unknown; message?: unknown };
  const type = typeof err?.type === "string" ? err.type : "";
  const text = String(err?.text ?? err?.message ?? e);
  // BlueZ gatt-client.c: ATT insufficient authentication/encryption → NotPermitted "Not paired".
  if (type === "org.bluez.Error.NotAuthorized" || /not paired|authenticat|encrypt/i.test(text))
    return new StationError(
      "ble-not-bonded",
      `${what} on ${address} needs a bonded link: ${pairingHint(address)}`,
    );
  if (/(service|characteristic) not available/i.test(text))
    return new StationError("ble-no-characteristic", `${address}: ${what}: ${text}`);
  return new StationError("ble-io-failed", `${address}: ${what}: ${type ? `${type}: ` : ""}${text}`);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => StationError): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export class BluezTransport {
  readonly #o: BluezTransportOptions;
  readonly #log: Logger;
  #api: BluezApi | null = null;
  #adapter: BluezAdapterApi | null = null;
  readonly #links = new Map<string, BluezLink>();

  constructor(options: BluezTransportOptions = {}) {
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
  }

  /** Opens the system bus and finds the adapter; rejects with StationError "ble-unavailable". */
  async start(): Promise<void> {
    if (this.#adapter) return;
    const ms = this.#o.startTimeoutMs ?? 5000;
    try {
      this.#api = await (this.#o.api ?? (() => createNodeBleApi()))();
      this.#adapter = await withTimeout(
        this.#api.defaultAdapter(),
        ms,
        () => new StationError("ble-unavailable", `${BLUEZ_UNREACHABLE} (no answer in ${ms} ms)`),
      );
      this.#log.info("BlueZ adapter ready");
    } catch (e) {
      this.#api?.close();
      this.#api = null;
      if (e instanceof StationError) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new StationError("ble-unavailable", `${BLUEZ_UNREACHABLE} (${why})`);
    }
  }

  /** The link for one peripheral; the same object for the same address. */
  device(address: string): BleTransport {
    const key = address.toUpperCase();
    let link = this.#links.get(key);
    if (!link) {
      link = new BluezLink(key, () => this.#adapter, this.#o, this.#log);
      this.#links.set(key, link);
    }
    return link;
  }

  /** Disconnects every link and closes the bus connection. */
  async stop(): Promise<void> {
    await Promise.all([...this.#links.values()].map((l) => l.disconnect()));
    this.#adapter = null;
    this.#api?.close();
    this.#api = null;
  }
}

interface Subscription {
  characteristic: BluezCharacteristicApi;
  off: () => void;
}

/** One peripheral's link over the shared adapter. */
class BluezLink implements BleTransport {
  readonly #listeners = new Set<(reason: string) => void>();
  readonly #subs = new Map<string, Subscription>();
  #device: BluezDeviceApi | null = null;
  #gatt: BluezGattApi | null = null;
  #offDisconnect: (() => void) | null = null;
  #bonded = false;

  constructor(
    readonly address: string,
    private readonly adapter: () => BluezAdapterApi | null,
    private readonly o: BluezTransportOptions,
    private readonly log: Logger,
  ) {}

  get bonded(): boolean {
    return this.#bonded;
  }
  get connected(): boolean {
    return this.#gatt !== null;
  }

  async connect(address: string): Promise<void> {
    if (address.toUpperCase() !== this.address)
      throw new StationError("ble-busy", `this link is for ${this.address}, not ${address}`);
    if (this.#device) throw new StationError("ble-busy", `already connected to ${this.address}`);
    const adapter = this.adapter();
    if (!adapter) throw new StationError("ble-unavailable", BLUEZ_UNREACHABLE);
    const findMs = this.o.findTimeoutMs ?? 10_000;
    let device: BluezDeviceApi;
    try {
      device = await adapter.waitDevice(this.address, findMs);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new StationError(
        "ble-device-not-found",
        `BlueZ does not see ${this.address} (${why}): is it switched on and within range? If it was never paired, ${pairingHint(this.address)}`,
      );
    }
    this.#device = device;
    // Listen before connecting, so a drop during service discovery is not missed.
    this.#offDisconnect = device.onDisconnect(() => this.#teardown("link-lost", false));
    const ms = this.o.connectTimeoutMs ?? 20_000;
    try {
      const gatt = await withTimeout(
        device.connect().then(() => device.gatt()),
        ms,
        () => new StationError("ble-connect-failed", `${this.address}: no connection in ${ms} ms`),
      );
      this.#bonded = await device.isPaired();
      if (this.#device !== device) throw new StationError("ble-connect-failed", "link lost while connecting");
      this.#gatt = gatt;
    } catch (e) {
      this.#release(device);
      throw e instanceof StationError
        ? e
        : new StationError("ble-connect-failed", mapBluezError(e, this.address, "connect").message);
    }
    this.log.info(`${this.address} connected (${this.#bonded ? "bonded" : "not bonded"})`);
  }

  async subscribe(service: string, characteristic: string, onData: BleDataHandler): Promise<void> {
    const key = `${bluezUuid(service)}/${bluezUuid(characteristic)}`;
    const c = await this.#characteristic(service, characteristic, "subscribe");
    this.#subs.get(key)?.off();
    const off = c.onValue((v) => onData(v));
    this.#subs.set(key, { characteristic: c, off });
    try {
      await c.startNotifications();
    } catch (e) {
      off();
      this.#subs.delete(key);
      throw mapBluezError(e, this.address, `subscribe ${characteristic}`);
    }
  }

  async write(service: string, characteristic: string, bytes: Uint8Array): Promise<void> {
    const c = await this.#characteristic(service, characteristic, "write");
    try {
      await c.writeValue(Uint8Array.from(bytes));
    } catch (e) {
      throw mapBluezError(e, this.address, `write ${characteristic}`);
    }
  }

  async disconnect(): Promise<void> {
    await this.#teardown("local-disconnect", true);
  }

  onDisconnect(fn: (reason: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  async #characteristic(
    service: string,
    characteristic: string,
    op: string,
  ): Promise<BluezCharacteristicApi> {
    const gatt = this.#gatt;
    if (!gatt) throw new StationError("ble-not-connected", `${op}: ${this.address} is not connected`);
    try {
      const s = await gatt.getPrimaryService(bluezUuid(service));
      return await s.getCharacteristic(bluezUuid(characteristic));
    } catch (e) {
      throw mapBluezError(e, this.address, `${op} ${characteristic}`);
    }
  }

  /** Once per link: drop listeners, stop notifications if the link is still up, tell listeners. */
  async #teardown(reason: string, local: boolean): Promise<void> {
    const device = this.#device;
    if (!device) return;
    const wasUp = this.#gatt !== null;
    this.#device = null;
    this.#gatt = null;
    this.#bonded = false;
    const subs = [...this.#subs.values()];
    this.#subs.clear();
    for (const s of subs) s.off();
    if (local) await Promise.all(subs.map((s) => s.characteristic.stopNotifications().catch(() => {})));
    this.#release(device);
    if (wasUp) for (const fn of [...this.#listeners]) fn(reason);
  }

  /** Disconnect also makes node-ble drop its D-Bus signal listeners for this device. */
  #release(device: BluezDeviceApi): void {
    this.#offDisconnect?.();
    this.#offDisconnect = null;
    if (this.#device === device) this.#device = null;
    void device
      .disconnect()
      .catch((e: unknown) => this.log.debug(() => `${this.address} disconnect: ${String(e)}`));
  }
}
