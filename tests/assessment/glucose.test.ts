import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyGlucose, GLUCOSE_RANK, roundGlucose } from "../../station/assessment/glucose.js";

// Source: WHO 1999 criteria as adopted by 中国2型糖尿病防治指南 (fasting 6.1 / 7.0, random or
// 2 h 11.1 mmol/L); ≤3.9 from 国家基本公共卫生服务规范（第三版）2型糖尿病患者健康管理服务规范.
// Both sides of 3.9/4.0, 6.0/6.1, 6.9/7.0, 11.0/11.1.
const TABLE: Array<[number, string, string]> = [
  [3.9, "fasting", "hypoglycaemia"],
  [4.0, "fasting", "normal"],
  [6.0, "fasting", "normal"],
  [6.1, "fasting", "impaired-fasting"],
  [6.9, "fasting", "impaired-fasting"],
  [7.0, "fasting", "diabetes-range"],
  [11.0, "fasting", "diabetes-range"],
  [3.9, "random", "hypoglycaemia"],
  [4.0, "random", "normal"],
  [7.0, "random", "normal"],
  [11.0, "random", "normal"],
  [11.1, "random", "diabetes-range"],
  [3.9, "postprandial", "hypoglycaemia"],
  [11.0, "postprandial", "normal"],
  [11.1, "postprandial", "diabetes-range"],
];

describe("classifyGlucose", () => {
  it.each(TABLE)("%f mmol/L %s → %s", (v, sample, cls) => {
    expect(classifyGlucose(v, sample)).toBe(cls);
  });

  it("returns null for an unknown sample type rather than guessing", () => {
    expect(classifyGlucose(8, "bedtime")).toBeNull();
  });

  it("classifies at the meter's 0.1 mmol/L resolution (6.0999… from a mg/dL conversion is 6.1)", () => {
    expect(roundGlucose(110 / 18.016)).toBe(6.1);
    expect(roundGlucose(6.04)).toBe(6.0);
  });

  it.each(["fasting", "random", "postprandial"])("is monotonic for %s samples", (sample) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 200 }), (a, d) => {
        const lo = classifyGlucose(a / 10, sample)!;
        const hi = classifyGlucose((a + d) / 10, sample)!;
        expect(GLUCOSE_RANK[hi]).toBeGreaterThanOrEqual(GLUCOSE_RANK[lo]);
      }),
    );
  });
});
