import { describe, expect, it } from "vitest";
import { ADVICE_KEYS } from "../../station/assessment/codes.js";
import { assess, loadDefaultPolicy } from "../../station/assessment/index.js";
import { Assessment } from "../../station/domain/schema.js";
import { ADULT, bp, glu, TODAY } from "./helpers.js";

const pack = loadDefaultPolicy();
const run = (over: Partial<Parameters<typeof assess>[0]>) =>
  assess({ bpReadings: [], glucose: null, person: ADULT, today: TODAY, ...over }, pack);

// Source: 国家基本公共卫生服务规范（第三版）, hypertension and type 2 diabetes specifications:
// urgent referral at SBP ≥180 and/or DBP ≥110, glucose ≥16.7 or ≤3.9 mmol/L, then follow-up within 2 weeks.
describe("urgent referral thresholds", () => {
  it.each([
    [179, 100, false, []],
    [180, 100, true, ["sbp-severe"]],
    [170, 109, false, []],
    [170, 110, true, ["dbp-severe"]],
    [185, 112, true, ["sbp-severe", "dbp-severe"]],
  ])("BP %i/%i → urgent %s", (s, d, urgent, reasons) => {
    const r = run({ bpReadings: [bp(s, d)] });
    expect(r.assessment.referral).toEqual({ urgent, reasons });
  });

  it.each([
    [16.6, "random", false, []],
    [16.7, "random", true, ["glucose-severe-high"]],
    [4.0, "fasting", false, []],
    [3.9, "fasting", true, ["glucose-low"]],
  ] as const)("glucose %f (%s) → urgent %s", (v, sample, urgent, reasons) => {
    const r = run({ glucose: glu(v, sample) });
    expect(r.assessment.referral).toEqual({ urgent, reasons: [...reasons] });
  });

  it("refers on a danger symptom alone, with follow-up 14 days later", () => {
    const r = run({ bpReadings: [bp(128, 78)], symptoms: ["severe-headache-dizziness"] });
    expect(r.assessment.referral).toEqual({ urgent: true, reasons: ["symptom:severe-headache-dizziness"] });
    expect(r.assessment.followUpDue).toBe("2024-05-15");
    expect(r.doctorAlert?.zh).toContain("剧烈头痛或头晕");
    expect(r.doctorAlert?.en).toContain("within 14 days");
    expect(r.villagerAction.zh).toContain("马上");
  });

  it("refers on a symptom code this build does not know, and reports it as a fault", () => {
    const r = run({ symptoms: ["new-sign-from-newer-ui"] });
    expect(r.assessment.referral.urgent).toBe(true);
    expect(r.faults.map((f) => f.code)).toEqual(["symptom-unknown"]);
  });

  it("puts the measured values in the doctor's alert", () => {
    const r = run({ bpReadings: [bp(186, 104)], glucose: glu(2.8, "random") });
    expect(r.doctorAlert?.zh).toContain("收缩压186 mmHg（≥180）");
    expect(r.doctorAlert?.en).toContain("glucose 2.8 mmol/L (≤3.9)");
    expect(r.assessment.adviceKeys[0]).toBe("referral.urgent");
  });
});

describe("faults", () => {
  it("never classifies an implausible reading", () => {
    const r = run({ bpReadings: [bp(80, 95)] });
    expect(r.assessment.bp).toBeNull();
    expect(r.faults.map((f) => f.code)).toEqual(["bp-implausible"]);
    expect(r.assessment.adviceKeys).toContain("bp.remeasure");
    expect(r.villagerAction.en).toContain("measure again");
    expect(r.assessment.referral.urgent).toBe(false);
  });

  it("a 310 mmHg device glitch does not trigger an urgent referral", () => {
    const r = run({ bpReadings: [bp(310, 120)] });
    expect(r.assessment.referral.urgent).toBe(false);
    expect(r.assessment.bp).toBeNull();
  });

  it("still refers on glucose when the sample type is unknown", () => {
    const r = run({ glucose: glu(18.2, "bedtime") });
    expect(r.assessment.glucose).toBeNull();
    expect(r.faults.map((f) => f.code)).toEqual(["glucose-sample-unknown"]);
    expect(r.assessment.referral.reasons).toEqual(["glucose-severe-high"]);
  });

  it("reports an impossible glucose value as a fault", () => {
    const r = run({ glucose: glu(0) });
    expect(r.assessment.glucose).toBeNull();
    expect(r.faults[0]?.code).toBe("glucose-implausible");
    expect(r.assessment.adviceKeys).toEqual(["glucose.remeasure"]);
  });
});

describe("result contract", () => {
  it("produces a valid Assessment with the pack's version", () => {
    const r = run({ bpReadings: [bp(150, 96), bp(146, 94)], glucose: glu(6.5) });
    expect(Assessment.safeParse(r.assessment).success).toBe(true);
    expect(r.assessment.policyVersion).toBe("DEMO/2024.1");
    expect(r.assessment.bp).toEqual({ class: "grade1", systolic: 148, diastolic: 95, readingsAveraged: 2 });
    expect(r.assessment.glucose).toEqual({ class: "impaired-fasting", mmolL: 6.5, sampleType: "fasting" });
  });

  it("gives advice text in both languages for every key", () => {
    const r = run({
      bpReadings: [bp(150, 96, { pulse: 110 })],
      glucose: glu(12, "random"),
      person: { ...ADULT, categories: ["hypertension"] },
    });
    expect(r.advice.map((a) => a.key)).toEqual(r.assessment.adviceKeys);
    for (const a of r.advice) {
      expect((ADVICE_KEYS as readonly string[]).includes(a.key)).toBe(true);
      expect(a.zh).not.toMatch(/[{}]/);
      expect(a.en).not.toMatch(/[{}]/);
    }
    expect(r.assessment.adviceKeys).toEqual(
      expect.arrayContaining(["pulse.fast", "topic.salt", "topic.medication", "topic.see-doctor"]),
    );
  });
});

describe("follow-up date and action", () => {
  it("a normal result for someone not under chronic care needs no follow-up", () => {
    const r = run({ bpReadings: [bp(118, 76)], glucose: glu(5.2) });
    expect(r.assessment.followUpDue).toBeNull();
    expect(r.villagerAction.en).toContain("good");
    expect(r.doctorAlert).toBeNull();
  });

  it("a raised result is rechecked after the pack's recheckDays", () => {
    const r = run({ bpReadings: [bp(145, 92)] });
    expect(r.assessment.followUpDue).toBe("2024-05-15");
    expect(r.villagerAction.zh).toContain("2024年5月15日");
  });

  it("uses the 130/80 target for diabetic patients (pack override)", () => {
    const diabetic = { ...ADULT, categories: ["diabetes"] };
    const r = run({ bpReadings: [bp(132, 78)], person: diabetic });
    expect(r.assessment.bp?.class).toBe("high-normal");
    expect(r.assessment.adviceKeys).toContain("bp.above-target");
    expect(r.advice.find((a) => a.key === "bp.above-target")?.zh).toContain("130/80");
    expect(r.assessment.followUpDue).toBe("2024-05-15");
    const other = run({ bpReadings: [bp(132, 78)], person: { ...ADULT, categories: ["hypertension"] } });
    expect(other.assessment.adviceKeys).not.toContain("bp.above-target");
  });

  it("a controlled chronic patient is seen again after the even interval (8 a year when registered-poor)", () => {
    const base = run({ bpReadings: [bp(128, 78)], person: { ...ADULT, categories: ["hypertension"] } });
    expect(base.assessment.followUpDue).toBe("2024-07-31"); // +91 days (365/4)
    const poor = run({
      bpReadings: [bp(128, 78)],
      person: { ...ADULT, categories: ["hypertension", "registered-poor"] },
    });
    expect(poor.assessment.followUpDue).toBe("2024-06-15"); // +45 days (365/8)
    expect(poor.villagerAction.en).toContain("15 Jun 2024");
  });

  it("rejects a malformed date instead of computing nonsense", () => {
    expect(() => run({ today: "2024-13-01" })).toThrow(/today/);
  });
});

describe("monitor status flags", () => {
  it("an irregular pulse flagged by the monitor keeps the reading and advises telling the doctor", () => {
    const r = run({ bpReadings: [bp(128, 82, { statusFlags: ["irregular-pulse"] })] });
    expect(r.assessment.bp).toMatchObject({ systolic: 128, diastolic: 82 });
    expect(r.assessment.adviceKeys).toContain("pulse.irregular");
    expect(r.advice.find((a) => a.key === "pulse.irregular")?.zh).toContain("医生");
  });
  it("no flag, no irregular-pulse advice", () => {
    expect(run({ bpReadings: [bp(128, 82)] }).assessment.adviceKeys).not.toContain("pulse.irregular");
  });
});
