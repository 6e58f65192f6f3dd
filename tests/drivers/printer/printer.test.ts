import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EscPosPrinter } from "../../../drivers/printer/printer.js";
import { PrinterSimulator } from "../../../drivers/printer/simulator.js";
import { attachToMockLink, type MockPortBinding } from "../../../drivers/serial/mock-device.js";
import type { DeviceStatus, Slip } from "../../../drivers/types.js";

const binding = SerialPortMock.binding;
let seq = 0;
const printers: EscPosPrinter[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const p of printers.splice(0)) await p.stop();
  binding.reset();
});

const SLIP: Slip = {
  title: "健康检查结果",
  lines: [{ text: "血压 132/85 mmHg", bold: true }, { text: "请按时复查" }],
  qr: "rec-0001",
};

async function rig(opts: { attach?: boolean; statusTimeoutMs?: number; pollIntervalMs?: number } = {}) {
  const path = `/dev/ttyMOCK-printer-${seq++}`;
  binding.createPort(path, { record: true, echo: false });
  const printer = new EscPosPrinter({
    path,
    binding,
    pollIntervalMs: opts.pollIntervalMs ?? 0,
    statusTimeoutMs: opts.statusTimeoutMs ?? 500,
  });
  printers.push(printer);
  const sim = new PrinterSimulator();
  const statuses: DeviceStatus[] = [];
  printer.on("status", (s) => statuses.push(s));
  await printer.link.start(); // open first so the simulator is behind the port before status queries
  if (opts.attach !== false) attachToMockLink(printer.link, sim);
  return { printer, sim, statuses, port: () => printer.link.port!.port as MockPortBinding };
}

describe("EscPosPrinter over MockBinding + simulator", () => {
  it("prints a slip: status checked, Chinese text and QR arrive, paper cut", async () => {
    const { printer, sim, port } = await rig();
    await printer.start();
    expect(printer.status.state).toBe("connected");
    await printer.print(SLIP);
    expect(sim.text).toEqual(["健康检查结果", "血压 132/85 mmHg", "请按时复查", ""]);
    expect(sim.qrCodes).toEqual(["rec-0001"]);
    expect(sim.cuts).toBe(1);
    // DLE EOT 1, 2, 4 went out right before the slip's ESC @ FS &.
    const rec = port().recording;
    const at = rec.indexOf(Buffer.from([0x1b, 0x40, 0x1c, 0x26]));
    expect(at).toBeGreaterThanOrEqual(9);
    expect([...rec.subarray(at - 9, at)]).toEqual([0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 4]);
  });

  it("paper-out: print rejects with code paper-out, status error, nothing printed", async () => {
    const { printer, sim } = await rig();
    await printer.start();
    sim.paperOut = true;
    await expect(printer.print(SLIP)).rejects.toMatchObject({
      code: "paper-out",
      message: expect.stringMatching(/打印纸用完.*out of paper/),
    });
    expect(printer.status).toMatchObject({ state: "error", code: "paper-out" });
    expect(sim.lines).toEqual([]);
    sim.paperOut = false;
    await printer.print(SLIP);
    expect(printer.status.state).toBe("connected");
    expect(sim.cuts).toBe(1);
  });

  it("paper running out during the slip rejects after the write, so the station can offer a reprint", async () => {
    const { printer, sim } = await rig();
    await printer.start();
    let seen = 0;
    const orig = sim.receive.bind(sim);
    sim.receive = (chunk: Buffer) => {
      // The roll ends once the slip's bytes start arriving.
      if (chunk.includes(0x1b) && seen++ === 0) sim.paperOut = true;
      orig(chunk);
    };
    await expect(printer.print(SLIP)).rejects.toMatchObject({ code: "paper-out" });
    expect(sim.cuts).toBe(0);
  });

  it("cover-open and offline map to their codes", async () => {
    const { printer, sim } = await rig();
    await printer.start();
    sim.coverOpen = true;
    await expect(printer.print(SLIP)).rejects.toMatchObject({ code: "cover-open" });
    expect(printer.status.code).toBe("cover-open");
  });

  it("a printer that never answers DLE EOT → printer-no-response naming the command", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { printer } = await rig({ attach: false, statusTimeoutMs: 300 });
    const p = printer.print(SLIP).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(300);
    expect(await p).toMatchObject({ code: "printer-no-response" });
    expect(printer.status).toMatchObject({
      state: "error",
      code: "printer-no-response",
      detail: "printer DLE EOT 1: no response within 300 ms",
    });
  });

  it("idle status polling reports paper-out before anyone prints", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { printer, sim, statuses } = await rig({ pollIntervalMs: 5000 });
    await printer.start();
    sim.paperOut = true;
    await vi.advanceTimersByTimeAsync(5000);
    expect(printer.status).toMatchObject({ state: "error", code: "paper-out" });
    sim.paperOut = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(statuses.map((s) => `${s.state}:${s.code ?? ""}`)).toEqual([
      "connected:",
      "error:paper-out",
      "connected:",
    ]);
  });
});
