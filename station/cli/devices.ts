/**
 * `health-station devices [--config FILE] [--wait SECONDS]`: for the technician at the clinic.
 * Starts each configured device as the station would, waits for it to connect, prints its
 * status, and lists the serial ports the OS sees (with USB VID:PID to copy into the config).
 */
import { parseArgs } from "node:util";
import { listSerialPorts } from "../../drivers/serial/discovery.js";
import { loadConfig } from "../config/load.js";
import { buildDevices } from "../devices/index.js";
import { createLogger } from "../util/logger.js";
import { projectRoot } from "../util/project-root.js";

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };

export async function runDevices(argv: string[], io: Io): Promise<number> {
  let values: { config?: string; wait?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        wait: { type: "string" },
        json: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (e) {
    io.stderr(`health-station devices: ${(e as Error).message}\n`);
    return 2;
  }
  const waitS = Number(values.wait ?? 3);
  if (!Number.isFinite(waitS) || waitS < 0 || waitS > 60) {
    io.stderr("health-station devices: --wait takes seconds from 0 to 60\n");
    return 2;
  }
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(values.config ?? process.env.HEALTH_STATION_CONFIG ?? null, projectRoot());
  } catch (e) {
    io.stderr(`health-station devices: ${(e as Error).message}\n`);
    return 78;
  }
  const log = createLogger("devices", "warn", (level, ns, msg) => io.stderr(`${level} [${ns}] ${msg}\n`));
  const built = await buildDevices(loaded.config.devices, log);
  const entries = Object.entries(built.devices);
  await Promise.all(entries.map(([, d]) => d.start().catch(() => {})));
  // Give serial links and Bluetooth a moment to come up, as they do at station start.
  const deadline = Date.now() + waitS * 1000;
  while (Date.now() < deadline && entries.some(([, d]) => d.status.state !== "connected"))
    await new Promise((r) => setTimeout(r, 100));
  const rows = entries.map(([name, d]) => ({
    name,
    model: d.ref.model,
    transport: d.ref.transport ?? "",
    ...d.status,
  }));
  await Promise.all(entries.map(([, d]) => d.stop().catch(() => {})));
  await built.close();
  const ports = await listSerialPorts();

  if (values.json) {
    io.stdout(
      `${JSON.stringify({ mode: loaded.config.devices.mode, devices: rows, serialPorts: ports }, null, 2)}\n`,
    );
  } else {
    io.stdout(
      `mode: ${loaded.config.devices.mode}${built.sim ? ` (simulated over ${built.sim.transport})` : ""}\n\n`,
    );
    for (const r of rows)
      io.stdout(
        `${r.name.padEnd(12)} ${r.state.padEnd(13)} ${(r.code ?? "").padEnd(16)} ${r.model}${r.detail ? `\n${" ".repeat(13)}${r.detail}` : ""}\n`,
      );
    io.stdout("\nserial ports seen by the OS:\n");
    if (!ports.ok) io.stdout(`  ${ports.message}\n`);
    else if (ports.ports.length === 0) io.stdout("  none\n");
    else
      for (const p of ports.ports)
        io.stdout(
          `  ${p.path}  ${p.vendorId ?? "----"}:${p.productId ?? "----"}  ${p.manufacturer ?? ""} ${p.serialNumber ?? ""}\n`,
        );
  }
  return rows.every((r) => r.state === "connected" || r.code === "not-configured") ? 0 : 1;
}
