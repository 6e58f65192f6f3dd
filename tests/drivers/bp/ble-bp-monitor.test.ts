import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SimulatedBleTransport } from "../../../drivers/ble/sim-transport.js";
import { BleBpMonitor } from "../../../drivers/bp/ble-bp-monitor.js";
import { SimulatedBpCuff } from "../../../drivers/bp/sim-cuff.js";
import type { DeviceFault, DeviceStatus } from "../../../drivers/types.js";
import type { BpReading } from "../../../station/domain/schema.js";

const ADDRESS = "A4:C1:38:00:11:22";

function rig(opts: { inflateSteps?: number } = {}) {
  const cuff = new SimulatedBpCuff({ address: ADDRESS, stepMs: 400, ...opts });
  const transport = new SimulatedBleTransport([cuff]);
  const monitor = new BleBpMonitor({
    transport,
    address: ADDRESS,
    backoff: { initialMs: 1000, maxMs: 8000 },
  });
  const events: string[] = [];
  const statuses: DeviceStatus[] = [];
  const readings: BpReading[] = [];
  const faults: DeviceFault[] = [];
  monitor.on("status", (s) => {
    statuses.push(s);
    events.push(`status:${s.state}${s.code ? `:${s.code}` : ""}`);
  });
  monitor.on("measuring", () => events.push("measuring"));
  monitor.on("reading", (r) => {
    readings.push(r);
    events.push("reading");
  });
  monitor.on("fault", (f) => {
    faults.push(f);
    events.push(`fault:${f.code}`);
  });
  return { cuff, transport, monitor, events, statuses, readings, faults };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(new Date("2026-03-01T00:30:00Z"));
});
afterEach(() => vi.useRealTimers());

describe("BleBpMonitor over the simulated transport", () => {
  it("connects, emits 'measuring' once per cycle, then one reading", async () => {
    const { cuff, monitor, events, readings } = rig();
    await monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.status.state).toBe("connected");

    cuff.startMeasurement({ unit: "mmHg", systolic: 128, diastolic: 82, mean: 97, pulse: 71 });
    await vi.advanceTimersByTimeAsync(6 * 400);
    expect(events).toEqual(["status:connected", "measuring", "reading"]);
    expect(readings[0]).toMatchObject({
      kind: "bp",
      systolic: 128,
      diastolic: 82,
      pulse: 71,
      source: "device",
      device: { kind: "bp", transport: "ble" },
    });

    cuff.startMeasurement({ unit: "mmHg", systolic: 130, diastolic: 85, mean: 100 });
    await vi.advanceTimersByTimeAsync(6 * 400);
    expect(events.filter((e) => e === "measuring")).toHaveLength(2);
    expect(readings).toHaveLength(2);
    await monitor.stop();
  });

  it("an implausible result is a fault, never a reading", async () => {
    const { cuff, monitor, readings, faults } = rig({ inflateSteps: 1 });
    await monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    cuff.startMeasurement({ unit: "mmHg", systolic: 60, diastolic: 90, mean: 80 });
    await vi.advanceTimersByTimeAsync(800);
    expect(readings).toEqual([]);
    expect(faults.map((f) => f.code)).toEqual(["bp-implausible"]);
  });

  it("malformed bytes from the cuff become a bp-bad-data fault", async () => {
    const { cuff, monitor, faults } = rig({ inflateSteps: 1 });
    await monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    cuff.startMeasurement(Uint8Array.of(0x1f, 0x78)); // flags promise every field; 1 byte follows
    await vi.advanceTimersByTimeAsync(800);
    expect(faults).toMatchObject([{ code: "bp-bad-data", retryable: true }]);
  });

  it("link loss → 'disconnected' within 2 s → reconnects after the backoff", async () => {
    const { transport, monitor, statuses } = rig();
    await monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    transport.dropLink("supervision timeout");
    await vi.advanceTimersByTimeAsync(2000);
    expect(statuses.map((s) => [s.state, s.code])).toContainEqual(["disconnected", "link-lost"]);
    // 1 s initial backoff has elapsed inside those 2 s: connected again.
    expect(monitor.status.state).toBe("connected");
    expect(transport.connected).toBe(true);
  });

  it("an unreachable cuff is retried with doubling delays, then connects", async () => {
    const { transport, monitor } = rig();
    transport.setReachable(ADDRESS, false);
    const connect = vi.spyOn(transport, "connect");
    await monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(monitor.status).toMatchObject({ state: "disconnected", code: "connect-failed" });
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    expect(connect).toHaveBeenCalledTimes(4); // t=0, 1 s, 3 s, 7 s
    transport.setReachable(ADDRESS, true);
    await vi.advanceTimersByTimeAsync(8000);
    expect(monitor.status.state).toBe("connected");
  });

  it("stop() disconnects and does not reconnect", async () => {
    const { transport, monitor } = rig();
    await monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    await monitor.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.connected).toBe(false);
    expect(monitor.status).toMatchObject({ state: "disconnected", code: "stopped" });
  });
});
