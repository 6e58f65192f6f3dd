/**
 * Real devices from config. Serial devices are found by /dev/serial/by-id path or USB VID/PID
 * (never a hard-coded ttyUSB0); Bluetooth devices share one BlueZ adapter; peripherals run on
 * a Firmata board or the Pi's GPIO. A device that is not configured, not found, or whose
 * transport is not reachable (no BlueZ, no gpiod tools) becomes an UnavailableDevice that says why.
 */
import { BluezTransport } from "../../drivers/ble/bluez-transport.js";
import { BleBpMonitor } from "../../drivers/bp/ble-bp-monitor.js";
import { BleGlucoseMeter } from "../../drivers/glucose/ble-glucose-meter.js";
import { Td42xxGlucoseMeter } from "../../drivers/glucose/td42xx-meter.js";
import { IdCardReader } from "../../drivers/idcard/reader.js";
import { createGpiodIo, GpiodIo } from "../../drivers/peripherals/gpiod-io.js";
import { createFirmataIo, type IoPlugin } from "../../drivers/peripherals/io-plugin.js";
import { JohnnyFivePeripherals } from "../../drivers/peripherals/j5-peripherals.js";
import { nodeProcessRunner } from "../../drivers/peripherals/process-runner.js";
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
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { UnavailableDevice } from "./unconfigured.js";

type Locator = NonNullable<StationConfig["devices"]["cardReader"]>;
type Stoppable = { start(): Promise<void>; stop(): Promise<void> };

/**
 * A resource several devices share (the BlueZ connection, the GPIO tool processes) is closed
 * when the last of them stops, so `health-station devices` and a shutdown leave nothing open;
 * starting again reopens it.
 */
function shareResource<T extends Stoppable>(
  devices: T[],
  open: () => Promise<void>,
  close: () => Promise<void>,
): void {
  let running = 0;
  for (const d of devices) {
    const start = d.start.bind(d);
    const stop = d.stop.bind(d);
    let started = false;
    d.start = async () => {
      if (!started && running++ === 0) await open().catch(() => {});
      started = true;
      await start();
    };
    d.stop = async () => {
      await stop();
      if (started && --running === 0) await close();
      started = false;
    };
  }
}

function why(e: unknown, fallback: string): { code: string; detail: string } {
  if (e instanceof StationError) return { code: e.code, detail: e.message };
  return { code: fallback, detail: e instanceof Error ? e.message : String(e) };
}

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

  // One BlueZ adapter for every Bluetooth device; if BlueZ is unreachable they say so and the
  // station runs on without them.
  let bluez: BluezTransport | { code: string; detail: string } | null = null;
  if (cfg.bp || cfg.glucose?.kind === "ble") {
    const t = new BluezTransport({ logger: log.child("bluez") });
    bluez = await t.start().then(
      () => t,
      (e: unknown) => why(e, "ble-unavailable"),
    );
    if (!(bluez instanceof BluezTransport)) log.warn(`Bluetooth: ${bluez.detail}`);
  }
  const bleDevices: Stoppable[] = [];

  let bp: BpMonitor = notConfigured("bp");
  if (cfg.bp) {
    if (bluez instanceof BluezTransport) {
      const m = new BleBpMonitor({
        transport: bluez.device(cfg.bp.address),
        address: cfg.bp.address,
        logger: log.child("bp"),
      });
      bleDevices.push(m);
      bp = m;
    } else if (bluez) bp = unavailable("bp", bluez.code, bluez.detail);
  }

  let glucose: GlucoseMeter = notConfigured("glucose");
  if (cfg.glucose?.kind === "ble") {
    if (bluez instanceof BluezTransport) {
      const m = new BleGlucoseMeter({
        transport: bluez.device(cfg.glucose.address),
        address: cfg.glucose.address,
        logger: log.child("glucose"),
      });
      bleDevices.push(m);
      glucose = m;
    } else if (bluez) glucose = unavailable("glucose", bluez.code, bluez.detail);
  }
  if (bluez instanceof BluezTransport) {
    const t = bluez;
    shareResource(
      bleDevices,
      () => t.start(),
      () => t.stop(),
    );
  }
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
  const pc = cfg.peripherals;
  if (pc) {
    let io: IoPlugin | { code: string; detail: string };
    if (pc.kind === "gpiod") {
      io = await createGpiodIo({
        chip: pc.chip,
        runner: nodeProcessRunner(),
        logger: log.child("gpiod"),
      }).catch((e: unknown) => why(e, "peripherals-io-unavailable"));
    } else {
      const p = await locate(pc.locator, log, "peripheral board");
      io =
        typeof p === "string"
          ? await createFirmataIo(p).catch((e: unknown) => why(e, "peripherals-io-unavailable"))
          : p;
    }
    if ("pinMode" in io) {
      const j5 = new JohnnyFivePeripherals({ io, pins: pc.pins, logger: log.child("peripherals") });
      // The gpiod tools run as child processes: end them when the peripherals stop.
      if (io instanceof GpiodIo) shareResource([j5], async () => {}, io.close.bind(io));
      peripherals = j5;
    } else {
      log.warn(`peripherals: ${io.code}: ${io.detail}`);
      peripherals = unavailable("peripherals", io.code, io.detail);
    }
  }
  return { cardReader, printer, bp, glucose, peripherals };
}
