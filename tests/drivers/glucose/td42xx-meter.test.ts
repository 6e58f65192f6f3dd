import { SerialPortMock } from "serialport";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Td42xxGlucoseMeter } from "../../../drivers/glucose/td42xx-meter.js";
import { Td42xxSimulator, type TdSimRecord } from "../../../drivers/glucose/td42xx-sim.js";
import type { DeviceFault } from "../../../drivers/types.js";
import type { GlucoseReading } from "../../../station/domain/schema.js";
import { FX } from "./td42xx-fixtures.js";

// binding-mock's ESM entry ships no types; serialport re-exports the same MockBinding, typed.
const MockBinding = SerialPortMock.binding;
type MockPortBinding = NonNullable<SerialPortMock["port"]>;

const PATH = "/dev/serial/by-id/usb-Silicon_Labs_CP2110-if00";
const NOW = new Date("2026-03-01T00:30:00Z"); // 08:30 China time

/**
 * MockBinding with the simulator on the far end: each host write is fed to the simulator and
 * its replies are pushed back with emitData, optionally with noise and split into pieces.
 */
function simBinding(sim: Td42xxSimulator, noisy = false) {
  const ports: MockPortBinding[] = [];
  const binding: typeof MockBinding = {
    ...MockBinding,
    async open(opts) {
      const port = await MockBinding.open(opts);
      const write = port.write.bind(port);
      port.write = async (buf: Buffer) => {
        await write(buf);
        for (const reply of sim.receive(buf)) {
          if (!noisy) port.emitData(Buffer.from(reply));
          else {
            port.emitData(Buffer.from([0x00, 0x51, 0xff])); // line noise, incl. a false start byte
            port.emitData(Buffer.from(reply.subarray(0, 3)));
            port.emitData(Buffer.from(reply.subarray(3)));
          }
        }
      };
      ports.push(port);
      return port;
    },
  };
  return { binding, ports };
}

const at = (day: number, hours: number, minutes: number) => ({
  year: 2026,
  month: 3,
  day,
  hours,
  minutes,
  seconds: 0,
});
const old: TdSimRecord[] = [
  { time: at(1, 7, 0), mgdl: 110, meal: "none" },
  { time: at(1, 7, 30), mgdl: 120, meal: "after" },
];

function rig(opts: { records?: TdSimRecord[]; newestFirst?: boolean; noisy?: boolean } = {}) {
  const sim = new Td42xxSimulator({ records: opts.records ?? old, newestFirst: opts.newestFirst ?? true });
  const { binding, ports } = simBinding(sim, opts.noisy);
  const meter = new Td42xxGlucoseMeter({ path: PATH, binding, pollIntervalMs: 2000, requestTimeoutMs: 500 });
  const readings: GlucoseReading[] = [];
  const faults: DeviceFault[] = [];
  meter.on("reading", (r) => readings.push(r));
  meter.on("fault", (f) => faults.push(f));
  return { sim, meter, ports, readings, faults };
}

beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort(PATH, { record: true, echo: false });
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("Td42xxGlucoseMeter over MockBinding", () => {
  it("handshakes (connect, model), reads the count, and treats stored records as history", async () => {
    const { sim, meter, readings } = rig();
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(sim.received.map((f) => f.cmd)).toEqual([0x22, 0x24, 0x2b]);
    expect(meter.status.state).toBe("connected");
    expect(readings).toEqual([]);
    await meter.stop();
  });

  it("a new test on the meter is read at the next poll and emitted once", async () => {
    const { sim, meter, readings } = rig();
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    sim.addRecord({ time: at(1, 8, 28), mgdl: 153, meal: "after" });
    await vi.advanceTimersByTimeAsync(2000);
    expect(readings).toEqual([
      {
        kind: "glucose",
        mmolL: 8.49, // 153 / 18.016
        sampleType: "postprandial",
        takenAt: "2026-03-01T08:28:00+08:00",
        source: "device",
        device: { kind: "glucose", model: "TaiDoc TD-42xx", transport: "serial" },
      },
    ]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(readings).toHaveLength(1);
    await meter.stop();
  });

  it("finds the newest record whichever end of memory the meter stores it at", async () => {
    const { sim, meter, readings } = rig({ newestFirst: false });
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    sim.addRecord({ time: at(1, 8, 29), mgdl: 90, meal: "none" });
    await vi.advanceTimersByTimeAsync(2000);
    expect(readings).toMatchObject([{ mmolL: 5, sampleType: "unknown" }]);
    await meter.stop();
  });

  it("works through line noise and replies split across chunks", async () => {
    const { sim, meter, readings } = rig({ noisy: true });
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    sim.addRecord({ time: at(1, 8, 29), mgdl: 99, meal: "before" });
    await vi.advanceTimersByTimeAsync(2000);
    expect(readings).toMatchObject([{ mmolL: 5.5, sampleType: "random" }]);
    await meter.stop();
  });

  it("a sleeping meter → 'disconnected' after one unanswered poll; on waking the handshake is redone", async () => {
    const { sim, meter } = rig();
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    sim.awake = false;
    await vi.advanceTimersByTimeAsync(2000 + 500);
    expect(meter.status).toMatchObject({ state: "disconnected", code: "meter-silent" });
    sim.awake = true;
    sim.received.length = 0;
    await vi.advanceTimersByTimeAsync(2000);
    expect(meter.status.state).toBe("connected");
    expect(sim.received.map((f) => f.cmd)).toEqual([0x22, 0x24, 0x2b]);
    await meter.stop();
  });

  it("a request timeout names the command", async () => {
    const { sim, meter } = rig();
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    sim.awake = false;
    const p = meter.readClock();
    const assertion = expect(p).rejects.toMatchObject({
      code: "td42xx-timeout",
      message: expect.stringMatching(/read clock/),
    });
    await vi.advanceTimersByTimeAsync(500);
    await assertion;
    await meter.stop();
  });

  it("a value outside the strip range is a fault", async () => {
    const { sim, meter, readings, faults } = rig();
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    sim.addRecord({ time: at(1, 8, 29), mgdl: 700, meal: "none" });
    await vi.advanceTimersByTimeAsync(2000);
    expect(readings).toEqual([]);
    expect(faults.map((f) => f.code)).toEqual(["glucose-out-of-range"]);
    await meter.stop();
  });

  it("powerOff sends 51 50 00 00 00 00 A3 44 and waits for nothing", async () => {
    const { sim, meter, ports } = rig();
    await meter.start();
    await vi.advanceTimersByTimeAsync(10);
    await meter.powerOff();
    expect(ports[0]?.lastWrite).toEqual(Buffer.from(FX.hostPowerOff));
    expect(sim.awake).toBe(false);
    await meter.stop();
  });

  it("a port that cannot be opened → error status, retried with backoff", async () => {
    const { binding } = simBinding(new Td42xxSimulator());
    const open = vi.spyOn(binding, "open");
    const meter = new Td42xxGlucoseMeter({
      path: "/dev/serial/by-id/missing",
      binding,
      reopen: { initialMs: 1000 },
    });
    await meter.start();
    expect(meter.status).toMatchObject({ state: "error", code: "port-open-failed" });
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(open).toHaveBeenCalledTimes(3);
    await meter.stop();
  });
});
