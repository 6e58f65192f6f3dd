import { afterEach, describe, expect, it, vi } from "vitest";
import type { BluezApi } from "../../../drivers/ble/bluez-api.js";
import {
  BLUEZ_UNREACHABLE,
  BluezTransport,
  bluezUuid,
  mapBluezError,
} from "../../../drivers/ble/bluez-transport.js";
import { GATT } from "../../../drivers/ble/transport.js";
import { BleBpMonitor } from "../../../drivers/bp/ble-bp-monitor.js";
import { BleGlucoseMeter } from "../../../drivers/glucose/ble-glucose-meter.js";
import type { DeviceStatus } from "../../../drivers/types.js";
import type { BpReading } from "../../../station/domain/schema.js";
import { StationError } from "../../../station/util/errors.js";
import { FakeBluez, FakeDbusError, FakeDevice } from "./fake-bluez.js";

const CUFF = "A4:C1:38:00:11:22";
const METER = "C0:26:DA:00:00:02";
const BPS = "00001810-0000-1000-8000-00805f9b34fb";
const BPM = "00002a35-0000-1000-8000-00805f9b34fb";

async function started(bluez: FakeBluez) {
  const t = new BluezTransport({ api: async () => bluez });
  await t.start();
  return t;
}
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise<void>((r) => setImmediate(r));
  expect(cond()).toBe(true);
};

afterEach(() => {
  vi.useRealTimers();
});

describe("bluezUuid", () => {
  it("expands 16-bit assigned numbers and lower-cases 128-bit UUIDs the way BlueZ keys them", () => {
    expect(bluezUuid(0x2a35)).toBe("00002a35-0000-1000-8000-00805f9b34fb");
    expect(bluezUuid("2A52")).toBe("00002a52-0000-1000-8000-00805f9b34fb");
    expect(bluezUuid("0x1808")).toBe("00001808-0000-1000-8000-00805f9b34fb");
    expect(bluezUuid("00002A18-0000-1000-8000-00805F9B34FB")).toBe(GATT.glucoseMeasurement);
    expect(() => bluezUuid(0x10000)).toThrow(RangeError);
    expect(() => bluezUuid("2a3")).toThrow(RangeError);
  });
});

describe("mapBluezError", () => {
  it("maps BlueZ's 'Not paired' and NotAuthorized to ble-not-bonded with pairing guidance", () => {
    const e = mapBluezError(new FakeDbusError("org.bluez.Error.NotPermitted", "Not paired"), METER, "write");
    expect(e.code).toBe("ble-not-bonded");
    expect(e.message).toContain(`pair ${METER}`);
    expect(mapBluezError(new FakeDbusError("org.bluez.Error.NotAuthorized", "x"), METER, "w").code).toBe(
      "ble-not-bonded",
    );
    expect(
      mapBluezError(new FakeDbusError("org.bluez.Error.Failed", "In Progress"), METER, "w"),
    ).toMatchObject({
      code: "ble-io-failed",
      message: expect.stringContaining("org.bluez.Error.Failed: In Progress"),
    });
  });
});

describe("BluezTransport start", () => {
  it("an unreachable system bus is ble-unavailable with the install hint", async () => {
    const bluez = new FakeBluez();
    bluez.adapterError = new Error("connect ENOENT /var/run/dbus/system_bus_socket");
    const t = new BluezTransport({ api: async () => bluez });
    await expect(t.start()).rejects.toMatchObject({
      code: "ble-unavailable",
      message: `${BLUEZ_UNREACHABLE} (connect ENOENT /var/run/dbus/system_bus_socket)`,
    });
    expect(bluez.closed).toBe(true);
  });

  it("node-ble failing to load is ble-unavailable too", async () => {
    const t = new BluezTransport({ api: () => Promise.reject(new Error("Cannot find package 'node-ble'")) });
    await expect(t.start()).rejects.toMatchObject({ code: "ble-unavailable" });
  });

  it("a bus that never answers times out as ble-unavailable", async () => {
    vi.useFakeTimers();
    const silent: BluezApi = { defaultAdapter: () => new Promise(() => {}), close: () => {} };
    const t = new BluezTransport({ api: async () => silent, startTimeoutMs: 5000 });
    const p = t.start();
    const assertion = expect(p).rejects.toMatchObject({
      code: "ble-unavailable",
      message: /no answer in 5000 ms/,
    });
    await vi.advanceTimersByTimeAsync(5000);
    await assertion;
  });
});

describe("BluezTransport links", () => {
  it("connect, subscribe, notify, write and disconnect map onto BlueZ calls", async () => {
    const bluez = new FakeBluez();
    const dev = bluez.add(new FakeDevice(CUFF));
    const bpm = dev.add(BPS, BPM);
    const t = await started(bluez);
    const link = t.device(CUFF.toLowerCase());
    await link.connect(CUFF);
    expect(bluez.waited).toEqual([{ address: CUFF, timeoutMs: 10_000 }]);
    expect(link.connected).toBe(true);
    expect(link.bonded).toBe(true);

    const got: number[][] = [];
    await link.subscribe("1810", "2A35", (d) => got.push([...d])); // short forms are converted
    expect(bpm.notifying).toBe(true);
    bpm.push([0x00, 0x78, 0x00]);
    expect(got).toEqual([[0x00, 0x78, 0x00]]);

    await link.write(GATT.bloodPressureService, GATT.bloodPressureMeasurement, Uint8Array.of(1, 2));
    expect(bpm.writes).toEqual([[1, 2]]);

    const reasons: string[] = [];
    link.onDisconnect((r) => reasons.push(r));
    await link.disconnect();
    expect(reasons).toEqual(["local-disconnect"]);
    expect(bpm.notifying).toBe(false); // notifications stopped
    expect(bpm.listeners.size).toBe(0); // and our listener removed
    expect(dev.calls).toEqual(["connect", "gatt", "disconnect"]);
    expect(link.connected).toBe(false);
  });

  it("a BlueZ disconnect event fires onDisconnect once and drops the subscriptions", async () => {
    const bluez = new FakeBluez();
    const dev = bluez.add(new FakeDevice(CUFF));
    const bpm = dev.add(BPS, BPM);
    const link = (await started(bluez)).device(CUFF);
    const reasons: string[] = [];
    link.onDisconnect((r) => reasons.push(r));
    await link.connect(CUFF);
    await link.subscribe(BPS, BPM, () => {});
    dev.drop();
    dev.drop();
    await until(() => reasons.length > 0);
    expect(reasons).toEqual(["link-lost"]);
    expect(bpm.listeners.size).toBe(0);
    expect(dev.disconnectListeners.size).toBe(0);
    await expect(link.write(BPS, BPM, Uint8Array.of(1))).rejects.toMatchObject({ code: "ble-not-connected" });
    await link.connect(CUFF); // and the link can come back
    expect(link.connected).toBe(true);
  });

  it("error codes: not found, connect failure, missing characteristic, not bonded", async () => {
    const bluez = new FakeBluez();
    const t = await started(bluez);
    await expect(t.device(CUFF).connect(CUFF)).rejects.toMatchObject({
      code: "ble-device-not-found",
      message: expect.stringContaining(`bluetoothctl`),
    });

    const dev = bluez.add(new FakeDevice(METER));
    dev.connectError = new FakeDbusError("org.bluez.Error.Failed", "le-connection-abort-by-local");
    const link = t.device(METER);
    await expect(link.connect(METER)).rejects.toMatchObject({ code: "ble-connect-failed" });
    expect(dev.calls).toEqual(["connect", "disconnect"]); // node-ble's listeners released

    dev.connectError = null;
    dev.paired = false;
    const racpChar = dev.add(GATT.glucoseService, GATT.recordAccessControlPoint);
    racpChar.writeError = new FakeDbusError("org.bluez.Error.NotPermitted", "Not paired");
    await link.connect(METER);
    expect(link.bonded).toBe(false);
    await expect(
      link.subscribe(GATT.glucoseService, GATT.glucoseMeasurement, () => {}),
    ).rejects.toMatchObject({
      code: "ble-no-characteristic",
    });
    await expect(
      link.write(GATT.glucoseService, GATT.recordAccessControlPoint, Uint8Array.of(4, 1)),
    ).rejects.toMatchObject({ code: "ble-not-bonded" });
    await expect(link.connect(METER)).rejects.toMatchObject({ code: "ble-busy" });
    await expect(t.device(CUFF).connect(METER)).rejects.toMatchObject({ code: "ble-busy" });
  });

  it("a device that stops answering during connect times out as ble-connect-failed", async () => {
    vi.useFakeTimers();
    const bluez = new FakeBluez();
    bluez.add(new FakeDevice(CUFF)).hang = true;
    const t = new BluezTransport({ api: async () => bluez, connectTimeoutMs: 20_000 });
    await t.start();
    const p = t.device(CUFF).connect(CUFF);
    const assertion = expect(p).rejects.toMatchObject({ code: "ble-connect-failed", message: /20000 ms/ });
    await vi.advanceTimersByTimeAsync(20_000);
    await assertion;
  });

  it("stop() disconnects every link and closes the bus", async () => {
    const bluez = new FakeBluez();
    const a = bluez.add(new FakeDevice(CUFF));
    const b = bluez.add(new FakeDevice(METER));
    const t = await started(bluez);
    await t.device(CUFF).connect(CUFF);
    await t.device(METER).connect(METER);
    await t.stop();
    expect(a.calls.at(-1)).toBe("disconnect");
    expect(b.calls.at(-1)).toBe("disconnect");
    expect(bluez.closed).toBe(true);
    await expect(t.device(CUFF).connect(CUFF)).rejects.toMatchObject({ code: "ble-unavailable" });
  });
});

describe("the facades over one shared BluezTransport", () => {
  it("a BP cuff and a glucose meter connect side by side and each gets its own data", async () => {
    const bluez = new FakeBluez();
    const cuff = bluez.add(new FakeDevice(CUFF));
    cuff.add(GATT.bloodPressureService, GATT.intermediateCuffPressure);
    const measurement = cuff.add(GATT.bloodPressureService, GATT.bloodPressureMeasurement);
    const meter = bluez.add(new FakeDevice(METER));
    meter.add(GATT.glucoseService, GATT.glucoseMeasurement);
    meter.add(GATT.glucoseService, GATT.glucoseMeasurementContext);
    const racpChar = meter.add(GATT.glucoseService, GATT.recordAccessControlPoint);
    const t = await started(bluez);

    const bp = new BleBpMonitor({ transport: t.device(CUFF), address: CUFF });
    const glucose = new BleGlucoseMeter({ transport: t.device(METER), address: METER });
    const readings: BpReading[] = [];
    bp.on("reading", (r) => readings.push(r));
    const gStatus: DeviceStatus[] = [];
    glucose.on("status", (s) => gStatus.push(s));
    await bp.start();
    await glucose.start();

    await until(() => bp.status.state === "connected" && racpChar.writes.length === 1);
    expect(racpChar.writes).toEqual([[0x01, 0x06]]); // RACP: report stored records, last record
    racpChar.push([0x06, 0x00, 0x01, 0x06]); // response code: "report" → no records found
    await until(() => glucose.status.state === "connected");

    // Blood Pressure Measurement: flags 0 (mmHg), systolic 120, diastolic 80, MAP 93 (SFLOAT, e=0)
    measurement.push([0x00, 0x78, 0x00, 0x50, 0x00, 0x5d, 0x00]);
    expect(readings.map((r) => [r.systolic, r.diastolic])).toEqual([[120, 80]]);

    meter.drop(); // the meter goes to sleep; the cuff's link is unaffected
    await until(() => glucose.status.state === "disconnected");
    expect(bp.status.state).toBe("connected");

    await bp.stop();
    await glucose.stop();
    await t.stop();
    expect(bluez.closed).toBe(true);
  });
});

describe("BluezTransport over the real node-ble", () => {
  it("settles start() with the adapter or ble-unavailable, never an uncaught bus error", async () => {
    // On this build machine there is no system bus: node-ble's bus emits 'error' (ENOENT),
    // which must become a rejection. On a Pi with BlueZ it resolves.
    const t = new BluezTransport({ startTimeoutMs: 5000 });
    const outcome = await t.start().then(
      () => "started",
      (e: unknown) => (e instanceof StationError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`),
    );
    await t.stop();
    expect(outcome).toMatch(new RegExp(`^(started|ble-unavailable: ${BLUEZ_UNREACHABLE} \\(.+\\))$`));
  });
});
