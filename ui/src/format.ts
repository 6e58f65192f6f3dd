/**
 * Pure formatters. Dates are formatted by hand so the kiosk shows the same words whatever
 * locale data the browser ships with.
 */
import type { Lang } from "./i18n.js";

const WEEKDAYS_ZH = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
const WEEKDAYS_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Today's date for the attract screen, from the kiosk's local clock. */
export function formatToday(date: Date, lang: Lang): string {
  const y = date.getFullYear();
  const m = date.getMonth();
  const d = date.getDate();
  const w = date.getDay();
  return lang === "zh"
    ? `${y}年${m + 1}月${d}日 ${WEEKDAYS_ZH[w]}`
    : `${WEEKDAYS_EN[w]}, ${d} ${MONTHS_EN[m]} ${y}`;
}

/** A calendar date "YYYY-MM-DD" (no time zone involved); anything else is shown as given. */
export function formatIsoDate(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const month = Number(mo);
  return lang === "zh" ? `${y}年${month}月${Number(d)}日` : `${Number(d)} ${MONTHS_EN[month - 1] ?? mo} ${y}`;
}

/** Whole seconds left until `untilIso`, never negative; 0 when the time is unreadable. */
export function secondsLeft(untilIso: string | null, nowMs: number): number {
  if (!untilIso) return 0;
  const until = Date.parse(untilIso);
  if (Number.isNaN(until)) return 0;
  return Math.max(0, Math.ceil((until - nowMs) / 1000));
}

/** "128/82" — numbers rounded, as the monitor shows them. */
export function formatBp(systolic: number, diastolic: number): string {
  return `${Math.round(systolic)}/${Math.round(diastolic)}`;
}

/** Glucose with one decimal, the way meters in China display mmol/L. */
export function formatGlucose(mmolL: number): string {
  return mmolL.toFixed(1);
}

/** Groups an ID number 6-8-4 (region, birth date, sequence+check) so a doctor can compare it. */
export function groupIdNumber(id: string): string {
  return [id.slice(0, 6), id.slice(6, 14), id.slice(14)].filter((p) => p.length > 0).join(" ");
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/**
 * Quick local check of a typed ID number (GB 11643 MOD 11-2) so a typo is caught on the keypad.
 * The station validates again; this only saves a round trip.
 */
export function idNumberProblem(id: string): "length" | "check" | null {
  if (!/^\d{17}[\dX]$/.test(id)) return "length";
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17] ? null : "check";
}
