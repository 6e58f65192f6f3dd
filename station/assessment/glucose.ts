/**
 * Capillary glucose classification by sample type (mmol/L):
 *   fasting:  normal <6.1; impaired fasting glucose 6.1–<7.0; diabetes range ≥7.0
 *   random or 2 h after a meal: diabetes range ≥11.1
 *   any sample: ≤3.9 hypoglycaemia (the urgent-referral limit of the national specification)
 * Sources: WHO 1999 criteria as adopted by 中国2型糖尿病防治指南 (2017/2020 editions);
 * 国家基本公共卫生服务规范（第三版）2型糖尿病患者健康管理服务规范 for ≤3.9.
 * A 2 h value of 7.8–11.0 (impaired glucose tolerance) needs a formal OGTT, which a kiosk
 * finger-prick is not; such values are reported as "normal" for the station's purposes.
 */
import type { GlucoseClass } from "../domain/schema.js";

/** Above 0 and at most 50 mmol/L; meters read "LO"/"HI" well inside this range. */
export const GLUCOSE_PLAUSIBLE = { min: 0, max: 50 } as const;

export const GLUCOSE_RANK: Record<GlucoseClass, number> = {
  hypoglycaemia: 0,
  normal: 1,
  "impaired-fasting": 2,
  "diabetes-range": 3,
};

/** Rounds to 0.1 mmol/L, the resolution meters display and thresholds are written in. */
export function roundGlucose(mmolL: number): number {
  return Math.round((mmolL + Number.EPSILON) * 10) / 10;
}

/** Classifies a rounded value; returns null for an unknown sample type. */
export function classifyGlucose(mmolL: number, sampleType: string): GlucoseClass | null {
  if (sampleType !== "fasting" && sampleType !== "random" && sampleType !== "postprandial") return null;
  if (mmolL <= 3.9) return "hypoglycaemia";
  if (sampleType === "fasting") {
    if (mmolL >= 7.0) return "diabetes-range";
    if (mmolL >= 6.1) return "impaired-fasting";
    return "normal";
  }
  return mmolL >= 11.1 ? "diabetes-range" : "normal";
}

export function glucosePlausible(mmolL: number): boolean {
  return mmolL > GLUCOSE_PLAUSIBLE.min && mmolL <= GLUCOSE_PLAUSIBLE.max;
}
