// Boundaries from 国家基本公共卫生服务规范 第三版 (2017): 控制满意 = BP < 140/90, fasting glucose < 7.0 mmol/L.
import { describe, expect, it } from "vitest";
import { computeVisitClass, VisitClass } from "../../station/assessment/visit-class.js";

const both = { hypertension: true, diabetes: true };
const htn = { hypertension: true, diabetes: false };
const dm = { hypertension: false, diabetes: true };
const bp = (systolic: number, diastolic: number) => ({ bp: { systolic, diastolic }, glucose: null });
const fasting = (mmolL: number) => ({ bp: null, glucose: { mmolL, sampleType: "fasting" } });

describe("computeVisitClass", () => {
  it("BP 139/89 is controlled, 140/89 and 139/90 are not (spec: <140/90)", () => {
    expect(computeVisitClass(bp(139, 89), htn)).toBe("controlled");
    expect(computeVisitClass(bp(140, 89), htn)).toBe("uncontrolled");
    expect(computeVisitClass(bp(139, 90), htn)).toBe("uncontrolled");
  });
  it("fasting glucose 6.9 is controlled, 7.0 is not (spec: <7.0 mmol/L)", () => {
    expect(computeVisitClass(fasting(6.9), dm)).toBe("controlled");
    expect(computeVisitClass(fasting(7.0), dm)).toBe("uncontrolled");
  });
  it("a random glucose cannot classify a diabetes visit", () => {
    expect(computeVisitClass({ bp: null, glucose: { mmolL: 5, sampleType: "random" } }, dm)).toBeNull();
  });
  it("either condition out of control makes the visit uncontrolled", () => {
    expect(
      computeVisitClass(
        { bp: { systolic: 120, diastolic: 70 }, glucose: { mmolL: 8, sampleType: "fasting" } },
        both,
      ),
    ).toBe("uncontrolled");
  });
  it("readings for a condition the person is not followed for do not count", () => {
    expect(computeVisitClass(bp(170, 100), dm)).toBeNull();
  });
  it("the open enum keeps a class this build does not know (ADR 0003)", () => {
    expect(VisitClass.parse("complication")).toBe("complication");
    expect(VisitClass.parse("future-class")).toBe("future-class");
    expect(() => VisitClass.parse("")).toThrow();
  });
});
