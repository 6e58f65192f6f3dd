/**
 * Keeps one BLE peripheral connected: connect, run the facade's opening exchange, report
 * status, and reconnect with exponential backoff after any loss. Cuffs and meters sleep
 * between uses, so "disconnected" is routine and retried forever until stop().
 */
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { nextStatus } from "../status.js";
import type { DeviceState, DeviceStatus } from "../types.js";
import type { BleTransport } from "./transport.js";

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

export interface BleLinkOptions {
  transport: BleTransport;
  address: string;
  /** Refuse links without a bond (the glucose profile's RACP needs one). */
  requireBond?: boolean;
  backoff?: BackoffOptions;
  logger?: Logger;
  clock?: () => Date;
  /** Subscribe and run the opening exchange; a throw drops the link and retries. */
  onConnected: () => Promise<void>;
  onStatus: (status: DeviceStatus) => void;
}

export class BleLink {
  readonly #o: BleLinkOptions;
  readonly #log: Logger;
  readonly #initialMs: number;
  readonly #maxMs: number;
  #delayMs: number;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #unsubscribe: (() => void) | null = null;
  #status: DeviceStatus;

  constructor(options: BleLinkOptions) {
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    this.#initialMs = options.backoff?.initialMs ?? 1000;
    this.#maxMs = options.backoff?.maxMs ?? 30_000;
    this.#delayMs = this.#initialMs;
    this.#status = { state: "disconnected", code: "not-started", since: this.#now() };
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#o.transport.onDisconnect((reason) => this.#onLost(reason));
    void this.#attempt();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#o.transport.connected) await this.#o.transport.disconnect().catch(() => {});
    this.#set("disconnected", "stopped");
  }

  async #attempt(): Promise<void> {
    this.#timer = null;
    if (!this.#running) return;
    const { transport, address } = this.#o;
    try {
      await transport.connect(address);
    } catch (e) {
      this.#set("disconnected", "connect-failed", messageOf(e));
      return this.#retry();
    }
    if (!this.#running) return void transport.disconnect().catch(() => {});
    try {
      if (this.#o.requireBond && !transport.bonded)
        throw new StationError(
          "ble-not-bonded",
          `${address} is connected without a bond; pair it once with bluetoothctl ("pair ${address}", "trust ${address}"; docs/devices.md)`,
        );
      await this.#o.onConnected();
    } catch (e) {
      const code = e instanceof StationError ? e.code : "setup-failed";
      // Report before disconnecting, so the link-lost callback does not mask the cause.
      this.#set("error", code, messageOf(e));
      this.#unsubscribe?.();
      await transport.disconnect().catch(() => {});
      if (this.#running) this.#unsubscribe = transport.onDisconnect((r) => this.#onLost(r));
      return this.#retry();
    }
    this.#delayMs = this.#initialMs;
    this.#set("connected");
  }

  #onLost(reason: string): void {
    if (!this.#running) return;
    this.#log.info(() => `${this.#o.address} lost: ${reason}`);
    this.#set("disconnected", "link-lost", reason);
    if (!this.#timer) this.#retry();
  }

  #retry(): void {
    if (!this.#running || this.#timer) return;
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, this.#maxMs);
    this.#log.debug(() => `reconnect ${this.#o.address} in ${delay} ms`);
    this.#timer = setTimeout(() => void this.#attempt(), delay);
  }

  #set(state: DeviceState, code?: string, detail?: string): void {
    const next = nextStatus(this.#status, state, this.#now(), code, detail);
    if (!next) return;
    this.#status = next;
    this.#o.onStatus(next);
  }

  #now(): string {
    return (this.#o.clock?.() ?? new Date()).toISOString();
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
