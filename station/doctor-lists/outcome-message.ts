/**
 * The list outcomes on hs/v1/{county}/{station}/outcome (docs/mqtt-api.md,
 * docs/schemas/outcome-message.v1.json): what the doctor did about each due, overdue or referral
 * entry, as data the county can count. Ids and codes only: the person is the audit log's
 * county-joinable `personKey` (a hash the county can compute from the records it holds), never
 * the station-local HMAC, a name, an ID number or the doctor's free-text note.
 */
import { z } from "zod";
import { openEnum } from "../domain/open-enum.js";
import { IsoDate, IsoDateTime } from "../domain/schema.js";
import { OUTCOME_KINDS, type Outcome, REMOVE_REASONS } from "./outcomes.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const OutcomeEvent = z.strictObject({
  v: z.literal(1),
  /** UUIDv7 of the outcome: the county stores each once. */
  id: z.string().regex(UUID),
  kind: openEnum(OUTCOME_KINDS),
  reason: openEnum(REMOVE_REASONS).optional(),
  /** annual-checkup, hypertension, diabetes or referral (open: the county may add programmes). */
  programme: z.string().min(1).max(32),
  /** The due date of the entry acted on (due-list entries). */
  nextDue: IsoDate.optional(),
  /** The check-up record that raised the referral (referral-inbox entries). */
  recordId: z.string().regex(UUID).optional(),
  /** personKey(county, ID number) as in the audit log; absent on outcomes saved before upload existed. */
  personKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22}$/)
    .optional(),
  doctorId: z.string().min(1).max(64),
  at: IsoDateTime,
  /** Station-local day it was recorded. */
  day: IsoDate,
  hideUntil: IsoDate.optional(),
});
export type OutcomeEvent = z.infer<typeof OutcomeEvent>;

export const OutcomeMessage = z.strictObject({
  v: z.literal(1),
  type: z.literal("outcomes"),
  stationId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  sentAt: IsoDateTime,
  outcomes: z.array(OutcomeEvent).min(1).max(500),
});
export type OutcomeMessage = z.infer<typeof OutcomeMessage>;

/**
 * The wire form of a stored outcome. The stored entry key is `<hmac>|<programme>|<nextDue>` (due
 * list) or `referral|<recordId>` (inbox); any other key (a kind a later module adds) goes as its
 * first field only. Never throws on a key it does not know: one odd outcome must not stop the queue.
 */
export function toOutcomeEvent(o: Outcome): OutcomeEvent {
  const parts = o.entryKey.split("|");
  const first = parts[0] ?? "";
  const programme = (/^[0-9a-f]{64}$/.test(first) ? parts[1] : first)?.slice(0, 32) || "unknown";
  const entry: { programme: string; nextDue?: string; recordId?: string } = { programme };
  if (/^[0-9a-f]{64}$/.test(first) && /^\d{4}-\d{2}-\d{2}$/.test(parts[2] ?? "")) entry.nextDue = parts[2]!;
  if (first === "referral" && UUID.test(parts[1] ?? "")) entry.recordId = parts[1]!;
  return {
    v: 1,
    id: o.id,
    kind: o.kind,
    ...(o.reason ? { reason: o.reason } : {}),
    ...entry,
    ...(o.personKey ? { personKey: o.personKey } : {}),
    doctorId: o.doctorId,
    at: o.at,
    day: o.day,
    ...(o.hideUntil ? { hideUntil: o.hideUntil } : {}),
  };
}
