/**
 * Health reporting policy (pure): a metric that moved beyond its deadband since the last report
 * sends one now; otherwise one goes out every period. Uptime always moves, so it only rides along.
 */
import type { HealthMetrics } from "../mqtt/fleet-reports.js";

/** Absolute deadbands, in each metric's own unit. 0 = any change. */
export const DEADBANDS: Partial<Record<keyof HealthMetrics, number>> = {
  backlogCount: 10,
  backlogOldestAgeSeconds: 600,
  diskFreeBytes: 50_000_000,
  devicesDisconnected: 0,
  rejectedRecords: 0,
  rssBytes: 32_000_000,
};

export function changedBeyondDeadband(last: HealthMetrics, now: HealthMetrics): (keyof HealthMetrics)[] {
  const out: (keyof HealthMetrics)[] = [];
  for (const [k, band] of Object.entries(DEADBANDS) as [keyof HealthMetrics, number][]) {
    const a = last[k];
    const b = now[k];
    if (a === b) continue;
    // Appearing or disappearing (null ↔ number) is always a change.
    if (a === null || b === null || Math.abs(a - b) > band) out.push(k);
  }
  return out;
}

export class HealthReporter {
  #last: HealthMetrics | null = null;
  #lastAtMs = 0;

  constructor(private readonly periodMs: number) {}

  /** After a birth every report starts afresh. */
  reset(): void {
    this.#last = null;
  }

  /** The cause to report now, or null to stay quiet. Call `sent` when it went out. */
  due(now: HealthMetrics, nowMs: number): "birth" | "change" | "period" | null {
    if (this.#last === null) return "birth";
    if (changedBeyondDeadband(this.#last, now).length > 0) return "change";
    if (nowMs - this.#lastAtMs >= this.periodMs) return "period";
    return null;
  }

  sent(m: HealthMetrics, atMs: number): void {
    this.#last = m;
    this.#lastAtMs = atMs;
  }
}
