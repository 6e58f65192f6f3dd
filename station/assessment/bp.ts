/**
 * Blood-pressure classification, Chinese Guidelines for the Prevention and Treatment of
 * Hypertension, 2018 revision (中国高血压防治指南2018年修订版), table "血压水平分类和定义":
 *   normal        SBP <120 and DBP <80
 *   high-normal   SBP 120–139 and/or DBP 80–89
 *   grade 1       SBP 140–159 and/or DBP 90–99
 *   grade 2       SBP 160–179 and/or DBP 100–109
 *   grade 3       SBP ≥180 and/or DBP ≥110
 *   isolated systolic hypertension (ISH): SBP ≥140 and DBP <90, graded 1–3 by SBP alone.
 * When SBP and DBP fall in different classes the higher one applies.
 */
import type { BpClass, BpReading } from "../domain/schema.js";

/** 1 kPa = 7.50062 mmHg. */
export const MMHG_PER_KPA = 7.50062;

/** Plausibility (as used by Simple.org): outside these a reading is a device fault, not a result. */
export const BP_PLAUSIBLE = { sbpMin: 70, sbpMax: 300, dbpMin: 40, dbpMax: 180 } as const;

export type BpGrade = 0 | 1 | 2 | 3;

/** Rank used for ordering: normal 0, high-normal 1, grade n (and ISH of grade n) n + 1. */
export interface BpClassification {
  class: BpClass;
  /** 0 below hypertension; 1–3 the hypertension grade (for ISH, the grade of SBP alone). */
  grade: BpGrade;
  rank: number;
}

function sbpLevel(sbp: number): number {
  if (sbp >= 180) return 4;
  if (sbp >= 160) return 3;
  if (sbp >= 140) return 2;
  if (sbp >= 120) return 1;
  return 0;
}

function dbpLevel(dbp: number): number {
  if (dbp >= 110) return 4;
  if (dbp >= 100) return 3;
  if (dbp >= 90) return 2;
  if (dbp >= 80) return 1;
  return 0;
}

const BY_LEVEL: readonly BpClass[] = ["normal", "high-normal", "grade1", "grade2", "grade3"];

/** Classifies a plausible mmHg pair; check plausibility first. */
export function classifyBp(sbp: number, dbp: number): BpClassification {
  const s = sbpLevel(sbp);
  const level = Math.max(s, dbpLevel(dbp));
  const grade = Math.max(0, level - 1) as BpGrade;
  if (sbp >= 140 && dbp < 90) return { class: "isolated-systolic", grade: (s - 1) as BpGrade, rank: s };
  return { class: BY_LEVEL[level]!, grade, rank: level };
}

export function toMmHg(value: number, unit: string): number | null {
  if (unit === "mmHg") return value;
  if (unit === "kPa") return value * MMHG_PER_KPA;
  return null;
}

export type BpCheck =
  | { ok: true; sbp: number; dbp: number; pulse: number | null }
  | { ok: false; code: string; message: string };

/** Converts to mmHg and applies the plausibility rules. */
export function checkBpReading(r: BpReading): BpCheck {
  const sbp = toMmHg(r.systolic, r.unit);
  const dbp = toMmHg(r.diastolic, r.unit);
  if (sbp === null || dbp === null)
    return { ok: false, code: "bp-unit-unknown", message: `unknown blood-pressure unit "${r.unit}"` };
  const p = BP_PLAUSIBLE;
  const problems: string[] = [];
  if (sbp < p.sbpMin || sbp > p.sbpMax) problems.push(`systolic ${fmt(sbp)} outside ${p.sbpMin}–${p.sbpMax}`);
  if (dbp < p.dbpMin || dbp > p.dbpMax)
    problems.push(`diastolic ${fmt(dbp)} outside ${p.dbpMin}–${p.dbpMax}`);
  if (!(sbp > dbp)) problems.push(`systolic ${fmt(sbp)} not above diastolic ${fmt(dbp)}`);
  if (problems.length)
    return { ok: false, code: "bp-implausible", message: `implausible reading: ${problems.join("; ")} mmHg` };
  const pulse = typeof r.pulse === "number" && r.pulse >= 20 && r.pulse <= 250 ? r.pulse : null;
  return { ok: true, sbp, dbp, pulse };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export interface BpSummary {
  systolic: number;
  diastolic: number;
  pulse: number | null;
  readingsAveraged: number;
  classification: BpClassification;
}

/**
 * Averages the plausible readings (repeat readings are averaged, per the 2018 guideline) and
 * classifies the mean rounded to whole mmHg, the resolution devices display. Implausible
 * readings are left out and reported as faults; with none left the result is null.
 */
export function summariseBp(readings: readonly BpReading[]): {
  summary: BpSummary | null;
  faults: Array<{ code: string; message: string }>;
} {
  const faults: Array<{ code: string; message: string }> = [];
  const good: Array<{ sbp: number; dbp: number; pulse: number | null }> = [];
  readings.forEach((r, i) => {
    const c = checkBpReading(r);
    if (c.ok) good.push(c);
    else faults.push({ code: c.code, message: `reading ${i + 1}: ${c.message}` });
  });
  if (good.length === 0) return { summary: null, faults };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const systolic = Math.round(mean(good.map((g) => g.sbp)));
  const diastolic = Math.round(mean(good.map((g) => g.dbp)));
  const pulses = good.map((g) => g.pulse).filter((p): p is number => p !== null);
  // Averaging can in principle give SBP <= DBP only if every reading did, which plausibility rules out.
  return {
    summary: {
      systolic,
      diastolic,
      pulse: pulses.length ? Math.round(mean(pulses)) : null,
      readingsAveraged: good.length,
      classification: classifyBp(systolic, diastolic),
    },
    faults,
  };
}
