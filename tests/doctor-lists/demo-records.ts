/** Check-up records for people of the demo roster, assessed by the real assessment with the sample pack. */
import { v7 } from "uuid";
import { assess, loadDefaultPolicy } from "../../station/assessment/index.js";
import { parseIdNumber } from "../../station/domain/id-number.js";
import type { CheckupRecord, RosterEntry } from "../../station/domain/schema.js";

export interface DemoVisit {
  /** Milliseconds since epoch. */
  at: number;
  sbp: number;
  dbp: number;
  glucose?: number;
  seq: number;
  /** Stored as the doctor's follow-up form would be (station/doctor/ owns the form). */
  followUp?: Record<string, unknown>;
}

export function demoRecord(p: RosterEntry, v: DemoVisit): CheckupRecord {
  const id = parseIdNumber(p.idNumber);
  if (!id.ok) throw new Error(id.error);
  const created = new Date(v.at).toISOString();
  const bp = {
    kind: "bp" as const,
    systolic: v.sbp,
    diastolic: v.dbp,
    unit: "mmHg" as const,
    statusFlags: [],
    takenAt: created,
    source: "device" as const,
  };
  const glucose =
    v.glucose === undefined
      ? null
      : {
          kind: "glucose" as const,
          mmolL: v.glucose,
          sampleType: "fasting" as const,
          takenAt: created,
          source: "device" as const,
        };
  const today = new Date(v.at + 8 * 3_600_000).toISOString().slice(0, 10);
  const a = assess(
    {
      bpReadings: [bp],
      glucose,
      person: { birthDate: id.value.birthDate, categories: [...p.categories] },
      today,
    },
    loadDefaultPolicy(),
  );
  return {
    schemaVersion: 1,
    id: v7({ msecs: v.at }),
    stationId: "demo-0001",
    seq: v.seq,
    createdAt: created,
    clockSuspect: false,
    person: {
      idNumber: p.idNumber,
      name: p.name,
      sex: id.value.sex,
      birthDate: id.value.birthDate,
      source: "card",
    },
    readings: glucose ? [bp, glucose] : [bp],
    assessment: a.assessment,
    consent: { given: true, at: created, method: "touch" },
    operator: { kind: "self" },
    sync: { status: "pending", attempts: 0, lastAttemptAt: null, ackedAt: null, rejectReason: null },
    ...(v.followUp ? { followUp: v.followUp } : {}),
  } as CheckupRecord;
}
