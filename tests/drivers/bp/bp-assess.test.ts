import { describe, expect, it } from "vitest";
import { SFLOAT_NAN, SFLOAT_NRES } from "../../../drivers/ble/sfloat.js";
import {
  BP_GUIDANCE,
  bpStatusFlags,
  bpStatusGuidance,
  checkPlausible,
  toBpReading,
} from "../../../drivers/bp/bp-assess.js";
import {
  type BpMeasurementInput,
  decodeBpMeasurement,
  encodeBpMeasurement,
} from "../../../drivers/bp/bpm-codec.js";
import { decodeBpBleHex } from "../../../drivers/bp/decode.js";
import { BP_STATUS_FLAGS, BpReading } from "../../../station/domain/schema.js";
import { StationError } from "../../../station/util/errors.js";

const measure = (m: Partial<BpMeasurementInput>) => {
  const r = decodeBpMeasurement(
    encodeBpMeasurement({ unit: "mmHg", systolic: 120, diastolic: 80, mean: 93, ...m }),
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const ctx = {
  now: new Date("2026-03-01T00:30:00Z"), // 08:30 in China
  offsetMinutes: 480,
  maxSkewMinutes: 10,
  device: { kind: "bp", model: "test cuff", transport: "sim" as const },
};

describe("plausibility (mmHg, inclusive limits, SBP > DBP)", () => {
  it.each([
    [70, 40, true],
    [69, 40, false],
    [300, 80, true],
    [301, 80, false],
    [120, 39, false],
    [181, 180, true],
    [200, 181, false],
    [80, 80, false], // equal is not SBP > DBP
    [79, 80, false],
  ])("%s/%s mmHg plausible=%s", (s, d, expected) => {
    const p = checkPlausible(measure({ systolic: s, diastolic: d }));
    expect(p.ok).toBe(expected);
    if (!p.ok) expect(p.fault).toMatchObject({ code: "bp-implausible", retryable: true });
  });

  it("kPa is converted before the check (1 kPa = 7.50062 mmHg)", () => {
    // 9.3 kPa = 69.76 mmHg → 70 (plausible); 9.2 kPa = 69.0 mmHg (not).
    expect(checkPlausible(measure({ unit: "kPa", systolic: 9.3, diastolic: 6.0, mean: 7.0 })).ok).toBe(true);
    expect(checkPlausible(measure({ unit: "kPa", systolic: 9.2, diastolic: 6.0, mean: 7.0 })).ok).toBe(false);
    const p = checkPlausible(measure({ unit: "kPa", systolic: { raw: 0xf0a0 }, diastolic: { raw: 0xf06c } }));
    expect(p).toMatchObject({ ok: true, systolic: 120, diastolic: 81 });
  });

  it.each([
    ["NaN systolic", { systolic: { raw: SFLOAT_NAN } }],
    ["NRes diastolic", { diastolic: { raw: SFLOAT_NRES } }],
  ])("%s is a fault, never a reading", (_, m) => {
    const out = toBpReading(measure(m), ctx);
    expect(out).toMatchObject({ ok: false, fault: { code: "bp-no-result" } });
  });
});

describe("status flags and guidance", () => {
  it("maps every status bit to a BP_STATUS_FLAGS name", () => {
    const all = measure({ status: 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0020 }).status;
    expect(bpStatusFlags(all)).toEqual([
      "body-movement",
      "cuff-loose",
      "irregular-pulse",
      "pulse-high",
      "improper-position",
    ]);
    expect(bpStatusFlags(measure({ status: 0x0010 }).status)).toEqual(["pulse-low"]);
    for (const f of BP_STATUS_FLAGS) expect(BP_GUIDANCE[f], f).toBeDefined();
  });

  it("gives Chinese-first guidance per flag", () => {
    const g = bpStatusGuidance(["cuff-loose", "body-movement", "irregular-pulse", "improper-position"]);
    expect(g.map((x) => x.en)).toEqual([
      expect.stringMatching(/refit the cuff/i),
      expect.stringMatching(/sit still/i),
      expect.stringMatching(/tell the doctor/i),
      expect.stringMatching(/heart level/i),
    ]);
    expect(g[0]!.zh).toMatch(/袖带/);
  });
});

describe("toBpReading", () => {
  it("builds a schema-valid reading; a sane cuff clock is used for takenAt", () => {
    const out = toBpReading(
      measure({
        timestamp: { year: 2026, month: 3, day: 1, hours: 8, minutes: 28, seconds: 0 },
        pulse: 70,
        status: 2,
      }),
      ctx,
    );
    if (!out.ok) throw new Error(out.fault.message);
    expect(BpReading.parse(out.reading)).toMatchObject({
      systolic: 120,
      diastolic: 80,
      pulse: 70,
      unit: "mmHg",
      statusFlags: ["cuff-loose"],
      takenAt: "2026-03-01T08:28:00+08:00",
    });
    expect(out.guidance).toHaveLength(1);
  });

  it("a cuff clock far from the station's is ignored", () => {
    const out = toBpReading(
      measure({ timestamp: { year: 2020, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 } }),
      ctx,
    );
    expect(out.ok && out.reading.takenAt).toBe("2026-03-01T08:30:00+08:00");
  });
});

describe("decodeBpBleHex", () => {
  it("decodes the fixture to JSON", () => {
    const j = decodeBpBleHex("1f a0f0 6cf0 78f0 ea07 03 01 08 1e 00 4800 01 0600") as Record<string, unknown>;
    expect(j.mmHg).toEqual({ systolic: 120, diastolic: 81, mean: 90, pulse: 72 });
    expect(j.statusFlags).toEqual(["cuff-loose", "irregular-pulse"]);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it("reports an implausible value as a fault", () => {
    const j = decodeBpBleHex("00 5000 7800 5d00") as { fault: { code: string } }; // 80/120: inverted
    expect(j.fault.code).toBe("bp-implausible");
  });

  it("throws a StationError for malformed input", () => {
    expect(() => decodeBpBleHex("02 7800")).toThrow(StationError);
    expect(() => decodeBpBleHex("xyz")).toThrow(/not hexadecimal/);
  });
});
