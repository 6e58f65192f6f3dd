/**
 * The follow-up form (随访服务记录表) becomes its own v2 record, linked to the check-up whose
 * readings it used: a new record, never an edit of one the archive may already hold.
 * Visit class, per the national specification (care-notes.md): controlled when BP < 140/90
 * (hypertension) and fasting glucose < 7.0 mmol/L (diabetes); the doctor may instead choose
 * adverse reaction or complication. Next visit: ~3 months when controlled, 2 weeks otherwise.
 */
import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import { addDays } from "../assessment/dates.js";
import type { VisitClass } from "../assessment/visit-class.js";
import {
  ADHERENCE,
  FOLLOW_UP_MODES,
  FOLLOW_UP_PROGRAMMES,
  FOLLOW_UP_SYMPTOMS,
  Medicine,
} from "../domain/followup.js";
import type { CheckupRecord } from "../domain/schema.js";

export const FollowUpRequest = z
  .object({
    checkupRecordId: z.string().max(64),
    programmes: z.array(z.enum(FOLLOW_UP_PROGRAMMES)).min(1),
    mode: z.enum(FOLLOW_UP_MODES).default("clinic"),
    symptoms: z.array(z.enum(FOLLOW_UP_SYMPTOMS)).max(16).default([]),
    otherSymptom: z.string().max(60).optional(),
    adherence: z.enum(ADHERENCE),
    adverseReaction: z.string().max(60).nullable().default(null),
    medicines: z.array(Medicine).max(8).default([]),
    /** Only these two may override the computed class. */
    visitClassOverride: z.enum(["adverse-reaction", "complication"]).nullable().default(null),
    referral: z
      .object({ reason: z.string().min(1).max(80), institution: z.string().min(1).max(60) })
      .nullable()
      .default(null),
    nextVisit: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict();
export type FollowUpRequest = z.infer<typeof FollowUpRequest>;

export const CONTROLLED = { sbpBelow: 140, dbpBelow: 90, fastingGlucoseBelow: 7.0 } as const;

/** controlled / uncontrolled from the linked check-up's assessment; null when nothing applies was measured. */
export function computeVisitClass(
  programmes: readonly string[],
  a: CheckupRecord["assessment"],
): "controlled" | "uncontrolled" | null {
  const verdicts: boolean[] = [];
  if (programmes.includes("hypertension") && a?.bp)
    verdicts.push(a.bp.systolic < CONTROLLED.sbpBelow && a.bp.diastolic < CONTROLLED.dbpBelow);
  if (programmes.includes("diabetes") && a?.glucose?.sampleType === "fasting")
    verdicts.push(a.glucose.mmolL < CONTROLLED.fastingGlucoseBelow);
  if (verdicts.length === 0) return null;
  return verdicts.every(Boolean) ? "controlled" : "uncontrolled";
}

export function defaultNextVisit(today: string, cls: VisitClass): string {
  return addDays(today, cls === "controlled" ? 90 : 14);
}

export function buildFollowUpRecord(
  req: FollowUpRequest,
  checkup: CheckupRecord,
  ctx: {
    doctorId: string;
    stationId: string;
    seq: number;
    nowMs: number;
    today: string;
    clockSuspect: boolean;
  },
): CheckupRecord {
  const computed = computeVisitClass(req.programmes, checkup.assessment);
  if (computed === null && req.visitClassOverride === null)
    throw new Error("no reading for this programme: measure first, or choose 不良反应 / 并发症");
  const visitClass: VisitClass = req.visitClassOverride ?? computed ?? "uncontrolled";
  const createdAt = new Date(ctx.nowMs).toISOString();
  return {
    schemaVersion: 2,
    id: uuidv7({ msecs: ctx.nowMs }),
    stationId: ctx.stationId,
    seq: ctx.seq,
    createdAt,
    clockSuspect: ctx.clockSuspect,
    person: checkup.person,
    readings: [],
    assessment: null,
    consent: { given: true, at: createdAt, method: "doctor" },
    operator: { kind: "doctor", doctorId: ctx.doctorId },
    assisted: null,
    followUp: {
      programmes: req.programmes,
      checkupRecordId: checkup.id,
      visitDate: ctx.today,
      mode: req.mode,
      symptoms: req.symptoms,
      ...(req.otherSymptom ? { otherSymptom: req.otherSymptom } : {}),
      adherence: req.adherence,
      adverseReaction: req.adverseReaction,
      medicines: req.medicines,
      visitClass,
      visitClassComputed: computed,
      referral: req.referral,
      nextVisit: req.nextVisit ?? defaultNextVisit(ctx.today, visitClass),
      doctorId: ctx.doctorId,
    },
    sync: { status: "pending", attempts: 0, lastAttemptAt: null, ackedAt: null, rejectReason: null },
  };
}
