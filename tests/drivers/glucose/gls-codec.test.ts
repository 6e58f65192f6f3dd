import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHex } from "../../../drivers/ble/bytes.js";
import {
  decodeGlucoseContext,
  decodeGlucoseMeasurement,
  encodeGlucoseContext,
  encodeGlucoseMeasurement,
  SENSOR_STATUS_FLAGS,
} from "../../../drivers/glucose/gls-codec.js";

/** 0x2A18 in kg/L with time offset, status and a context to follow. */
const KG = parseHex(
  [
    "1b", // flags: time offset | concentration+type/location | sensor status | context follows (kg/L)
    "05 00", // sequence 5
    "ea 07 03 01 07 2d 00", // base time 2026-03-01 07:45:00
    "f1 ff", // time offset −15 min (signed int16)
    "63 b0", // concentration SFLOAT e=−5 m=99 → 0.00099 kg/L = 99 mg/dL
    "11", // type 1 capillary whole blood (low nibble), location 1 finger (high nibble)
    "00 00", // sensor status: nothing to report
  ].join(""),
);

/** 0x2A18 in mol/L, no optional fields besides the concentration. */
const MOL = parseHex(
  [
    "06", // flags: concentration+type/location | unit mol/L
    "02 01", // sequence 0x0102 = 258
    "ea 07 03 01 08 00 00", // 2026-03-01 08:00:00
    "38 c0", // SFLOAT e=−4 m=56 → 0.0056 mol/L = 5.6 mmol/L
    "12", // type 2 capillary plasma, location 1 finger
  ].join(""),
);

describe("0x2A18 glucose measurement", () => {
  it("kg/L with every field", () => {
    const r = decodeGlucoseMeasurement(KG);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toEqual({
      sequence: 5,
      baseTime: { year: 2026, month: 3, day: 1, hours: 7, minutes: 45, seconds: 0 },
      timeOffsetMinutes: -15,
      concentration: { value: { kind: "value", value: 0.00099 }, unit: "kg/L" },
      mmolL: 5.5, // 99 / 18.016 = 5.495
      sampleType: { code: 1, name: "capillary-whole-blood" },
      sampleLocation: { code: 1, name: "finger" },
      sensorStatus: { raw: 0, flags: [] },
      contextFollows: true,
    });
  });

  it("mol/L: mmol/L = mol/L × 1000", () => {
    const r = decodeGlucoseMeasurement(MOL);
    expect(r.ok && r.value).toMatchObject({
      sequence: 258,
      timeOffsetMinutes: null,
      mmolL: 5.6,
      sampleType: { code: 2, name: "capillary-plasma" },
      sensorStatus: null,
      contextFollows: false,
    });
  });

  it("a positive time offset is read as such", () => {
    const bytes = encodeGlucoseMeasurement({
      sequence: 1,
      baseTime: { year: 2026, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 },
      timeOffsetMinutes: 600,
    });
    expect(bytes.subarray(10, 12)).toEqual(Uint8Array.of(0x58, 0x02)); // 600 LE
    expect(decodeGlucoseMeasurement(bytes)).toMatchObject({
      ok: true,
      value: { timeOffsetMinutes: 600, mmolL: null },
    });
  });

  it("keeps an unknown sample type code raw", () => {
    const bytes = Uint8Array.from(MOL);
    bytes[12] = 0xfc; // type 12 (reserved), location 15 not available
    const r = decodeGlucoseMeasurement(bytes);
    expect(r.ok && r.value.sampleType).toEqual({ code: 12, name: null });
    expect(r.ok && r.value.sampleLocation).toEqual({ code: 15, name: "not-available" });
  });

  it("decodes each sensor status bit to its name", () => {
    SENSOR_STATUS_FLAGS.forEach((name, bit) => {
      const bytes = encodeGlucoseMeasurement({
        sequence: 1,
        baseTime: { year: 2026, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 },
        sensorStatus: 1 << bit,
      });
      const r = decodeGlucoseMeasurement(bytes);
      expect(r.ok && r.value.sensorStatus?.flags).toEqual([name]);
    });
  });

  it("the encoder reproduces the kg/L fixture", () => {
    const bytes = encodeGlucoseMeasurement({
      sequence: 5,
      baseTime: { year: 2026, month: 3, day: 1, hours: 7, minutes: 45, seconds: 0 },
      timeOffsetMinutes: -15,
      concentration: { value: { raw: 0xb063 }, unit: "kg/L" },
      sampleType: 1,
      sampleLocation: 1,
      sensorStatus: 0,
      contextFollows: true,
    });
    expect(bytes).toEqual(KG);
  });

  it("a flag promising a field that is missing is 'truncated'", () => {
    expect(decodeGlucoseMeasurement(KG.subarray(0, 14))).toMatchObject({
      ok: false,
      error: { code: "truncated" },
    });
  });
});

describe("0x2A34 glucose measurement context", () => {
  it("meal only", () => {
    const bytes = parseHex(
      [
        "02", // flags: meal present
        "05 00", // sequence 5 (matches the measurement)
        "03", // meal 3 = fasting
      ].join(""),
    );
    expect(decodeGlucoseContext(bytes)).toMatchObject({
      ok: true,
      value: { sequence: 5, meal: { code: 3, name: "fasting" }, carbohydrate: null, hba1cPercent: null },
    });
  });

  it("every field round-trips through the encoder", () => {
    const bytes = encodeGlucoseContext({
      sequence: 9,
      carbohydrate: { id: 1, kg: 0.05 },
      meal: 2,
      testerHealth: { tester: 1, health: 2 },
      exercise: { durationSeconds: 1800, intensityPercent: 40 },
      hba1cPercent: 6.5,
    });
    const r = decodeGlucoseContext(bytes);
    expect(r.ok && r.value).toMatchObject({
      sequence: 9,
      carbohydrate: { id: 1, kg: { kind: "value", value: 0.05 } },
      meal: { code: 2, name: "postprandial" },
      testerHealth: { tester: 1, health: 2 },
      exercise: { durationSeconds: 1800, intensityPercent: 40 },
      hba1cPercent: { kind: "value", value: 6.5 },
    });
  });

  it("extended flags and medication are read in place", () => {
    const bytes = parseHex(
      [
        "92", // flags: extended (0x80) | medication in kg (0x10) | meal (0x02)
        "01 00", // sequence 1
        "00", // extended flags
        "04", // meal 4 casual
        "02", // medication id 2
        "0a d0", // SFLOAT e=−3 m=10 → 0.010 kg
      ].join(""),
    );
    const r = decodeGlucoseContext(bytes);
    expect(r.ok && r.value).toMatchObject({
      extendedFlags: 0,
      meal: { code: 4, name: "casual" },
      medication: { id: 2, amount: { kind: "value", value: 0.01 }, unit: "kg" },
    });
  });
});

describe("glucose codec fuzz", () => {
  it("random and truncated bytes never throw", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const a = decodeGlucoseMeasurement(bytes);
        const b = decodeGlucoseContext(bytes);
        for (const r of [a, b]) if (!r.ok) expect(r.error.code).toBe("truncated");
      }),
      { numRuns: 3000 },
    );
  });

  it("single-byte mutations of a valid value never throw", () => {
    fc.assert(
      fc.property(fc.nat(KG.length - 1), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const m = Uint8Array.from(KG);
        m[i] = b;
        expect(typeof decodeGlucoseMeasurement(m).ok).toBe("boolean");
      }),
    );
  });
});
