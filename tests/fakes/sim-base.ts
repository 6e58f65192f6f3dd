import type { DeviceEvents, DeviceState, DeviceStatus } from "../../drivers/types.js";
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";

/** Shared status handling for simulated devices: they can be "unplugged" to exercise fault paths. */
export abstract class SimDevice<E extends DeviceEvents> extends TypedEmitter<E> {
  #status: DeviceStatus = { state: "disconnected", since: new Date().toISOString() };
  constructor(readonly ref: DeviceRef) {
    super();
  }
  get status(): DeviceStatus {
    return this.#status;
  }
  protected setStatus(state: DeviceState, code?: string, detail?: string): void {
    this.#status = {
      state,
      since: new Date().toISOString(),
      ...(code ? { code } : {}),
      ...(detail ? { detail } : {}),
    };
    (this.emit as (e: "status", s: DeviceStatus) => boolean)("status", this.#status);
  }
  async start(): Promise<void> {
    this.setStatus("connected");
  }
  async stop(): Promise<void> {
    this.setStatus("disconnected", "stopped");
  }
  /** Simulates pulling the USB plug / the device powering off. */
  unplug(): void {
    this.setStatus("disconnected", "unplugged", "simulated unplug");
  }
  plug(): void {
    this.setStatus("connected");
  }
  protected get connected(): boolean {
    return this.#status.state === "connected";
  }
}
