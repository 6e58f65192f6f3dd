/** Calendar arithmetic on local YYYY-MM-DD dates, done in UTC so no time zone can shift a day. */

export function toUtc(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

export function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * 86_400_000);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** The date in `year` with the month and day of `monthDay` (MM-DD). */
export function onYear(year: number, monthDay: string): string {
  return `${String(year).padStart(4, "0")}-${monthDay}`;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  return fromUtc(toUtc(s)) === s;
}
