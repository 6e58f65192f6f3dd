import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EscPosPrinter } from "../../../drivers/printer/printer.js";
import { PrinterSimulator } from "../../../drivers/printer/simulator.js";
import { openPtyPair, type PtyPair } from "../../../drivers/serial/pty.js";

describe("ESC/POS printer ↔ simulator over a socat pty pair (real serialport binding)", () => {
  let pty: PtyPair;
  let devicePort: SerialPort;
  let printer: EscPosPrinter;
  const sim = new PrinterSimulator();

  beforeAll(async () => {
    pty = await openPtyPair();
    devicePort = new SerialPort({ path: pty.a, baudRate: 9600, autoOpen: false });
    await new Promise<void>((res, rej) => devicePort.open((e) => (e ? rej(e) : res())));
    sim.attach(devicePort);
    printer = new EscPosPrinter({ path: pty.b, baudRate: 9600, pollIntervalMs: 0 });
    await printer.start();
  });

  afterAll(async () => {
    await printer?.stop();
    if (devicePort?.isOpen) await new Promise((r) => devicePort.close(r));
    await pty?.close();
  });

  it("prints Chinese text and a QR code, then reports paper-out", async () => {
    expect(printer.status.state).toBe("connected");
    const cut = new Promise<void>((r) => sim.once("cut", () => r()));
    await printer.print({ title: "小票", lines: [{ text: "血糖 6.1 mmol/L" }], qr: "rec-pty" });
    await cut;
    expect(sim.text.slice(0, 2)).toEqual(["小票", "血糖 6.1 mmol/L"]);
    expect(sim.qrCodes).toEqual(["rec-pty"]);
    sim.paperOut = true;
    await expect(printer.print({ title: "x", lines: [] })).rejects.toMatchObject({ code: "paper-out" });
  });
});
