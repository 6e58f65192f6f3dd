/**
 * Device clocks. Cuffs and meters keep local wall time with no zone, and many were never
 * set. A device time is used for `takenAt` only when it lies close to the station clock;
 * otherwise the station's receive time is used (the reading was just taken at the kiosk).
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** China Standard Time; the zone has no daylight saving. */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

/** Year 0 / month 0 / day 0 mean "not known" in the GATT Date Time format. */
export function isCompleteWallTime(t: WallTime): boolean {
  return (
    t.year >= 1582 &&
    t.year <= 9999 &&
    t.month >= 1 &&
    t.month <= 12 &&
    t.day >= 1 &&
    t.day <= 31 &&
    t.hours <= 23 &&
    t.minutes <= 59 &&
    t.seconds <= 59
  );
}

/** Epoch milliseconds for a wall time in a zone `offsetMinutes` east of UTC. */
export function wallTimeToEpoch(t: WallTime, offsetMinutes: number): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hours, t.minutes, t.seconds) - offsetMinutes * 60_000;
}

/** ISO 8601 with the zone's offset, e.g. 2026-03-01T08:30:00+08:00. */
/** The inverse of wallTimeToEpoch: the wall time at `offsetMinutes` east of UTC. */
export function epochToWallTime(epochMs: number, offsetMinutes: number): WallTime {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
  };
}

export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${local.toISOString().slice(0, 19)}${zone}`;
}

export interface TakenAtOptions {
  now: Date;
  offsetMinutes: number;
  /** How far the device clock may be from the station's before it is distrusted. */
  maxSkewMinutes: number;
}

export function chooseTakenAt(
  device: WallTime | null,
  o: TakenAtOptions,
): { takenAt: string; deviceClockUsed: boolean } {
  if (device && isCompleteWallTime(device)) {
    const at = wallTimeToEpoch(device, o.offsetMinutes);
    if (Math.abs(at - o.now.getTime()) <= o.maxSkewMinutes * 60_000)
      return { takenAt: isoWithOffset(at, o.offsetMinutes), deviceClockUsed: true };
  }
  return { takenAt: isoWithOffset(o.now.getTime(), o.offsetMinutes), deviceClockUsed: false };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
