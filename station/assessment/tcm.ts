/**
 * TCM constitution identification (中医体质辨识) for people aged 65+, from the 33-item
 * 老年人中医药健康管理服务记录表, 国家基本公共卫生服务规范（第三版）2017, annex 体质判定标准表.
 * Each item is answered 1 (没有) to 5 (总是). Item numbers below are the form's (1-based).
 *
 * Item-to-type mapping and reverse scoring, confirmed against two independent public copies of
 * the 体质判定标准表 (a web transcription of the table, and the table as encoded in the
 * mohui/appraisal-server repository's record-form page):
 *   气虚质 2 3 4 14 · 阳虚质 11 12 13 29 · 阴虚质 10 21 26 31 · 痰湿质 9 16 28 32
 *   湿热质 23 25 27 30 · 血瘀质 19 22 24 33 · 气郁质 5 6 7 8 · 特禀质 15 17 18 20
 *   平和质 1 2 4 5 13, with 2 4 5 13 reverse-scored (1→5, 2→4, 3→3, 4→2, 5→1).
 * Rules: unbalanced type sum ≥11 "yes", 9–10 "leaning", ≤8 "no". Balanced: sum ≥17 with every
 * other type ≤8 "yes"; sum ≥17 with every other type ≤10 "basically"; otherwise "no".
 */
import { TCM_TYPES, type TcmType } from "./codes.js";

export const TCM_ITEM_COUNT = 33;

export const TCM_ITEMS: Record<TcmType, readonly number[]> = {
  balanced: [1, 2, 4, 5, 13],
  "qi-deficient": [2, 3, 4, 14],
  "yang-deficient": [11, 12, 13, 29],
  "yin-deficient": [10, 21, 26, 31],
  "phlegm-damp": [9, 16, 28, 32],
  "damp-heat": [23, 25, 27, 30],
  "blood-stasis": [19, 22, 24, 33],
  "qi-stagnation": [5, 6, 7, 8],
  special: [15, 17, 18, 20],
};

/** Items reverse-scored when (and only when) summing the balanced type. */
export const BALANCED_REVERSED: readonly number[] = [2, 4, 5, 13];

export type TcmVerdict = "yes" | "basically" | "leaning" | "no";

export interface TcmTypeResult {
  type: TcmType;
  score: number;
  verdict: TcmVerdict;
}

export type TcmResult =
  | {
      ok: true;
      types: TcmTypeResult[];
      /**
       * The type to act on: the highest-scoring "yes" unbalanced type (ties in form order); else
       * balanced when it is "yes"/"basically"; else the highest "leaning" type; else null (no
       * type qualifies and the doctor decides).
       */
      primary: TcmType | null;
      /** Other unbalanced types that are "yes" or "leaning", highest score first. */
      secondary: TcmType[];
      adviceKeys: string[];
    }
  | { ok: false; errors: string[] };

export function scoreTcm(answers: readonly number[]): TcmResult {
  const errors: string[] = [];
  if (answers.length !== TCM_ITEM_COUNT)
    errors.push(`expected ${TCM_ITEM_COUNT} answers, got ${answers.length}`);
  answers.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 1 || a > 5)
      errors.push(`item ${i + 1}: answer must be a whole number 1–5, got ${a}`);
  });
  if (errors.length) return { ok: false, errors };

  const item = (n: number) => answers[n - 1]!;
  const sum = (t: TcmType) =>
    TCM_ITEMS[t].reduce(
      (s, n) => s + (t === "balanced" && BALANCED_REVERSED.includes(n) ? 6 - item(n) : item(n)),
      0,
    );

  const unbalanced = TCM_TYPES.filter((t) => t !== "balanced");
  const scores = new Map(TCM_TYPES.map((t) => [t, sum(t)] as const));
  const maxOther = Math.max(...unbalanced.map((t) => scores.get(t)!));
  const types: TcmTypeResult[] = TCM_TYPES.map((type) => {
    const score = scores.get(type)!;
    let verdict: TcmVerdict;
    if (type === "balanced")
      verdict = score >= 17 && maxOther <= 8 ? "yes" : score >= 17 && maxOther <= 10 ? "basically" : "no";
    else verdict = score >= 11 ? "yes" : score >= 9 ? "leaning" : "no";
    return { type, score, verdict };
  });

  // Stable sort keeps form order among equal scores.
  const ranked = types.filter((r) => r.type !== "balanced").sort((a, b) => b.score - a.score);
  const balanced = types[0]!;
  const firstYes = ranked.find((r) => r.verdict === "yes");
  const firstLeaning = ranked.find((r) => r.verdict === "leaning");
  const primary: TcmType | null = firstYes
    ? firstYes.type
    : balanced.verdict !== "no"
      ? "balanced"
      : (firstLeaning?.type ?? null);
  const secondary = ranked.filter((r) => r.verdict !== "no" && r.type !== primary).map((r) => r.type);
  const adviceKeys = [...(primary ? [primary] : []), ...secondary].map((t) => `tcm.${t}`);
  return { ok: true, types, primary, secondary, adviceKeys };
}
