/**
 * Which recorded clips make up a spoken prompt. Pure and DOM-free: the player uses it in the
 * kiosk, and scripts/gen-voice.ts uses PART_TEXTS to know which part clips to render.
 *
 * A prompt's text (station/workflow/voice.ts) may hold placeholders such as `{sys}`; the
 * generator renders the literal pieces between them, and the player fills each placeholder
 * from a structured parameter (a number with its unit, a verdict word, a date) with part clips.
 */

import type { VoiceParam } from "../../../station/protocol.js";
import { MONTHS_EN } from "../format.js";

export type { VoiceParam };
export type VoiceLang = "zh" | "en";
type Unit = NonNullable<Extract<VoiceParam, { kind: "number" }>["unit"]>;
type Verdict = Extract<VoiceParam, { kind: "verdict" }>["value"];
export type VoiceParams = Readonly<Record<string, VoiceParam>>;

/** One piece of a prompt in the manifest: a clip id, or a placeholder to fill. */
export type Segment = string | { param: string };

export interface VoiceManifest {
  format: 1;
  engine: Record<VoiceLang, string>;
  prompts: Record<string, Record<VoiceLang, Segment[]>>;
  clips: Record<string, { file: string; text: string; ms: number; bytes: number; hash: string }>;
}

const ZH_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const EN_ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const EN_ORDINAL_ONES = [
  "",
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
  "eleventh",
  "twelfth",
  "thirteenth",
  "fourteenth",
  "fifteenth",
  "sixteenth",
  "seventeenth",
  "eighteenth",
  "nineteenth",
];
const EN_ORDINAL_TENS: Record<number, string> = { 2: "twentieth", 3: "thirtieth" };

function zhUnder100(n: number): string {
  if (n < 10) return ZH_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : ZH_DIGITS[tens]}十${ones ? ZH_DIGITS[ones] : ""}`;
}

function enUnder100(n: number): string {
  if (n < 20) return EN_ONES[n]!;
  const ones = n % 10;
  return `${EN_TENS[Math.floor(n / 10)]}${ones ? ` ${EN_ONES[ones]}` : ""}`;
}

function enOrdinal(n: number): string {
  if (n < 20) return EN_ORDINAL_ONES[n]!;
  const ones = n % 10;
  if (ones === 0) return EN_ORDINAL_TENS[n / 10]!;
  return `${EN_TENS[Math.floor(n / 10)]} ${EN_ORDINAL_ONES[ones]}`;
}

const UNITS: Record<Unit, Record<VoiceLang, string>> = {
  mmHg: { zh: "毫米汞柱", en: "millimetres of mercury" },
  mmolL: { zh: "毫摩尔每升", en: "millimoles per litre" },
  bpm: { zh: "次每分钟", en: "beats per minute" },
  days: { zh: "天", en: "days" },
  times: { zh: "次", en: "times" },
};
// The same words as the screen (ui/src/i18n.ts verdict_*) and the station's prompt text
// (station/workflow/voice.ts VERDICT_WORDS); tests/voice/verdict-words.test.ts keeps them equal.
export const VERDICTS: Record<Verdict, Record<VoiceLang, string>> = {
  normal: { zh: "正常", en: "normal" },
  raised: { zh: "偏高", en: "raised" },
  high: { zh: "很高", en: "very high" },
  danger: { zh: "危险", en: "danger" },
  low: { zh: "太低", en: "too low" },
  // Not measured (the result prompt names both measurements).
  none: { zh: "没有测", en: "not measured" },
};

/** Every part clip (id without the language) and what it says in each language. */
function buildPartTexts(): Record<string, Record<VoiceLang, string>> {
  const parts: Record<string, Record<VoiceLang, string>> = {};
  for (let n = 0; n < 100; n++) parts[`n-${n}`] = { zh: zhUnder100(n), en: enUnder100(n) };
  for (let h = 1; h <= 9; h++)
    parts[`n-${h}00`] = { zh: `${h === 2 ? "两" : ZH_DIGITS[h]}百`, en: `${EN_ONES[h]} hundred` };
  // 一百零五: Chinese says the empty tens place.
  parts["n-gap"] = { zh: "零", en: "" };
  parts["n-point"] = { zh: "点", en: "point" };
  parts["u-day"] = { zh: "天", en: "day" };
  for (const [unit, text] of Object.entries(UNITS)) parts[`u-${unit}`] = text;
  for (const [verdict, text] of Object.entries(VERDICTS)) parts[`v-${verdict}`] = text;
  for (let m = 1; m <= 12; m++) parts[`m-${m}`] = { zh: `${zhUnder100(m)}月`, en: MONTHS_EN[m - 1]! };
  for (let d = 1; d <= 31; d++) parts[`d-${d}`] = { zh: `${zhUnder100(d)}号`, en: enOrdinal(d) };
  return parts;
}

export const PART_TEXTS: Readonly<Record<string, Record<VoiceLang, string>>> = buildPartTexts();

/** Part ids for a whole number 0–999 (larger numbers are not spoken by the kiosk). */
export function numberParts(n: number, lang: VoiceLang): string[] | null {
  if (!Number.isInteger(n) || n < 0 || n > 999) return null;
  if (n < 100) return [`n-${n}`];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const out = [`n-${hundreds}00`];
  if (rest === 0) return out;
  if (lang === "zh" && rest < 10) out.push("n-gap");
  // 一百一十五, not 一百十五.
  if (lang === "zh" && rest >= 10 && rest < 20) out.push("n-1");
  out.push(`n-${rest}`);
  return out;
}

/** Part ids for one parameter, or null when it cannot be spoken from clips. */
export function paramParts(p: VoiceParam, lang: VoiceLang): string[] | null {
  switch (p.kind) {
    case "number": {
      const decimals = p.decimals ?? 0;
      const scaled = Math.round(Math.abs(p.value) * 10 ** decimals);
      const whole = Math.floor(scaled / 10 ** decimals);
      const parts = numberParts(whole, lang);
      if (!parts) return null;
      if (decimals === 1) parts.push("n-point", `n-${scaled % 10}`);
      if (p.unit) parts.push(p.unit === "days" && scaled === 1 && lang === "en" ? "u-day" : `u-${p.unit}`);
      return parts;
    }
    case "verdict":
      return VERDICTS[p.value] ? [`v-${p.value}`] : null;
    case "date":
      if (!Number.isInteger(p.month) || p.month < 1 || p.month > 12) return null;
      if (!Number.isInteger(p.day) || p.day < 1 || p.day > 31) return null;
      return [`m-${p.month}`, `d-${p.day}`];
  }
}

/**
 * The clip ids (language-prefixed, as in the manifest) to play for a prompt, in order; null when
 * any piece has no clip, so the caller falls back to speaking the text.
 */
export function composePrompt(
  manifest: VoiceManifest,
  key: string,
  params: VoiceParams | undefined,
  lang: VoiceLang,
): string[] | null {
  const segments = manifest.prompts[key]?.[lang];
  if (!segments) return null;
  const ids: string[] = [];
  for (const s of segments) {
    if (typeof s === "string") ids.push(s);
    else {
      const param = params?.[s.param];
      const parts = param ? paramParts(param, lang) : null;
      if (!parts) return null;
      for (const part of parts) if (PART_TEXTS[part]?.[lang]) ids.push(`${lang}/${part}`);
    }
  }
  return ids.every((id) => manifest.clips[id]) ? ids : null;
}

/** Splits a prompt text at its `{name}` placeholders: the pieces to record, and parameter names. */
export function splitTemplate(text: string): Array<{ text: string } | { param: string }> {
  const out: Array<{ text: string } | { param: string }> = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ param: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  // A piece with nothing to say (only punctuation or spaces) would be a silent clip: dropped.
  return out.filter((s) => !("text" in s) || /[\p{L}\p{N}]/u.test(s.text));
}
