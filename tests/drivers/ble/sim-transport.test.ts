import { describe, expect, it } from "vitest";
import { SimulatedBleTransport } from "../../../drivers/ble/sim-transport.js";
import { GATT } from "../../../drivers/ble/transport.js";
import { racp } from "../../../drivers/glucose/racp.js";
import { SimulatedGlucoseMeter } from "../../../drivers/glucose/sim-gls.js";

const ADDR = "C0:26:DA:00:00:02";
const flush = () => new Promise<void>((r) => setImmediate(r));

describe("SimulatedBleTransport", () => {
  it("delivers peripheral notifications only to subscribed characteristics, in order", async () => {
    const meter = new SimulatedGlucoseMeter({ address: ADDR });
    const t = new SimulatedBleTransport([meter]);
    await t.connect(ADDR.toLowerCase());
    const got: number[][] = [];
    await t.subscribe(GATT.glucoseService, GATT.recordAccessControlPoint, (d) => got.push([...d]));
    await t.write(GATT.glucoseService, GATT.recordAccessControlPoint, racp.count());
    await t.write(GATT.glucoseService, GATT.recordAccessControlPoint, racp.reportLast());
    await flush();
    expect(got).toEqual([
      [0x05, 0x00, 0x00, 0x00], // count response: 0 records
      [0x06, 0x00, 0x01, 0x06], // response code for "report": no records found
    ]);
  });

  it("rejects RACP writes on an unbonded link", async () => {
    const t = new SimulatedBleTransport([new SimulatedGlucoseMeter({ address: ADDR })], { bonded: false });
    await t.connect(ADDR);
    expect(t.bonded).toBe(false);
    await expect(
      t.write(GATT.glucoseService, GATT.recordAccessControlPoint, racp.count()),
    ).rejects.toMatchObject({
      code: "ble-not-bonded",
    });
  });

  it("dropLink fires disconnect listeners once and drops subscriptions", async () => {
    const meter = new SimulatedGlucoseMeter({ address: ADDR });
    const t = new SimulatedBleTransport([meter]);
    const reasons: string[] = [];
    t.onDisconnect((r) => reasons.push(r));
    await t.connect(ADDR);
    t.dropLink("out of range");
    t.dropLink("again");
    expect(reasons).toEqual(["out of range"]);
    expect(t.connected).toBe(false);
    await expect(t.subscribe(GATT.glucoseService, GATT.glucoseMeasurement, () => {})).rejects.toMatchObject({
      code: "ble-not-connected",
    });
  });

  it("unknown characteristics and unreachable peers are typed errors", async () => {
    const t = new SimulatedBleTransport([new SimulatedGlucoseMeter({ address: ADDR })]);
    await expect(t.connect("00:00:00:00:00:00")).rejects.toMatchObject({ code: "ble-connect-failed" });
    await t.connect(ADDR);
    await expect(
      t.subscribe(GATT.bloodPressureService, GATT.bloodPressureMeasurement, () => {}),
    ).rejects.toMatchObject({
      code: "ble-no-characteristic",
    });
  });
});
