/** Injectable clock, so the runtime can be driven by tests and a wrong clock can be simulated. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    fmtCache.set(tz, f);
  }
  return f;
}

/** YYYY-MM-DD in the station's time zone (a check-up at 07:00 Beijing time is that day, not yesterday UTC). */
export function localDate(ms: number, tz: string): string {
  const p = Object.fromEntries(
    fmt(tz)
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

export function localDateTime(ms: number, tz: string): string {
  const p = Object.fromEntries(
    fmt(tz)
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
