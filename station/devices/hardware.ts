/**
 * Real devices from config. Serial devices are found by /dev/serial/by-id path or USB VID/PID
 * (never a hard-coded ttyUSB0); a device that is not configured, not found, or needs a transport
 * this build lacks becomes an UnavailableDevice that says why.
 */
import { Td42xxGlucoseMeter } from "../../drivers/glucose/td42xx-meter.js";
import { IdCardReader } from "../../drivers/idcard/reader.js";
import { createFirmataIo } from "../../drivers/peripherals/io-plugin.js";
import { JohnnyFivePeripherals } from "../../drivers/peripherals/j5-peripherals.js";
import { EscPosPrinter } from "../../drivers/printer/printer.js";
import { resolveSerialDevice } from "../../drivers/serial/discovery.js";
import type {
  BpMonitor,
  CardReader,
  DeviceSet,
  GlucoseMeter,
  Peripherals,
  Printer,
} from "../../drivers/types.js";
import type { StationConfig } from "../config/schema.js";
import type { Logger } from "../util/logger.js";
import { UnavailableDevice } from "./unconfigured.js";

type Locator = NonNullable<StationConfig["devices"]["cardReader"]>;

const NO_BLE =
  "this build has no BlueZ transport for Bluetooth devices (node-ble, docs/adr/0002-ble-transport.md); use a serial meter or simulation";

async function locate(
  l: Locator,
  log: Logger,
  what: string,
): Promise<string | { code: string; detail: string }> {
  if (l.path) return l.path;
  const r = await resolveSerialDevice({
    vendorId: l.vendorId!,
    productId: l.productId!,
    ...(l.serialNumber ? { serialNumber: l.serialNumber } : {}),
  });
  if (r.ok) {
    log.info(`${what}: found at ${r.path} (${r.via})`);
    return r.path;
  }
  log.warn(`${what}: ${r.code}: ${r.message}`);
  return { code: r.code, detail: r.message };
}

export async function createHardwareDevices(cfg: StationConfig["devices"], log: Logger): Promise<DeviceSet> {
  const unavailable = (kind: string, code: string, detail: string) =>
    new UnavailableDevice({ kind, model: "none", transport: "manual" }, code, detail);
  const notConfigured = (kind: string) => unavailable(kind, "not-configured", `no ${kind} in devices config`);

  let cardReader: CardReader = notConfigured("card-reader");
  if (cfg.cardReader) {
    const p = await locate(cfg.cardReader, log, "card reader");
    cardReader =
      typeof p === "string"
        ? new IdCardReader({
            path: p,
            ...(cfg.cardReader.baudRate ? { baudRate: cfg.cardReader.baudRate } : {}),
            logger: log.child("idcard"),
          })
        : unavailable("card-reader", p.code, p.detail);
  }

  let printer: Printer = notConfigured("printer");
  if (cfg.printer) {
    const p = await locate(cfg.printer, log, "printer");
    printer =
      typeof p === "string"
        ? new EscPosPrinter({
            path: p,
            ...(cfg.printer.baudRate ? { baudRate: cfg.printer.baudRate } : {}),
            ...(cfg.printer.statusQueries === undefined ? {} : { statusQueries: cfg.printer.statusQueries }),
            logger: log.child("printer"),
          })
        : unavailable("printer", p.code, p.detail);
  }

  const bp: BpMonitor = cfg.bp ? unavailable("bp", "ble-unavailable", NO_BLE) : notConfigured("bp");

  let glucose: GlucoseMeter = notConfigured("glucose");
  if (cfg.glucose?.kind === "ble") glucose = unavailable("glucose", "ble-unavailable", NO_BLE);
  if (cfg.glucose?.kind === "td42xx") {
    const p = await locate(cfg.glucose.locator, log, "glucose meter");
    glucose =
      typeof p === "string"
        ? new Td42xxGlucoseMeter({
            path: p,
            ...(cfg.glucose.locator.baudRate ? { baudRate: cfg.glucose.locator.baudRate } : {}),
            logger: log.child("glucose"),
          })
        : unavailable("glucose", p.code, p.detail);
  }

  let peripherals: Peripherals = notConfigured("peripherals");
  if (cfg.peripherals) {
    const p = await locate(cfg.peripherals.locator, log, "peripheral board");
    peripherals =
      typeof p === "string"
        ? new JohnnyFivePeripherals({
            io: await createFirmataIo(p),
            pins: cfg.peripherals.pins,
            logger: log.child("peripherals"),
          })
        : unavailable("peripherals", p.code, p.detail);
  }
  return { cardReader, printer, bp, glucose, peripherals };
}
