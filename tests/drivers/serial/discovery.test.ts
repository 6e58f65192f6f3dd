import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type PortInfo, resolveSerialDevice, udevadmOnPath } from "../../../drivers/serial/discovery.js";

const port = (path: string, vendorId?: string, productId?: string, serialNumber?: string): PortInfo =>
  ({
    path,
    vendorId,
    productId,
    serialNumber,
    manufacturer: undefined,
    pnpId: undefined,
    locationId: undefined,
  }) as PortInfo;

describe("resolveSerialDevice", () => {
  it("resolves a by-id style symlink that exists, and reports one that does not", async () => {
    const dir = await mkdtemp(join(tmpdir(), "byid-"));
    await writeFile(join(dir, "ttyUSB7"), "");
    const link = join(dir, "usb-1a86_USB_Serial-if00-port0");
    await symlink(join(dir, "ttyUSB7"), link);
    expect(await resolveSerialDevice({ path: link })).toEqual({ ok: true, path: link, via: "path" });
    expect(await resolveSerialDevice({ path: join(dir, "missing") })).toMatchObject({
      ok: false,
      code: "not-found",
    });
  });

  it("matches USB VID/PID case-insensitively", async () => {
    const list = async () => [port("/dev/ttyUSB0", "1A86", "7523"), port("/dev/ttyACM0", "0483", "5740")];
    expect(await resolveSerialDevice({ vendorId: "0483", productId: "5740" }, { list })).toEqual({
      ok: true,
      path: "/dev/ttyACM0",
      via: "usb-id",
    });
    expect(await resolveSerialDevice({ vendorId: "1a86", productId: "7523" }, { list })).toMatchObject({
      path: "/dev/ttyUSB0",
    });
  });

  it("says ambiguous when two adapters match, and picks by serial number", async () => {
    const list = async () => [
      port("/dev/ttyUSB0", "1a86", "7523", "A"),
      port("/dev/ttyUSB1", "1a86", "7523", "B"),
    ];
    expect(await resolveSerialDevice({ vendorId: "1a86", productId: "7523" }, { list })).toMatchObject({
      ok: false,
      code: "ambiguous",
    });
    expect(
      await resolveSerialDevice({ vendorId: "1a86", productId: "7523", serialNumber: "B" }, { list }),
    ).toMatchObject({
      path: "/dev/ttyUSB1",
    });
  });

  it("returns discovery-unavailable instead of crashing when udevadm is missing", async () => {
    const r = await resolveSerialDevice(
      { vendorId: "1a86", productId: "7523" },
      { hasUdevadm: async () => false },
    );
    expect(r).toMatchObject({ ok: false, code: "discovery-unavailable" });
    if (!r.ok) expect(r.message).toMatch(/udevadm/);
    expect(await udevadmOnPath("")).toBe(false);
  });

  it("turns a failing list() into discovery-unavailable", async () => {
    const list = async (): Promise<PortInfo[]> => {
      throw new Error("spawn udevadm ENOENT");
    };
    expect(await resolveSerialDevice({ vendorId: "1a86", productId: "7523" }, { list })).toMatchObject({
      ok: false,
      code: "discovery-unavailable",
      message: expect.stringMatching(/ENOENT/),
    });
  });

  it("rejects a locator with neither path nor ids", async () => {
    expect(await resolveSerialDevice({ vendorId: "1a86" })).toMatchObject({ ok: false, code: "bad-locator" });
  });
});
