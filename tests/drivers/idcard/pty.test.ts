import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdCardReader } from "../../../drivers/idcard/reader.js";
import { IdCardSimulator } from "../../../drivers/idcard/simulator.js";
import { openPtyPair, type PtyPair } from "../../../drivers/serial/pty.js";
import type { CardRead } from "../../../drivers/types.js";
import { MAN_CARD, SAMPLE_CARD } from "./fixtures.js";

const next = <T extends unknown[]>(subscribe: (fn: (...a: T) => void) => void) =>
  new Promise<T>((resolve) => subscribe((...a) => resolve(a)));

describe("ID card reader ↔ simulator over a socat pty pair (real serialport binding)", () => {
  let pty: PtyPair;
  let devicePort: SerialPort;
  let reader: IdCardReader;
  const sim = new IdCardSimulator({ findAfterRead: "found" });

  beforeAll(async () => {
    pty = await openPtyPair();
    devicePort = new SerialPort({ path: pty.a, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => devicePort.open((e) => (e ? rej(e) : res())));
    sim.attach(devicePort);
    reader = new IdCardReader({ path: pty.b, pollIntervalMs: 50 });
  });

  afterAll(async () => {
    await reader?.stop();
    if (devicePort?.isOpen) await new Promise((r) => devicePort.close(r));
    await pty?.close();
  });

  it("connects, reads a placed card, notices the lift, reads the next card", async () => {
    const connected = next<[unknown]>((fn) => reader.once("status", fn));
    await reader.start();
    await connected;
    expect(reader.status.state).toBe("connected");

    const card = next<[CardRead]>((fn) => reader.once("card", fn));
    sim.present(SAMPLE_CARD);
    expect((await card)[0]).toEqual(SAMPLE_CARD);

    const removed = next<[]>((fn) => reader.once("removed", fn));
    sim.lift();
    await removed;
    expect(reader.cardPresent).toBe(false);
    expect(sim.received.filter((c) => c === "read")).toHaveLength(1);

    const second = next<[CardRead]>((fn) => reader.once("card", fn));
    sim.present(MAN_CARD);
    expect((await second)[0]).toEqual(MAN_CARD);
  });
});
