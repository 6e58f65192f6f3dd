/** Builds the durable CheckupRecord from a finished session (pure). */
import type { CheckupRecord, Reading } from "../domain/schema.js";
import type { AssessmentOutcome, Session } from "./types.js";

export interface RecordContext {
  stationId: string;
  seq: number;
  createdAt: string;
  clockSuspect: boolean;
}

export function buildRecord(session: Session, outcome: AssessmentOutcome, ctx: RecordContext): CheckupRecord {
  const readings: Reading[] = [...session.bpReadings, ...(session.glucose ? [session.glucose] : [])];
  const a = session.assisted;
  return {
    schemaVersion: 2,
    id: session.recordId,
    stationId: ctx.stationId,
    seq: ctx.seq,
    createdAt: ctx.createdAt,
    clockSuspect: ctx.clockSuspect,
    person: session.person,
    readings,
    assessment: outcome.assessment,
    consent: {
      given: session.consentAt !== null,
      at: session.consentAt ?? ctx.createdAt,
      method: session.operator.kind === "doctor" ? "doctor" : "touch",
    },
    operator: session.operator,
    assisted: a
      ? {
          doctorId: a.doctorId,
          idEntryReason: a.idEntryReason,
          dangerSymptoms: [...a.dangerSymptoms],
          manualReadings: a.manualReadings.flatMap((m) => {
            const readingIndex = readings.findIndex((r) => r.kind === m.kind && r.takenAt === m.takenAt);
            return readingIndex < 0 ? [] : [{ readingIndex, reason: m.reason }];
          }),
        }
      : null,
    followUp: null,
    sync: { status: "pending", attempts: 0, lastAttemptAt: null, ackedAt: null, rejectReason: null },
  };
}

/**
 * The wall clock cannot be trusted before this instant (a Pi without RTC boots in 1970 or at
 * its last fake-hwclock save). Records made then are flagged, never dropped.
 */
export const CLOCK_FLOOR = Date.parse("2026-01-01T00:00:00Z");

export function clockSuspect(nowMs: number, lastRecordMs: number | null): boolean {
  return nowMs < CLOCK_FLOOR || (lastRecordMs !== null && nowMs + 60_000 < lastRecordMs);
}
