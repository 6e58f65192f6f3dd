/** Builds the station's devices: byte-level simulation (the demo and tests) or real hardware. */
import { socatAvailable } from "../../drivers/serial/pty.js";
import type { DeviceSet } from "../../drivers/types.js";
import type { StationConfig } from "../config/schema.js";
import type { Logger } from "../util/logger.js";
import { createHardwareDevices } from "./hardware.js";
import { createSimulatedDevices, type SimControl } from "./sim-devices.js";

export interface BuiltDevices {
  devices: DeviceSet;
  sim: SimControl | null;
  close(): Promise<void>;
}

export async function buildDevices(cfg: StationConfig["devices"], log: Logger): Promise<BuiltDevices> {
  if (cfg.mode === "hardware") {
    const devices = await createHardwareDevices(cfg, log);
    return { devices, sim: null, close: async () => {} };
  }
  let transport: "pty" | "mock" = cfg.simTransport === "mock" ? "mock" : "pty";
  if (cfg.simTransport === "auto" && !socatAvailable()) {
    transport = "mock";
    log.warn(
      "socat not found: simulated serial devices run over the in-process mock binding (apt-get install socat for real pseudo-terminals)",
    );
  }
  const r = await createSimulatedDevices({ transport, logger: log.child("sim") });
  log.info(
    `simulated devices: real drivers over ${transport === "pty" ? "socat pseudo-terminals" : "the mock binding"} and a simulated Bluetooth link`,
  );
  return { devices: r.devices, sim: r.control, close: r.close };
}
