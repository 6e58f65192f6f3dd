/**
 * Stand-in for a device the station does not have (not configured, not found, or no transport
 * in this build). It reports why, so the screen can tell the villager to get the doctor, and the
 * rest of the station keeps working.
 */

import type {
  BpMonitorEvents,
  CardReaderEvents,
  DeviceStatus,
  GlucoseMeterEvents,
  PeripheralEvents,
  Slip,
} from "../../drivers/types.js";
import type { DeviceRef } from "../domain/schema.js";
import { TypedEmitter } from "../util/emitter.js";
import { StationError } from "../util/errors.js";

type AnyEvents = CardReaderEvents & BpMonitorEvents & GlucoseMeterEvents & PeripheralEvents;

export class UnavailableDevice extends TypedEmitter<AnyEvents> {
  readonly status: DeviceStatus;
  constructor(
    readonly ref: DeviceRef,
    code: string,
    detail: string,
  ) {
    super();
    this.status = {
      state: code === "not-configured" ? "disconnected" : "error",
      code,
      detail,
      since: new Date().toISOString(),
    };
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async print(_slip: Slip): Promise<void> {
    throw Object.assign(new StationError("printer-offline", this.status.detail ?? "no printer"), {
      code: "printer-offline",
    });
  }
  led(): void {}
  buzz(): void {}
}
