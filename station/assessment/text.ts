/** Fills `{name}` placeholders in pack texts. Unknown placeholders stay visible so a reviewer spots them. */
import type { LocalText } from "./policy-schema.js";

export type { LocalText };

export type Lang = "zh" | "en";

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

export function fillText(t: LocalText, values: Record<string, string | number> = {}): LocalText {
  return { zh: fill(t.zh, values), en: fill(t.en, values) };
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date as people say it: 2024年6月15日 / 15 Jun 2024. */
export function sayDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return lang === "zh" ? `${y}年${m}月${d}日` : `${d} ${MONTHS[m - 1]} ${y}`;
}
