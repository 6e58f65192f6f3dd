import { describe, expect, it } from "vitest";
import { decodeGlucoseBleHex } from "../../../drivers/glucose/decode.js";
import {
  GLUCOSE_GUIDANCE,
  mealToSampleType,
  SAMPLE_TYPE_UNKNOWN,
  toGlucoseReading,
  VOIDING_SENSOR_FLAGS,
} from "../../../drivers/glucose/gls-assess.js";
import {
  decodeGlucoseContext,
  decodeGlucoseMeasurement,
  encodeGlucoseContext,
  encodeGlucoseMeasurement,
  type GlucoseMeasurementInput,
} from "../../../drivers/glucose/gls-codec.js";
import { GlucoseReading } from "../../../station/domain/schema.js";

const base = { year: 2026, month: 3, day: 1, hours: 8, minutes: 25, seconds: 0 };
const ctx = {
  now: new Date("2026-03-01T00:30:00Z"), // 08:30 China time
  offsetMinutes: 480,
  maxSkewMinutes: 10,
  device: { kind: "glucose", model: "sim", transport: "sim" as const },
};
const record = (m: Partial<GlucoseMeasurementInput>) => {
  const r = decodeGlucoseMeasurement(
    encodeGlucoseMeasurement({
      sequence: 1,
      baseTime: base,
      concentration: { value: 0.0062, unit: "mol/L" },
      ...m,
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const meal = (code: number) => {
  const r = decodeGlucoseContext(encodeGlucoseContext({ sequence: 1, meal: code }));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe("meal → sampleType", () => {
  it.each([
    [3, "fasting"],
    [2, "postprandial"],
    [1, "random"],
    [4, "random"],
    [5, "random"],
    [0, SAMPLE_TYPE_UNKNOWN],
    [9, SAMPLE_TYPE_UNKNOWN],
    [null, SAMPLE_TYPE_UNKNOWN],
  ])("meal %s → %s", (code, expected) => {
    expect(mealToSampleType(code)).toBe(expected);
  });
});

describe("toGlucoseReading", () => {
  it("a fasting record becomes a schema-valid reading with the meter's time", () => {
    const out = toGlucoseReading(record({}), meal(3), ctx);
    if (!out.ok) throw new Error(out.fault.message);
    expect(GlucoseReading.parse(out.reading)).toMatchObject({
      mmolL: 6.2,
      sampleType: "fasting",
      takenAt: "2026-03-01T08:25:00+08:00",
      source: "device",
    });
  });

  it("without context the station must ask: sampleType unknown", () => {
    const out = toGlucoseReading(record({}), null, ctx);
    expect(out.ok && out.reading.sampleType).toBe("unknown");
  });

  it("applies the signed time offset to the base time", () => {
    const out = toGlucoseReading(
      record({ baseTime: { ...base, minutes: 40 }, timeOffsetMinutes: -15 }),
      null,
      ctx,
    );
    expect(out.ok && out.reading.takenAt).toBe("2026-03-01T08:25:00+08:00");
  });

  it("a time-fault flag makes the station clock the time of record", () => {
    const out = toGlucoseReading(record({ sensorStatus: 1 << 11 }), null, ctx);
    expect(out.ok && out.reading.takenAt).toBe("2026-03-01T08:30:00+08:00");
  });

  it("battery-low alone does not void the result", () => {
    expect(toGlucoseReading(record({ sensorStatus: 1 }), null, ctx).ok).toBe(true);
  });

  it.each(VOIDING_SENSOR_FLAGS.map((f) => [f]))("%s → fault with zh+en guidance", (flag) => {
    const bit = [
      "battery-low",
      "sensor-malfunction",
      "sample-insufficient",
      "strip-insertion-error",
      "strip-type-incorrect",
      "result-too-high",
      "result-too-low",
      "temperature-too-high",
      "temperature-too-low",
      "read-interrupted",
      "general-fault",
    ].indexOf(flag);
    const out = toGlucoseReading(record({ sensorStatus: 1 << bit }), null, ctx);
    expect(out).toMatchObject({ ok: false, fault: { code: flag } });
    expect(GLUCOSE_GUIDANCE[flag]?.zh).toBeTruthy();
    expect(GLUCOSE_GUIDANCE[flag]?.en).toBeTruthy();
  });

  it("sample-insufficient tells the villager to apply more blood to a new strip", () => {
    const out = toGlucoseReading(record({ sensorStatus: 1 << 2 }), null, ctx);
    expect(!out.ok && out.fault).toMatchObject({
      retryable: true,
      message: expect.stringMatching(/new strip.*more blood/i),
    });
  });

  it("results above the meter's range are not retryable: tell the doctor", () => {
    const out = toGlucoseReading(record({ sensorStatus: 1 << 5 }), null, ctx);
    expect(!out.ok && out.fault).toMatchObject({ code: "result-too-high", retryable: false });
  });

  it("control solution, NaN and out-of-range values are faults", () => {
    expect(toGlucoseReading(record({ sampleType: 10 }), null, ctx)).toMatchObject({
      ok: false,
      fault: { code: "control-solution" },
    });
    const nan = record({ concentration: { value: { raw: 0x07ff }, unit: "mol/L" } });
    expect(toGlucoseReading(nan, null, ctx)).toMatchObject({
      ok: false,
      fault: { code: "glucose-no-result" },
    });
    const high = record({ concentration: { value: 0.0334, unit: "mol/L" } });
    expect(toGlucoseReading(high, null, ctx)).toMatchObject({
      ok: false,
      fault: { code: "glucose-out-of-range" },
    });
    const edge = record({ concentration: { value: 0.0333, unit: "mol/L" } });
    expect(toGlucoseReading(edge, null, ctx).ok).toBe(true);
  });
});

describe("decodeGlucoseBleHex", () => {
  it("decodes the kg/L fixture to JSON with mg/dL and record time", () => {
    const j = decodeGlucoseBleHex("1b 0500 ea07 03 01 07 2d 00 f1ff 63b0 11 0000") as Record<string, unknown>;
    expect(j).toMatchObject({
      mgdl: 99,
      inStripRange: true,
      recordTime: { hours: 7, minutes: 30 },
      faults: [],
    });
  });

  it("lists voiding sensor-status faults", () => {
    const j = decodeGlucoseBleHex("0a 0100 ea07 03 01 07 2d 00 63b0 11 0400") as {
      faults: Array<{ code: string }>;
    };
    expect(j.faults.map((f) => f.code)).toEqual(["sample-insufficient"]);
  });

  it("throws on truncated input", () => {
    expect(() => decodeGlucoseBleHex("1b 0500")).toThrow(/truncated/);
  });
});
