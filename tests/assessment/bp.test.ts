import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkBpReading, classifyBp, summariseBp } from "../../station/assessment/bp.js";
import { bp } from "./helpers.js";

// Source: 中国高血压防治指南2018年修订版, table 血压水平分类和定义 (mmHg). Each threshold is
// tested on both sides: SBP 119/120, 139/140, 159/160, 179/180; DBP 79/80, 89/90, 99/100, 109/110.
const TABLE: Array<[number, number, string, number]> = [
  [119, 79, "normal", 0],
  [120, 79, "high-normal", 0],
  [119, 80, "high-normal", 0],
  [139, 89, "high-normal", 0],
  [140, 89, "isolated-systolic", 1],
  [139, 90, "grade1", 1],
  [159, 99, "grade1", 1],
  [160, 99, "grade2", 2],
  [159, 100, "grade2", 2],
  [179, 109, "grade2", 2],
  [180, 109, "grade3", 3],
  [179, 110, "grade3", 3],
  // SBP and DBP in different grades: the higher applies.
  [125, 95, "grade1", 1],
  [165, 92, "grade2", 2],
  [145, 112, "grade3", 3],
  // Isolated systolic (SBP ≥140, DBP <90), graded by SBP alone.
  [159, 70, "isolated-systolic", 1],
  [160, 70, "isolated-systolic", 2],
  [179, 89, "isolated-systolic", 2],
  [180, 89, "isolated-systolic", 3],
  [180, 90, "grade3", 3],
];

describe("classifyBp (Chinese Hypertension Guidelines 2018)", () => {
  it.each(TABLE)("%i/%i → %s, grade %i", (s, d, cls, grade) => {
    const c = classifyBp(s, d);
    expect(c.class).toBe(cls);
    expect(c.grade).toBe(grade);
  });

  it("is monotonic: a higher reading never yields a lower class", () => {
    const plausiblePair = fc
      .tuple(fc.integer({ min: 70, max: 300 }), fc.integer({ min: 40, max: 180 }))
      .filter(([s, d]) => s > d);
    fc.assert(
      fc.property(plausiblePair, fc.nat(100), fc.nat(100), ([s, d], ds, dd) => {
        const s2 = Math.min(300, s + ds);
        const d2 = Math.min(180, d + dd, s2 - 1);
        fc.pre(d2 >= d);
        expect(classifyBp(s2, d2).rank).toBeGreaterThanOrEqual(classifyBp(s, d).rank);
      }),
    );
  });
});

// Plausibility (Simple.org): SBP 70–300, DBP 40–180, SBP > DBP.
describe("plausibility", () => {
  it.each([
    [69, 45, false],
    [70, 45, true],
    [300, 120, true],
    [301, 120, false],
    [120, 39, false],
    [120, 40, true],
    [200, 180, true],
    [200, 181, false],
    [100, 100, false],
    [90, 95, false],
  ])("%i/%i plausible: %s", (s, d, ok) => {
    const c = checkBpReading(bp(s, d));
    expect(c.ok).toBe(ok);
    if (!c.ok) expect(c.code).toBe("bp-implausible");
  });

  it("converts kPa (1 kPa = 7.50062 mmHg) before checking and classifying", () => {
    const r = summariseBp([bp(18.7, 12.0, { unit: "kPa" })]);
    expect(r.summary?.systolic).toBe(140); // 140.26
    expect(r.summary?.diastolic).toBe(90); // 90.01
    expect(r.summary?.classification.class).toBe("grade1");
  });

  it("rejects an unknown unit as a fault instead of guessing", () => {
    const r = summariseBp([bp(140, 90, { unit: "cmH2O" })]);
    expect(r.summary).toBeNull();
    expect(r.faults[0]?.code).toBe("bp-unit-unknown");
  });
});

describe("averaging repeat readings", () => {
  it("averages and rounds to whole mmHg", () => {
    const r = summariseBp([bp(138, 88), bp(141, 91)]);
    expect(r.summary).toMatchObject({ systolic: 140, diastolic: 90, readingsAveraged: 2 });
    expect(r.summary?.classification.class).toBe("grade1");
  });

  it("leaves implausible readings out of the mean and reports each as a fault", () => {
    const r = summariseBp([bp(150, 95), bp(320, 95), bp(148, 93)]);
    expect(r.summary).toMatchObject({ systolic: 149, diastolic: 94, readingsAveraged: 2 });
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0]?.message).toContain("reading 2");
  });

  it("averages the pulse of readings that carry one", () => {
    const r = summariseBp([bp(120, 70, { pulse: 98 }), bp(122, 72, { pulse: 104 }), bp(121, 71)]);
    expect(r.summary?.pulse).toBe(101);
  });
});
