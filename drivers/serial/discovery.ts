/**
 * Finds a configured device by a stable name, never a guessed ttyUSB0: either a
 * /dev/serial/by-id/... link or a USB vendor/product id from SerialPort.list().
 * SerialPort.list() spawns udevadm; where udev is missing that crashes the process with an
 * unhandled ENOENT, so we look for udevadm on PATH first and report "discovery unavailable".
 */
import { constants } from "node:fs";
import { access, realpath } from "node:fs/promises";
import { delimiter, join } from "node:path";
import type { SerialPort } from "serialport";

export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface DeviceLocator {
  /** An explicit path, preferably under /dev/serial/by-id/. */
  path?: string;
  /** USB ids as four hex digits, e.g. "10c4" / "ea60". */
  vendorId?: string;
  productId?: string;
  /** Optional: tell two identical adapters apart. */
  serialNumber?: string;
}

export type DiscoveryResult =
  | { ok: true; path: string; via: "path" | "usb-id" }
  | { ok: false; code: "discovery-unavailable" | "not-found" | "ambiguous" | "bad-locator"; message: string };

export interface DiscoveryDeps {
  list?: () => Promise<PortInfo[]>;
  /** Whether udevadm can be spawned; injected in tests. */
  hasUdevadm?: () => Promise<boolean>;
  realpath?: (p: string) => Promise<string>;
}

export async function udevadmOnPath(envPath = process.env.PATH ?? ""): Promise<boolean> {
  for (const dir of envPath.split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, "udevadm"), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

async function defaultList(): Promise<PortInfo[]> {
  const { SerialPort } = await import("serialport");
  return SerialPort.list();
}

/**
 * Serial ports the OS reports, for diagnostics. Never crashes where udev is missing (containers):
 * answers with the reason instead.
 */
export async function listSerialPorts(
  deps: Pick<DiscoveryDeps, "hasUdevadm"> & { list?: () => Promise<PortInfo[]> } = {},
): Promise<{ ok: true; ports: PortInfo[] } | { ok: false; message: string }> {
  if (!(await (deps.hasUdevadm ?? udevadmOnPath)()))
    return { ok: false, message: "udevadm not found (install udev): cannot list serial ports" };
  try {
    return { ok: true, ports: await (deps.list ?? defaultList)() };
  } catch (e) {
    return { ok: false, message: `listing serial ports failed: ${(e as Error).message}` };
  }
}

const hex4 = (s: string | undefined) => (s ?? "").toLowerCase().replace(/^0x/, "").padStart(4, "0");

export async function resolveSerialDevice(
  loc: DeviceLocator,
  deps: DiscoveryDeps = {},
): Promise<DiscoveryResult> {
  if (loc.path) {
    try {
      // Resolving the by-id symlink proves the device is plugged in right now.
      await (deps.realpath ?? realpath)(loc.path);
      return { ok: true, path: loc.path, via: "path" };
    } catch {
      return {
        ok: false,
        code: "not-found",
        message: `串口设备不存在 / serial device not present: ${loc.path}`,
      };
    }
  }
  if (!loc.vendorId || !loc.productId)
    return { ok: false, code: "bad-locator", message: "configure either path or vendorId+productId" };
  if (!deps.list && !(await (deps.hasUdevadm ?? udevadmOnPath)()))
    return {
      ok: false,
      code: "discovery-unavailable",
      message:
        "无法按 USB 编号查找设备（缺少 udevadm）/ discovery unavailable: udevadm not found; install udev or configure a /dev/serial/by-id path",
    };
  let ports: PortInfo[];
  try {
    ports = await (deps.list ?? defaultList)();
  } catch (err) {
    return {
      ok: false,
      code: "discovery-unavailable",
      message: `discovery unavailable: ${(err as Error).message}`,
    };
  }
  const matches = ports.filter(
    (p) =>
      hex4(p.vendorId) === hex4(loc.vendorId) &&
      hex4(p.productId) === hex4(loc.productId) &&
      (!loc.serialNumber || p.serialNumber === loc.serialNumber),
  );
  const id = `${hex4(loc.vendorId)}:${hex4(loc.productId)}`;
  if (matches.length === 0)
    return { ok: false, code: "not-found", message: `未找到设备 / no serial device with USB id ${id}` };
  if (matches.length > 1)
    return {
      ok: false,
      code: "ambiguous",
      message: `${matches.length} devices with USB id ${id} (${matches.map((m) => m.path).join(", ")}); set serialNumber or a by-id path`,
    };
  return { ok: true, path: matches[0]!.path, via: "usb-id" };
}
