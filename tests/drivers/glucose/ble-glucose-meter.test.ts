import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SimulatedBleTransport } from "../../../drivers/ble/sim-transport.js";
import { GATT } from "../../../drivers/ble/transport.js";
import { BleGlucoseMeter } from "../../../drivers/glucose/ble-glucose-meter.js";
import { type SimGlucoseRecord, SimulatedGlucoseMeter } from "../../../drivers/glucose/sim-gls.js";
import type { DeviceFault, DeviceStatus } from "../../../drivers/types.js";
import type { GlucoseReading } from "../../../station/domain/schema.js";

const ADDRESS = "C0:26:DA:00:00:01";
// Station clock 2026-03-01 08:30 China time.
const NOW = new Date("2026-03-01T00:30:00Z");

const rec = (
  sequence: number,
  at: { month?: number; day: number; hours: number; minutes: number },
  mmol: number,
  mealCode?: number,
) =>
  ({
    measurement: {
      sequence,
      baseTime: { year: 2026, month: 3, seconds: 0, ...at },
      concentration: { value: mmol / 1000, unit: "mol/L" },
    },
    ...(mealCode ? { context: { meal: mealCode } } : {}),
  }) satisfies SimGlucoseRecord;

function rig(records: SimGlucoseRecord[], bonded = true) {
  const meter = new SimulatedGlucoseMeter({ address: ADDRESS, records });
  const transport = new SimulatedBleTransport([meter], { bonded });
  const gm = new BleGlucoseMeter({ transport, address: ADDRESS, backoff: { initialMs: 1000, maxMs: 8000 } });
  const readings: GlucoseReading[] = [];
  const faults: DeviceFault[] = [];
  const statuses: DeviceStatus[] = [];
  gm.on("reading", (r) => readings.push(r));
  gm.on("fault", (f) => faults.push(f));
  gm.on("status", (s) => statuses.push(s));
  return { meter, transport, gm, readings, faults, statuses };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("BleGlucoseMeter over the simulated transport", () => {
  it("on connect asks for the last record with RACP 01 06", async () => {
    const { transport, gm } = rig([]);
    const write = vi.spyOn(transport, "write");
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(write).toHaveBeenCalledWith(
      GATT.glucoseService,
      GATT.recordAccessControlPoint,
      Uint8Array.of(0x01, 0x06),
    );
    expect(gm.status.state).toBe("connected");
  });

  it("yesterday's last record is history: it sets the baseline and is not emitted", async () => {
    const { meter, gm, readings } = rig([rec(7, { month: 2, day: 28, hours: 7, minutes: 0 }, 5.1)]);
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(readings).toEqual([]);
    // A new test on the meter, with a fasting context, arrives unsolicited.
    meter.addRecord(rec(8, { day: 1, hours: 8, minutes: 29 }, 6.3, 3));
    await vi.advanceTimersByTimeAsync(0);
    expect(readings).toMatchObject([
      { kind: "glucose", mmolL: 6.3, sampleType: "fasting", takenAt: "2026-03-01T08:29:00+08:00" },
    ]);
  });

  it("a last record from minutes ago is this villager's test and is emitted on connect", async () => {
    const { gm, readings } = rig([rec(3, { day: 1, hours: 8, minutes: 26 }, 7.4, 2)]);
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(readings).toMatchObject([{ mmolL: 7.4, sampleType: "postprandial" }]);
  });

  it("the same record seen twice (live, then via RACP) is emitted once", async () => {
    const { meter, gm, readings } = rig([]);
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    meter.addRecord(rec(1, { day: 1, hours: 8, minutes: 29 }, 5.0));
    await vi.advanceTimersByTimeAsync(1000); // context wait elapses: no context → unknown
    await gm.fetchLatest();
    expect(readings).toHaveLength(1);
    expect(readings[0]?.sampleType).toBe("unknown");
  });

  it("a strip error becomes a fault with guidance, not a reading", async () => {
    const { meter, gm, readings, faults } = rig([]);
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    const bad = rec(2, { day: 1, hours: 8, minutes: 29 }, 5.0);
    meter.addRecord({ measurement: { ...bad.measurement, sensorStatus: 1 << 2 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(readings).toEqual([]);
    expect(faults).toMatchObject([{ code: "sample-insufficient", retryable: true }]);
  });

  it("refuses an unbonded link: status error ble-not-bonded, keeps retrying", async () => {
    const { transport, gm, statuses } = rig([rec(1, { day: 1, hours: 8, minutes: 29 }, 5.0)], false);
    const connect = vi.spyOn(transport, "connect");
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses[0]).toMatchObject({ state: "error", code: "ble-not-bonded" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(connect).toHaveBeenCalledTimes(2);
  });

  it("disconnect → 'disconnected' within 2 s → reconnect fetches what was missed", async () => {
    const { meter, transport, gm, readings, statuses } = rig([]);
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    transport.dropLink("out of range");
    meter.addRecord(rec(4, { day: 1, hours: 8, minutes: 30 }, 8.8, 4), { notify: false });
    await vi.advanceTimersByTimeAsync(2000);
    expect(statuses.map((s) => s.state)).toEqual(["connected", "disconnected", "connected"]);
    expect(readings).toMatchObject([{ mmolL: 8.8, sampleType: "random" }]);
  });

  it("countRecords() and a RACP timeout that names the procedure", async () => {
    const { meter, gm } = rig([
      rec(1, { day: 1, hours: 7, minutes: 0 }, 5),
      rec(2, { day: 1, hours: 7, minutes: 5 }, 5),
    ]);
    await gm.start();
    await vi.advanceTimersByTimeAsync(0);
    await expect(gm.countRecords()).resolves.toBe(2);
    vi.spyOn(meter, "onWrite").mockImplementation(() => {}); // the meter stops answering
    const p = gm.countRecords();
    const assertion = expect(p).rejects.toMatchObject({
      code: "racp-timeout",
      message: expect.stringMatching(/number of records/),
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await assertion;
  });
});
