/**
 * The villager's verdict per measurement: 正常 / 偏高 / 很高 / 危险. Derived from the assessment
 * module's classification (station/assessment) and the referral it made; the mapping and its
 * reasons are in docs/assessment.md ("What the villager is told"). A verdict never names a
 * diagnosis: one measurement cannot diagnose hypertension or diabetes.
 */
import { classifyBp } from "../assessment/bp.js";

export type Verdict = "normal" | "raised" | "high" | "danger";

const ORDER: readonly Verdict[] = ["normal", "raised", "high", "danger"];

/** The worse of two verdicts; null ones are ignored. */
export function worst(...vs: Array<Verdict | null>): Verdict {
  let i = 0;
  for (const v of vs) if (v) i = Math.max(i, ORDER.indexOf(v));
  return ORDER[i]!;
}

/**
 * BP in mmHg. Rank is the 2018 guideline's level (0 normal, 1 high-normal, 2–4 grade 1–3, ISH by
 * systolic alone). Any value that triggered a referral is danger, whatever the county's limit.
 */
export function bpVerdict(systolic: number, diastolic: number, referralReasons: readonly string[]): Verdict {
  if (referralReasons.includes("sbp-severe") || referralReasons.includes("dbp-severe")) return "danger";
  const { rank } = classifyBp(systolic, diastolic);
  if (rank >= 4) return "danger";
  if (rank === 3) return "high";
  if (rank >= 1) return "raised";
  return "normal";
}

/** Glucose: low or referred is danger; diabetes range very high; impaired fasting raised. */
export function glucoseVerdict(cls: string, referralReasons: readonly string[]): Verdict {
  if (
    cls === "hypoglycaemia" ||
    referralReasons.includes("glucose-severe-high") ||
    referralReasons.includes("glucose-low")
  )
    return "danger";
  if (cls === "diabetes-range") return "high";
  if (cls === "normal") return "normal";
  // impaired-fasting, and a class this build does not know: ask for a recheck, never say normal.
  return "raised";
}

/** True when the glucose danger is a low value (the advice is to eat sugar, not to rest). */
export function glucoseIsLow(cls: string, referralReasons: readonly string[]): boolean {
  return cls === "hypoglycaemia" || referralReasons.includes("glucose-low");
}
