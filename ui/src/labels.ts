/**
 * Codes from the station (classes, roster categories, sample types) in plain words. Codes are
 * open enums: a code this UI does not know yet is shown raw rather than hidden or guessed.
 */
import type { Lang } from "./i18n.js";

type Labels = Record<string, { zh: string; en: string }>;

const BP_CLASSES: Labels = {
  normal: { zh: "正常", en: "Normal" },
  "high-normal": { zh: "正常高值", en: "High-normal" },
  grade1: { zh: "1级高血压", en: "Grade 1 hypertension" },
  grade2: { zh: "2级高血压", en: "Grade 2 hypertension" },
  grade3: { zh: "3级高血压", en: "Grade 3 hypertension" },
  "isolated-systolic": { zh: "单纯收缩期高血压", en: "Isolated systolic hypertension" },
};

const GLUCOSE_CLASSES: Labels = {
  hypoglycaemia: { zh: "低血糖", en: "Low blood sugar" },
  normal: { zh: "正常", en: "Normal" },
  "impaired-fasting": { zh: "空腹血糖受损", en: "Impaired fasting glucose" },
  "diabetes-range": { zh: "血糖偏高（糖尿病范围）", en: "High (diabetes range)" },
};

const CATEGORIES: Labels = {
  "registered-poor": { zh: "建档立卡贫困户", en: "Registered poor household" },
  subsistence: { zh: "低保", en: "Subsistence allowance" },
  destitute: { zh: "特困", en: "Destitute support" },
  "poor-disabled": { zh: "贫困残疾人", en: "Poor, with disability" },
  age65: { zh: "65岁以上老人", en: "Aged 65 or over" },
  hypertension: { zh: "高血压", en: "Hypertension" },
  diabetes: { zh: "糖尿病", en: "Diabetes" },
};

const SAMPLE_TYPES: Labels = {
  fasting: { zh: "空腹", en: "Fasting" },
  postprandial: { zh: "饭后2小时", en: "2 h after a meal" },
  random: { zh: "随机", en: "Random" },
};

function label(table: Labels, code: string, lang: Lang): string {
  return Object.hasOwn(table, code) ? table[code]![lang] : code;
}

export const bpClassLabel = (code: string, lang: Lang): string => label(BP_CLASSES, code, lang);
export const glucoseClassLabel = (code: string, lang: Lang): string => label(GLUCOSE_CLASSES, code, lang);
export const categoryLabel = (code: string, lang: Lang): string => label(CATEGORIES, code, lang);
export const sampleTypeLabel = (code: string, lang: Lang): string => label(SAMPLE_TYPES, code, lang);

/** Colour of a result: green normal, amber elevated, red urgent; unknown codes stay neutral. */
export type Tone = "normal" | "elevated" | "urgent" | "unknown";

const BP_TONES: Record<string, Tone> = {
  normal: "normal",
  "high-normal": "elevated",
  grade1: "elevated",
  grade2: "elevated",
  "isolated-systolic": "elevated",
  grade3: "urgent",
};

const GLUCOSE_TONES: Record<string, Tone> = {
  normal: "normal",
  "impaired-fasting": "elevated",
  "diabetes-range": "elevated",
  hypoglycaemia: "urgent",
};

export function bpTone(code: string): Tone {
  return Object.hasOwn(BP_TONES, code) ? BP_TONES[code]! : "unknown";
}

export function glucoseTone(code: string): Tone {
  return Object.hasOwn(GLUCOSE_TONES, code) ? GLUCOSE_TONES[code]! : "unknown";
}

/** The test tables, exported so tests can check both languages are filled in. */
export const labelTables = { BP_CLASSES, GLUCOSE_CLASSES, CATEGORIES, SAMPLE_TYPES };
