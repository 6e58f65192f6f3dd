import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DISK_LOW_FAULT } from "../../station/disk/fault.js";
import type { CheckupRecord } from "../../station/domain/schema.js";
import type { ServerMessage, ViewState } from "../../station/protocol.js";
import { createRoster } from "../../station/roster/roster.js";
import { CheckupRuntime, type HelpCall, type RecordSink } from "../../station/runtime/checkup.js";
import { Hub } from "../../station/runtime/hub.js";
import { cardFor } from "../../station/server/sim-api.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import { StationError } from "../../station/util/errors.js";
import { silentLogger } from "../../station/util/logger.js";
import type { Fault } from "../../station/workflow/types.js";
import { createUpdate } from "../../station/workflow/update.js";
import { createSimDevices, type SimDeviceSet } from "../fakes/sim-devices.js";
import { CONFIG, fakeAssess, ROSTER } from "../workflow/fixtures.js";

const NOW = Date.parse("2026-11-22T02:00:00.000Z");

function setup(store: RecordSink = createMemoryStore(), admit?: () => Fault | null) {
  const devices = createSimDevices();
  const helpCalls: HelpCall[] = [];
  const hub = new Hub();
  const messages: ServerMessage[] = [];
  hub.subscribe((m) => messages.push(m));
  const clock = { now: () => Date.now() };
  const runtime = new CheckupRuntime({
    update: createUpdate({ config: CONFIG, assess: fakeAssess() }),
    config: CONFIG,
    station: {
      id: "test-station",
      clinicName: "测试卫生室",
      timezone: "Asia/Shanghai",
      doctor: { name: "王医生", phone: "1" },
    },
    devices,
    store,
    roster: createRoster({ version: 1, county: "测试县", synthetic: true, people: [ROSTER] }),
    hub,
    clock,
    logger: silentLogger,
    onHelp: (c) => helpCalls.push(c),
    ...(admit ? { admit } : {}),
  });
  const view = () => hub.get("workflow/state") as ViewState;
  return { devices, hub, messages, runtime, view, store, helpCalls };
}

async function start(devices: SimDeviceSet, runtime: CheckupRuntime) {
  for (const d of Object.values(devices)) await d.start();
  runtime.start();
}

describe("CheckupRuntime", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses a new check-up while the disk is below its reserve, saying so, and starts once it is not", async () => {
    let low = true;
    const { devices, runtime, view, messages } = setup(createMemoryStore(), () =>
      low ? DISK_LOW_FAULT : null,
    );
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    expect(view()).toMatchObject({ step: "attract", notice: { code: "disk-low" } });
    expect(messages.filter((m) => m.topic === "voice").at(-1)).toMatchObject({
      payload: { key: "card-rejected-disk-low" },
    });
    const by = { doctorId: "dr-wang", idEntryReason: "card-forgotten", sampleType: null };
    expect(() => runtime.manualId(ROSTER.idNumber, undefined, by)).toThrow(/存储空间快满了/);
    devices.cardReader.lift();
    low = false;
    devices.cardReader.present(cardFor(ROSTER));
    expect(view()).toMatchObject({ step: "identified" });
  });

  it("runs a whole check-up from card to saved record and printed slip", async () => {
    const store = createMemoryStore();
    await store.open();
    const { devices, runtime, view, messages } = setup(store);
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    expect(view()).toMatchObject({
      step: "identified",
      person: { name: "杨*花", maskedId: "5101**********3797", onRoster: true },
    });
    runtime.action({ type: "confirm" });
    runtime.action({ type: "consent", accept: true });
    devices.bp.measure("normal");
    expect(view()).toMatchObject({ step: "bp", phase: "done" });
    runtime.action({ type: "next" });
    runtime.action({ type: "sample-type", sampleType: "fasting" });
    devices.glucose.measure("normal");
    await vi.waitFor(() => expect(view().step).toBe("result"));
    const v = view();
    if (v.step !== "result") throw new Error("unreachable");
    const saved = await store.get(v.result.recordId);
    expect(saved).not.toBeNull();
    expect(saved?.person.idNumber).toBe(ROSTER.idNumber);
    expect(saved?.readings.map((r) => r.kind)).toEqual(["bp", "glucose"]);
    expect(saved?.sync.status).toBe("pending");
    expect(saved?.consent.given).toBe(true);
    await vi.waitFor(() => expect(devices.printer.printed).toHaveLength(1));
    const slip = devices.printer.printed[0]!;
    expect(slip.qr).toBe(v.result.recordId);
    expect(JSON.stringify(slip)).not.toContain(ROSTER.idNumber);
    expect(messages.some((m) => m.topic === "voice" && m.payload.key === "result-normal")).toBe(true);
  });

  it("never publishes a full ID number or the card address to the screen", async () => {
    const { devices, runtime, messages } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    const all = JSON.stringify(messages);
    expect(all).not.toContain(ROSTER.idNumber);
    expect(all).not.toContain("演示一村（演示）");
  });

  it("an expired card is rejected with a notice and no session", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER, "2020-01-01"));
    expect(view()).toMatchObject({ step: "attract", notice: { code: "card-expired" } });
  });

  it("a card whose ID fails its check digit is rejected", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    const card = cardFor(ROSTER);
    card.idNumber = `${card.idNumber.slice(0, 17)}0`;
    devices.cardReader.present(card);
    expect(view()).toMatchObject({ step: "attract", notice: { code: "id-invalid" } });
  });

  it("manual entry: roster villager by ID alone; an unknown ID needs a name; a bad ID is refused", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    // Only a signed-in doctor may type an ID (station/doctor checks the session and passes this).
    expect(() => runtime.action({ type: "manual-id", idNumber: ROSTER.idNumber })).toThrow(/医生/);
    expect(view()).toMatchObject({ step: "attract" });
    const by = { doctorId: "dr-wang", idEntryReason: "card-forgotten", sampleType: null };
    expect(() => runtime.manualId("110105194912310021", undefined, by)).toThrow(StationError);
    expect(() => runtime.manualId("11010519491231002x", undefined, by)).toThrow(/姓名/);
    runtime.manualId(ROSTER.idNumber, undefined, by);
    expect(view()).toMatchObject({ step: "identified", person: { onRoster: true } });
    expect(runtime.model.step === "identified" && runtime.model.session.operator).toEqual({
      kind: "doctor",
      doctorId: "dr-wang",
    });
  });

  it("manual entry typed with a Chinese IME (full-width digits) still finds the roster villager", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    const fullWidth = ROSTER.idNumber.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    runtime.manualId(fullWidth, undefined, {
      doctorId: "dr-wang",
      idEntryReason: "card-broken",
      sampleType: null,
    });
    expect(view()).toMatchObject({ step: "identified", person: { onRoster: true, name: "杨*花" } });
  });

  it("help from the screen or the button is answered by voice and handed on with where it came from", async () => {
    const { devices, runtime, messages, helpCalls, view } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    runtime.action({ type: "confirm" });
    runtime.action({ type: "consent", accept: true });
    runtime.action({ type: "help" });
    expect(messages.at(-1)).toMatchObject({ topic: "voice", payload: { key: "help-called" } });
    devices.peripherals.pressHelp();
    runtime.action({ type: "help", screen: "device-missing" });
    expect(helpCalls).toEqual([
      { step: "bp", screen: "bp:ready", recordId: expect.any(String), source: "screen" },
      { step: "bp", screen: "bp:ready", recordId: expect.any(String), source: "button" },
      { step: "bp", screen: "device-missing", recordId: expect.any(String), source: "screen" },
    ]);
    // Help does not move the check-up on, and the screen keeps its own prompt.
    expect(view()).toMatchObject({ step: "bp", phase: "ready", prompt: { key: "bp-ready" } });
  });

  it("inactivity warns for the last 15 s, then returns to attract after the configured time", async () => {
    const { devices, runtime, view, messages } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    vi.advanceTimersByTime(CONFIG.inactivityMs - 15_001);
    expect(view()).toMatchObject({ step: "identified" });
    expect(view().idle).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(view()).toMatchObject({ step: "identified", idle: {}, prompt: { key: "still-there" } });
    expect(messages.at(-1)).toMatchObject({ topic: "voice", payload: { key: "still-there" } });
    vi.advanceTimersByTime(14_999);
    expect(view().step).toBe("identified");
    vi.advanceTimersByTime(1);
    expect(view()).toMatchObject({ step: "attract", notice: null });
    expect(view().idle).toBeUndefined();
  });

  it("a touch during the warning keeps the session for another full period", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    vi.advanceTimersByTime(CONFIG.inactivityMs - 5_000);
    expect(view().idle).toBeDefined();
    runtime.action({ type: "touch" });
    expect(view()).toMatchObject({ step: "identified", prompt: { key: "confirm-identity" } });
    expect(view().idle).toBeUndefined();
    vi.advanceTimersByTime(CONFIG.inactivityMs - 15_001);
    expect(view().idle).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(view()).toMatchObject({ step: "identified", idle: {} });
    vi.advanceTimersByTime(15_000);
    expect(view().step).toBe("attract");
  });

  it("a failing disk keeps the result on screen and saves it once the disk recovers", async () => {
    const records: CheckupRecord[] = [];
    let failures = 2;
    const store: RecordSink = {
      nextSeq: async () => records.length + 1,
      save: async (r) => {
        if (failures-- > 0) throw new StationError("disk-full", "ENOSPC");
        records.push(r);
      },
    };
    const { devices, runtime, view } = setup(store);
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    runtime.action({ type: "confirm" });
    runtime.action({ type: "consent", accept: true });
    devices.bp.measure("normal");
    runtime.action({ type: "next" });
    runtime.action({ type: "skip" });
    await vi.waitFor(() => expect(view()).toMatchObject({ step: "saving", error: { code: "disk-full" } }));
    vi.advanceTimersByTime(CONFIG.inactivityMs * 2);
    expect(view().step).toBe("saving");
    await vi.advanceTimersByTimeAsync(CONFIG.saveRetryMs);
    await vi.advanceTimersByTimeAsync(CONFIG.saveRetryMs);
    await vi.waitFor(() => expect(view().step).toBe("result"));
    expect(records).toHaveLength(1);
  });

  it("an unplugged BP monitor produces no readings; plugging back in resumes", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    runtime.action({ type: "confirm" });
    runtime.action({ type: "consent", accept: true });
    devices.bp.unplug();
    devices.bp.measure("normal");
    expect(view()).toMatchObject({ step: "bp", phase: "ready" });
    devices.bp.plug();
    devices.bp.measure("normal");
    expect(view()).toMatchObject({ step: "bp", phase: "done" });
  });

  it("a device fault reaches the screen as plain guidance, never the driver's technician text", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    devices.cardReader.present(cardFor(ROSTER));
    runtime.action({ type: "confirm" });
    runtime.action({ type: "consent", accept: true });
    devices.bp.measure("error");
    const v = view();
    expect(v).toMatchObject({ step: "bp", phase: "fault", fault: { code: "cuff-loose", retryable: true } });
    if (v.step === "bp") {
      expect(v.fault?.message.zh).toContain("袖带");
      expect(JSON.stringify(v.fault)).not.toContain("simulated");
    }
  });

  it("an unknown fault code from a newer driver still gets a safe Chinese instruction", async () => {
    const { devices, runtime, view } = setup();
    await start(devices, runtime);
    devices.cardReader.fault({ code: "brand-new-code", message: "technician text", retryable: true });
    const v = view();
    expect(v).toMatchObject({ step: "attract", notice: { code: "brand-new-code" } });
    if (v.step === "attract") expect(v.notice?.message.zh).toContain("找医生");
  });

  it("paper-out is reported on the result screen", async () => {
    const store = createMemoryStore();
    await store.open();
    const { devices, runtime, view } = setup(store);
    await start(devices, runtime);
    devices.printer.paperOut = true;
    devices.cardReader.present(cardFor(ROSTER));
    runtime.action({ type: "confirm" });
    runtime.action({ type: "consent", accept: true });
    devices.bp.measure("normal");
    runtime.action({ type: "next" });
    runtime.action({ type: "skip" });
    await vi.waitFor(() =>
      expect(view()).toMatchObject({ step: "result", print: "failed", printFault: { code: "paper-out" } }),
    );
  });
});
