/**
 * What a station reports about itself besides presence (docs/fleet.md):
 *   …/{station}/health   HealthMessage: metrics, on change beyond a deadband and periodically
 *   …/{station}/alarms   AlarmsMessage: the full active set plus what changed, retained
 * Both carry the connection's bdSeq and a seq that restarts at 0 with each birth, so the county
 * can see a gap and ask for a rebirth (Sparkplug's rule).
 */
import { z } from "zod";
import { FLEET_VERSION } from "./fleet-contract.js";

const Iso = z.string().datetime({ offset: true });

export const HealthMetrics = z.object({
  backlogCount: z.number().int().nonnegative(),
  /** Age of the oldest unsent record; null with an empty outbox. */
  backlogOldestAgeSeconds: z.number().int().nonnegative().nullable(),
  diskFreeBytes: z.number().int().nonnegative().nullable(),
  devicesDisconnected: z.number().int().nonnegative(),
  rejectedRecords: z.number().int().nonnegative(),
  rssBytes: z.number().int().nonnegative(),
  uptimeSeconds: z.number().int().nonnegative(),
});
export type HealthMetrics = z.infer<typeof HealthMetrics>;

export const HealthMessage = z.object({
  v: z.literal(FLEET_VERSION),
  type: z.literal("health"),
  stationId: z.string(),
  bdSeq: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
  at: Iso,
  /** "change" (a metric moved beyond its deadband) or "period" (the periodic report). */
  cause: z.enum(["change", "period", "birth"]),
  metrics: HealthMetrics,
});
export type HealthMessage = z.infer<typeof HealthMessage>;

export const ALARM_KINDS = [
  "device-disconnected",
  "backlog-old",
  "disk-low",
  "clock-suspect",
  "saves-failing",
  "records-rejected",
  "help-waiting",
] as const;
export const Severity = z.enum(["critical", "major", "minor", "warning"]);

export const Alarm = z.object({
  /** Stable per condition: the kind, plus the device for device alarms ("device-disconnected:bp"). */
  id: z.string(),
  /** Open set (ADR 0003): a county that does not know a kind still shows it. */
  kind: z.string(),
  severity: Severity,
  raisedAt: Iso,
  detail: z.string(),
});
export type Alarm = z.infer<typeof Alarm>;

export const AlarmsMessage = z.object({
  v: z.literal(FLEET_VERSION),
  type: z.literal("alarms"),
  stationId: z.string(),
  bdSeq: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
  at: Iso,
  /** Every alarm holding now: the county replaces its view with this set. */
  active: z.array(Alarm),
  /** What changed since the previous message (empty on a resend after connect). */
  changes: z.array(z.object({ id: z.string(), event: z.enum(["raised", "cleared"]), at: Iso })),
});
export type AlarmsMessage = z.infer<typeof AlarmsMessage>;
