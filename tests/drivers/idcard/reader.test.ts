import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IdCardReader } from "../../../drivers/idcard/reader.js";
import {
  IdCardSimulator,
  type IdCardSimulatorOptions,
  type SimCard,
} from "../../../drivers/idcard/simulator.js";
import { attachToMockLink } from "../../../drivers/serial/mock-device.js";
import type { CardRead, DeviceFault, DeviceStatus } from "../../../drivers/types.js";
import { MAN_CARD, SAMPLE_CARD } from "./fixtures.js";

const binding = SerialPortMock.binding;
let seq = 0;
let open: IdCardReader[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const r of open) await r.stop();
  open = [];
  binding.reset();
});

/** A reader on a MockBinding port with the simulator behind it. The scheduler never fires; tests call poll(). */
async function rig(simOpts: IdCardSimulatorOptions = {}, readerOpts: { requestTimeoutMs?: number } = {}) {
  const path = `/dev/ttyMOCK-idcard-${seq++}`;
  binding.createPort(path, { record: true, echo: false });
  const reader = new IdCardReader({
    path,
    binding,
    pollIntervalMs: 1e9,
    now: () => new Date("2026-05-01T04:00:00Z"),
    ...readerOpts,
  });
  open.push(reader);
  const sim = new IdCardSimulator(simOpts);
  const events = {
    cards: [] as CardRead[],
    faults: [] as DeviceFault[],
    removed: 0,
    status: [] as DeviceStatus[],
  };
  reader.on("card", (c) => events.cards.push(c));
  reader.on("fault", (f) => events.faults.push(f));
  reader.on("removed", () => events.removed++);
  reader.on("status", (s) => events.status.push(s));
  await reader.start();
  attachToMockLink(reader.link, sim);
  const polls = async (n: number) => {
    for (let i = 0; i < n; i++) await reader.poll();
  };
  const reads = () => sim.received.filter((c) => c === "read").length;
  return { reader, sim, events, polls, reads };
}

describe("IdCardReader over MockBinding + simulator", () => {
  it("reads a placed card: SAM status, find, select, read → CardRead", async () => {
    const { reader, sim, events, polls } = await rig();
    expect(reader.status.state).toBe("connected");
    await polls(1);
    expect(events.cards).toEqual([]);
    sim.present(SAMPLE_CARD);
    await polls(1);
    expect(sim.received).toEqual(["samStatus", "find", "find", "select", "read"]);
    expect(events.cards).toEqual([{ ...SAMPLE_CARD }]);
  });

  it("a card left on a reader that keeps finding it is not re-read; lifting emits removed", async () => {
    const { sim, events, polls, reads } = await rig({ findAfterRead: "found" });
    sim.present(MAN_CARD);
    await polls(10);
    expect(events.cards).toHaveLength(1);
    expect(reads()).toBe(1);
    expect(events.removed).toBe(0);
    sim.lift();
    await polls(2);
    expect(events.removed).toBe(1);
    sim.present(MAN_CARD);
    await polls(1);
    expect(events.cards).toHaveLength(2);
  });

  it("on a reader that refuses find after a read, removed follows and the card is not re-read", async () => {
    const { sim, events, polls, reads } = await rig({ findAfterRead: "not-found" });
    sim.present(SAMPLE_CARD);
    await polls(1);
    await polls(1);
    expect(events.removed).toBe(0); // one miss is not yet a lift
    await polls(10);
    expect(events.removed).toBe(1);
    expect(reads()).toBe(1);
    sim.lift();
    sim.present(SAMPLE_CARD);
    await polls(1);
    expect(events.cards).toHaveLength(2);
  });

  it.each<[string, SimCard, string]>([
    ["expired", { ...SAMPLE_CARD, card: { ...SAMPLE_CARD.card, validTo: "2026-04-30" } }, "card-expired"],
    ["foreign", { ...SAMPLE_CARD, foreign: true }, "unsupported-card-type"],
    ["inconsistent", { ...SAMPLE_CARD, birthDate: "1950-01-01" }, "id-inconsistent"],
    ["invalid id", { ...SAMPLE_CARD, idNumber: "110105194912310021" }, "id-invalid"],
  ])("%s card → fault %s and no card event", async (_name, card, code) => {
    const { sim, events, polls } = await rig();
    sim.present(card);
    await polls(3);
    expect(events.cards).toEqual([]);
    expect(events.faults.map((f) => f.code)).toEqual([code]);
    expect(events.faults[0]!.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
  });

  it("SW3 read failure becomes a retryable fault, and auth failure its own code", async () => {
    const { sim, events, polls } = await rig();
    sim.injectFault("read-failed");
    sim.present(SAMPLE_CARD);
    await polls(1);
    expect(events.faults[0]).toMatchObject({ code: "read-failed", retryable: true });
    sim.lift();
    await polls(2);
    sim.injectFault("auth-failed");
    sim.present(SAMPLE_CARD);
    await polls(1);
    expect(events.faults[1]).toMatchObject({ code: "auth-failed" });
  });

  it("SAM self-test failure sets status error; recovery sets connected", async () => {
    const { reader, sim, polls } = await rig();
    sim.setSamHealthy(false);
    await polls(1);
    expect(reader.status).toMatchObject({ state: "error", code: "sam-selftest-failed" });
    sim.setSamHealthy(true);
    await polls(1);
    expect(reader.status.state).toBe("connected");
  });

  it("survives garbage and split responses without losing the card", async () => {
    const { sim, events, polls } = await rig();
    sim.present(SAMPLE_CARD);
    sim.injectFault("garbage");
    sim.injectFault("split");
    await polls(1);
    expect(events.cards).toHaveLength(1);
  });

  it("a bad-checksum response is dropped, the request times out naming the command, polling goes on", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { reader, sim, events, polls } = await rig({}, { requestTimeoutMs: 500 });
    await polls(1); // SAM checked
    sim.injectFault("bad-checksum");
    sim.present(SAMPLE_CARD);
    const p = reader.poll();
    await vi.advanceTimersByTimeAsync(500);
    await p;
    expect(reader.link.stats.badFrames).toBeGreaterThanOrEqual(1);
    expect(events.cards).toEqual([]);
    await polls(1);
    expect(events.cards).toHaveLength(1);
  });

  it("three silent requests in a row → status error no-response; an answer restores connected", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { reader, sim, polls } = await rig({}, { requestTimeoutMs: 200 });
    await polls(1);
    sim.injectFault("silence", 3);
    for (let i = 0; i < 3; i++) {
      const p = reader.poll();
      await vi.advanceTimersByTimeAsync(200);
      await p;
    }
    expect(reader.status).toMatchObject({ state: "error", code: "no-response" });
    expect(reader.status.detail).toMatch(/idcard find: no response within 200 ms/);
    await polls(1);
    expect(reader.status.state).toBe("connected");
  });

  it("reads the SAM id", async () => {
    const { reader } = await rig();
    expect(await reader.readSamId()).toMatch(/^[0-9a-f]{32}$/);
  });
});
