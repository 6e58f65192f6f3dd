/**
 * A simulated BLE central that talks to in-process simulated peripherals. The peripherals
 * produce the same characteristic bytes a real cuff or meter sends, so a facade runs the
 * same decode path over it as over BlueZ. Test hooks: `dropLink`, `setReachable`.
 */
import { StationError } from "../../station/util/errors.js";
import type { BleDataHandler, BleTransport } from "./transport.js";

export interface SimLink {
  readonly bonded: boolean;
  /** Pushes a value to the central as a notification/indication. Dropped if not subscribed. */
  notify(service: string, characteristic: string, bytes: Uint8Array): void;
}

export interface SimPeripheral {
  readonly address: string;
  hasCharacteristic(service: string, characteristic: string): boolean;
  attach(link: SimLink): void;
  detach(): void;
  /** A write with response from the central; throw a StationError to reject it. */
  onWrite(service: string, characteristic: string, bytes: Uint8Array, link: SimLink): void;
}

export interface SimulatedBleTransportOptions {
  /** Whether links come up bonded (a peripheral paired earlier). Default true. */
  bonded?: boolean;
}

export class SimulatedBleTransport implements BleTransport {
  readonly #peripherals = new Map<string, SimPeripheral>();
  readonly #unreachable = new Set<string>();
  readonly #handlers = new Map<string, BleDataHandler>();
  readonly #disconnectListeners = new Set<(reason: string) => void>();
  readonly #bondOnConnect: boolean;
  #peer: SimPeripheral | null = null;
  #link: SimLink | null = null;
  #bonded = false;

  constructor(peripherals: SimPeripheral[], options: SimulatedBleTransportOptions = {}) {
    for (const p of peripherals) this.#peripherals.set(p.address.toUpperCase(), p);
    this.#bondOnConnect = options.bonded ?? true;
  }

  get bonded(): boolean {
    return this.#bonded;
  }
  get connected(): boolean {
    return this.#peer !== null;
  }

  async connect(address: string): Promise<void> {
    if (this.#peer) throw new StationError("ble-busy", `already connected to ${this.#peer.address}`);
    const key = address.toUpperCase();
    const peer = this.#peripherals.get(key);
    if (!peer || this.#unreachable.has(key))
      throw new StationError("ble-connect-failed", `no answer from ${address}`);
    this.#peer = peer;
    this.#bonded = this.#bondOnConnect;
    const link: SimLink = {
      bonded: this.#bonded,
      notify: (service, characteristic, bytes) => {
        if (this.#link !== link) return;
        const handler = this.#handlers.get(key2(service, characteristic));
        // Deliver asynchronously, as a radio would; copy so the peripheral may reuse buffers.
        if (handler) queueMicrotask(() => this.#link === link && handler(Uint8Array.from(bytes)));
      },
    };
    this.#link = link;
    peer.attach(link);
  }

  async subscribe(service: string, characteristic: string, onData: BleDataHandler): Promise<void> {
    const peer = this.#requirePeer("subscribe");
    if (!peer.hasCharacteristic(service, characteristic))
      throw new StationError("ble-no-characteristic", `${peer.address} has no ${characteristic}`);
    this.#handlers.set(key2(service, characteristic), onData);
  }

  async write(service: string, characteristic: string, bytes: Uint8Array): Promise<void> {
    const peer = this.#requirePeer("write");
    if (!peer.hasCharacteristic(service, characteristic))
      throw new StationError("ble-no-characteristic", `${peer.address} has no ${characteristic}`);
    peer.onWrite(service, characteristic, Uint8Array.from(bytes), this.#link!);
  }

  async disconnect(): Promise<void> {
    this.#teardown("local-disconnect");
  }

  onDisconnect(fn: (reason: string) => void): () => void {
    this.#disconnectListeners.add(fn);
    return () => this.#disconnectListeners.delete(fn);
  }

  /** Test/sim hook: the peer went out of range or powered off. */
  dropLink(reason = "link-lost"): void {
    this.#teardown(reason);
  }

  /** Test/sim hook: while unreachable, connect() to that address fails. */
  setReachable(address: string, reachable: boolean): void {
    if (reachable) this.#unreachable.delete(address.toUpperCase());
    else this.#unreachable.add(address.toUpperCase());
  }

  #teardown(reason: string): void {
    const peer = this.#peer;
    if (!peer) return;
    this.#peer = null;
    this.#link = null;
    this.#bonded = false;
    this.#handlers.clear();
    peer.detach();
    for (const fn of [...this.#disconnectListeners]) fn(reason);
  }

  #requirePeer(op: string): SimPeripheral {
    if (!this.#peer) throw new StationError("ble-not-connected", `${op}: not connected`);
    return this.#peer;
  }
}

function key2(service: string, characteristic: string): string {
  return `${service.toLowerCase()}/${characteristic.toLowerCase()}`;
}
