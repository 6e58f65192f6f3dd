/**
 * Resident ID number (公民身份号码), GB 11643-1999.
 * 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male), check character
 * computed with ISO 7064 MOD 11-2.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

export type IdNumberError =
  | "format" // not 17 digits + digit/X
  | "check-digit"
  | "birth-date" // not a real calendar date
  | "birth-after-today" // a real date, but after `today`: the card or the clock is wrong
  | "region"; // address code cannot be a real region (province part out of range)

/**
 * Why a number was refused, in words a village doctor can act on (Chinese first). One table for
 * the station (doctor's forms) and the county archive (reject reasons), so both say the same.
 */
export const ID_NUMBER_REASON: Record<IdNumberError, { zh: string; en: string }> = {
  format: { zh: "应为17位数字加校验位", en: "expected 17 digits and a check character" },
  "check-digit": { zh: "校验位错误", en: "wrong check character (GB 11643)" },
  "birth-date": { zh: "出生日期不存在", en: "the birth date is not a real calendar date" },
  "birth-after-today": { zh: "出生日期晚于今天", en: "the birth date is after today" },
  region: { zh: "地区码无效", en: "region code out of range" },
};

export interface IdNumberInfo {
  idNumber: string;
  regionCode: string;
  birthDate: string; // YYYY-MM-DD
  sex: "male" | "female";
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function normaliseIdNumber(raw: string): string {
  // Manual entry often uses lower-case x or full-width digits from a Chinese IME.
  return raw
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[xｘＸ]/g, "X");
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/**
 * Parses and validates; `today` (YYYY-MM-DD) rejects future birth dates, as its own error and
 * only once everything else has passed: a valid card read on a wrong clock must be told apart.
 */
export function parseIdNumber(
  raw: string,
  today?: string,
): { ok: true; value: IdNumberInfo } | { ok: false; error: IdNumberError } {
  const id = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, error: "format" };
  const province = Number(id.slice(0, 2));
  if (province < 11 || province > 91) return { ok: false, error: "region" };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1880 || !isRealDate(y, m, d)) return { ok: false, error: "birth-date" };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, error: "check-digit" };
  if (today && birthDate > today) return { ok: false, error: "birth-after-today" };
  const sex = Number(id[16]) % 2 === 1 ? "male" : "female";
  return { ok: true, value: { idNumber: id, regionCode: id.slice(0, 6), birthDate, sex } };
}

/** Age in whole years on `onDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = onDate.split("-").map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** Shows only what a person standing behind the villager may see: 5101**********123X. */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return "*".repeat(id.length);
  return `${id.slice(0, 4)}${"*".repeat(id.length - 8)}${id.slice(-4)}`;
}

/** 张三丰 → 张*丰, 张三 → 张*; a slip or screen never carries the full name of someone else. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * Today's date (YYYY-MM-DD) in `timeZone`: the date a birth date is judged against. The station and
 * the archive both judge by the clinic's local date, so a baby born today in Beijing is not
 * "born tomorrow" at 07:00 Beijing time, when it is still yesterday in UTC.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
export function dateIn(ms: number, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
