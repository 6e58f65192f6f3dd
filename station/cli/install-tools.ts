/**
 * Commands install.sh runs on the Pi:
 *   health-station config check --config FILE   validate a county's settings; exit 78 on any error
 *   health-station udev-rules --config FILE     udev rules giving each USB serial device in the
 *                                               config a stable name (/dev/health-station/<name>)
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load.js";
import type { StationConfig } from "../config/schema.js";

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };

function configArg(cmd: string, argv: string[], io: Io): string | null {
  try {
    const { values } = parseArgs({ args: argv, options: { config: { type: "string", short: "c" } } });
    if (values.config) return values.config;
    io.stderr(`health-station ${cmd}: --config FILE is required\n`);
  } catch (e) {
    io.stderr(`health-station ${cmd}: ${(e as Error).message}\n`);
  }
  return null;
}

export function runConfigCheck(argv: string[], io: Io): number {
  const [sub, ...rest] = argv;
  if (sub !== "check") {
    io.stderr("usage: health-station config check --config FILE\n");
    return 2;
  }
  const path = configArg("config check", rest, io);
  if (!path) return 2;
  try {
    const { config } = loadConfig(path);
    io.stdout(
      `config ok: station ${config.station.id} of ${config.station.countyId}, devices ${config.devices.mode}, ` +
        `upload ${typeof config.upload.broker === "string" ? config.upload.broker : config.upload.broker.url}\n`,
    );
    return 0;
  } catch (e) {
    io.stderr(`health-station: ${(e as Error).message}\n`);
    return 78; // EX_CONFIG, as the station itself
  }
}

type Locator = { path?: string; vendorId?: string; productId?: string; serialNumber?: string };

/** Serial devices located by USB id; a /dev/serial/by-id path is stable already. */
function usbLocators(devices: StationConfig["devices"]): Array<[string, Locator]> {
  const out: Array<[string, Locator | undefined]> = [
    ["card-reader", devices.cardReader],
    ["printer", devices.printer],
    ["glucose", devices.glucose?.kind === "td42xx" ? devices.glucose.locator : undefined],
    ["peripherals", devices.peripherals?.kind === "firmata" ? devices.peripherals.locator : undefined],
  ];
  return out.filter((e): e is [string, Locator] => !!e[1]?.vendorId && !!e[1]?.productId);
}

export function udevRules(config: StationConfig): string {
  const lines = [
    "# Made by `health-station udev-rules` from the station's config; install.sh writes it to",
    "# /etc/udev/rules.d/70-health-station.rules. Each USB serial device gets a stable name and",
    "# is readable only by root and the dialout group (the station's service user is in it).",
  ];
  for (const [name, l] of usbLocators(config.devices)) {
    const serial = l.serialNumber ? `, ATTRS{serial}=="${l.serialNumber}"` : "";
    lines.push(
      `SUBSYSTEM=="tty", ATTRS{idVendor}=="${l.vendorId?.toLowerCase()}", ATTRS{idProduct}=="${l.productId?.toLowerCase()}"${serial}, ` +
        `SYMLINK+="health-station/${name}", GROUP="dialout", MODE="0660"`,
    );
  }
  if (config.devices.peripherals?.kind === "gpiod")
    lines.push('SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"');
  return `${lines.join("\n")}\n`;
}

export function runUdevRules(argv: string[], io: Io): number {
  const path = configArg("udev-rules", argv, io);
  if (!path) return 2;
  try {
    io.stdout(udevRules(loadConfig(path).config));
    return 0;
  } catch (e) {
    io.stderr(`health-station: ${(e as Error).message}\n`);
    return 78;
  }
}
