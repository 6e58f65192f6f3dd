/**
 * Alarm conditions, level-based (pure): each check says which conditions hold now; an alarm is
 * raised when its condition starts holding and cleared when it stops, so it can neither outlive
 * its cause nor clear while it holds. Duration limits ("disconnected for 5 minutes") are measured
 * from when the underlying state began, as the station observed it.
 */
import type { Alarm } from "../mqtt/fleet-reports.js";

export interface AlarmLimits {
  deviceDownSeconds: number;
  backlogMaxAgeMinutes: number;
  diskLowMegabytes: number;
  helpWaitingSeconds: number;
}

export interface Observed {
  nowMs: number;
  /** Per device: connected or not, and since when (ms). */
  devices: Record<string, { connected: boolean; sinceMs: number }>;
  backlogOldestMs: number | null;
  diskFreeBytes: number | null;
  clockSuspect: boolean;
  /** Why, when the station's time guard says (floor, archive skew, far future). */
  clockReason?: string | null;
  savesFailing: boolean;
  rejectedRecords: number;
  /** When the oldest help request still waiting was made; null when none waits. */
  helpSinceMs: number | null;
}

type Condition = Omit<Alarm, "raisedAt">;

export function conditions(o: Observed, l: AlarmLimits): Condition[] {
  const out: Condition[] = [];
  for (const [name, d] of Object.entries(o.devices))
    if (!d.connected && o.nowMs - d.sinceMs >= l.deviceDownSeconds * 1000)
      out.push({
        id: `device-disconnected:${name}`,
        kind: "device-disconnected",
        severity: "major",
        detail: `${name} disconnected since ${new Date(d.sinceMs).toISOString()}`,
      });
  if (o.backlogOldestMs !== null && o.nowMs - o.backlogOldestMs >= l.backlogMaxAgeMinutes * 60_000)
    out.push({
      id: "backlog-old",
      kind: "backlog-old",
      severity: "major",
      detail: `oldest unsent record made ${new Date(o.backlogOldestMs).toISOString()}`,
    });
  if (o.diskFreeBytes !== null && o.diskFreeBytes < l.diskLowMegabytes * 1_000_000)
    out.push({
      id: "disk-low",
      kind: "disk-low",
      severity: "critical",
      detail: `${Math.floor(o.diskFreeBytes / 1_000_000)} MB free (limit ${l.diskLowMegabytes} MB)`,
    });
  if (o.clockSuspect)
    out.push({
      id: "clock-suspect",
      kind: "clock-suspect",
      severity: "major",
      detail: o.clockReason ? `clock suspect: ${o.clockReason}` : "clock before 2026-01-01",
    });
  if (o.savesFailing)
    out.push({
      id: "saves-failing",
      kind: "saves-failing",
      severity: "critical",
      detail: "a check-up cannot be saved",
    });
  if (o.rejectedRecords > 0)
    out.push({
      id: "records-rejected",
      kind: "records-rejected",
      severity: "warning",
      detail: `${o.rejectedRecords} record(s) rejected by the archive`,
    });
  if (o.helpSinceMs !== null && o.nowMs - o.helpSinceMs >= l.helpWaitingSeconds * 1000)
    out.push({
      id: "help-waiting",
      kind: "help-waiting",
      severity: "minor",
      detail: `help requested at ${new Date(o.helpSinceMs).toISOString()}`,
    });
  return out;
}

export interface AlarmChange {
  id: string;
  event: "raised" | "cleared";
  at: string;
}

export class AlarmSet {
  readonly #active = new Map<string, Alarm>();

  get active(): Alarm[] {
    return [...this.#active.values()];
  }

  /** Applies what holds now; returns what was raised or cleared by it. */
  update(holding: Condition[], nowMs: number): AlarmChange[] {
    const at = new Date(nowMs).toISOString();
    const changes: AlarmChange[] = [];
    const now = new Map(holding.map((c) => [c.id, c]));
    for (const id of [...this.#active.keys()])
      if (!now.has(id)) {
        this.#active.delete(id);
        changes.push({ id, event: "cleared", at });
      }
    for (const [id, c] of now) {
      const prev = this.#active.get(id);
      if (prev) this.#active.set(id, { ...c, raisedAt: prev.raisedAt });
      else {
        this.#active.set(id, { ...c, raisedAt: at });
        changes.push({ id, event: "raised", at });
      }
    }
    return changes;
  }
}
