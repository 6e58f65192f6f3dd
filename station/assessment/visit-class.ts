/**
 * The class of one chronic follow-up visit (此次随访分类), as the national follow-up form records it
 * (国家基本公共卫生服务规范 第三版 2017, 高血压/2型糖尿病患者随访服务记录表; care-notes.md):
 *  - controlled (控制满意): BP < 140/90 and, for diabetes, fasting glucose < 7.0 mmol/L;
 *  - uncontrolled (控制不满意): above either target;
 *  - adverse-reaction (不良反应) and complication (并发症): only the doctor can say so, on the form.
 * Open enum (docs/adr/0003): a newer form may send a class this build does not know; it is kept,
 * and the rules treat an unknown class as "not known to be controlled" rather than guessing.
 */
import { openEnum } from "../domain/open-enum.js";

export const VISIT_CLASSES = ["controlled", "uncontrolled", "adverse-reaction", "complication"] as const;
export type KnownVisitClass = (typeof VISIT_CLASSES)[number];
export const VisitClass = openEnum(VISIT_CLASSES);
export type VisitClass = KnownVisitClass | (string & {});

/** 控制满意 limits of the specification: BP below 140/90, fasting glucose below 7.0 mmol/L. */
export const CONTROLLED_SBP_BELOW = 140;
export const CONTROLLED_DBP_BELOW = 90;
export const CONTROLLED_FASTING_GLUCOSE_BELOW = 7.0;

export interface VisitReadings {
  /** The visit's (averaged) BP, if measured. */
  bp: { systolic: number; diastolic: number } | null;
  /** The visit's glucose, if measured; only a fasting sample can say "controlled" for diabetes. */
  glucose: { mmolL: number; sampleType: string } | null;
}

/**
 * The class computed from the readings, for the conditions the person is followed for.
 * Returns null when the visit measured nothing that bears on those conditions (no class can be
 * given, and the form's own class, if any, must be used instead).
 */
export function computeVisitClass(
  readings: VisitReadings,
  conditions: { hypertension: boolean; diabetes: boolean },
): "controlled" | "uncontrolled" | null {
  let seen = false;
  let uncontrolled = false;
  if (conditions.hypertension && readings.bp) {
    seen = true;
    if (readings.bp.systolic >= CONTROLLED_SBP_BELOW || readings.bp.diastolic >= CONTROLLED_DBP_BELOW)
      uncontrolled = true;
  }
  if (conditions.diabetes && readings.glucose) {
    const g = readings.glucose;
    if (g.sampleType === "fasting") {
      seen = true;
      if (g.mmolL >= CONTROLLED_FASTING_GLUCOSE_BELOW) uncontrolled = true;
    }
  }
  if (!seen) return null;
  return uncontrolled ? "uncontrolled" : "controlled";
}

/** Zh and en labels, as the form prints them. Unknown classes are shown raw (ADR 0003). */
export const VISIT_CLASS_TEXT: Record<KnownVisitClass, { zh: string; en: string }> = {
  controlled: { zh: "控制满意", en: "Controlled" },
  uncontrolled: { zh: "控制不满意", en: "Uncontrolled" },
  "adverse-reaction": { zh: "不良反应", en: "Adverse reaction" },
  complication: { zh: "并发症", en: "Complication" },
};

export function isKnownVisitClass(v: string): v is KnownVisitClass {
  return (VISIT_CLASSES as readonly string[]).includes(v);
}
