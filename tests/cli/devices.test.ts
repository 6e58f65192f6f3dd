import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listSerialPorts } from "../../drivers/serial/discovery.js";
import { runDevices } from "../../station/cli/devices.js";

async function run(config: unknown, ...extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "devices-cli-"));
  const file = join(dir, "station.json");
  writeFileSync(file, JSON.stringify(config));
  let out = "";
  let err = "";
  const code = await runDevices(["--config", file, ...extra], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  return { code, out, err };
}

describe("health-station devices", () => {
  it("simulated mode: every real driver connects to its simulator", async () => {
    const r = await run({ version: 1, devices: { simTransport: "mock" } }, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.mode).toBe("sim");
    expect(j.devices.map((d: { name: string; state: string }) => [d.name, d.state])).toEqual([
      ["cardReader", "connected"],
      ["bp", "connected"],
      ["glucose", "connected"],
      ["printer", "connected"],
      ["peripherals", "connected"],
    ]);
  });

  it("hardware mode: says which device is missing and why, with a non-zero exit", async () => {
    const r = await run(
      {
        version: 1,
        devices: {
          mode: "hardware",
          cardReader: { path: "/dev/serial/by-id/usb-not-plugged-in" },
          bp: { kind: "ble", address: "AA:BB:CC:DD:EE:FF" },
        },
      },
      "--wait",
      "0.5",
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/cardReader\s+disconnected\s+open-failed/);
    expect(r.out).toMatch(/bp\s+error\s+ble-unavailable/);
    expect(r.out).toMatch(/printer\s+disconnected\s+not-configured/);
  });

  it("refuses bad arguments and invalid config", async () => {
    expect((await run({ version: 1 }, "--wait", "x")).code).toBe(2);
    const bad = await run({ version: 1, devices: { mode: "hardware", printer: { vendorId: "zz" } } });
    expect(bad.code).toBe(78);
    expect(bad.err).toContain("devices.printer");
  });
});

describe("listSerialPorts", () => {
  it("answers with the reason instead of crashing where udev is missing", async () => {
    expect(await listSerialPorts({ hasUdevadm: async () => false })).toEqual({
      ok: false,
      message: "udevadm not found (install udev): cannot list serial ports",
    });
    const failing = await listSerialPorts({
      hasUdevadm: async () => true,
      list: async () => Promise.reject(new Error("spawn udevadm ENOENT")),
    });
    expect(failing).toEqual({ ok: false, message: "listing serial ports failed: spawn udevadm ENOENT" });
  });
});
