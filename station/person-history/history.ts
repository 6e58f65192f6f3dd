/**
 * A person's history as the village doctor sees it (issue 10 §3): the health card, and every
 * reading with its source and operator, the follow-up forms, the list outcomes and the urgent
 * referrals with what was recorded about each. Pure: the service (service.ts) reads the inputs.
 */
import type { Outcome } from "../doctor-lists/outcomes.js";
import type { CheckupRecord } from "../domain/schema.js";
import type { HealthCard } from "../health-card/types.js";
import type {
  HistoryFollowUp,
  HistoryOutcome,
  HistoryReading,
  HistoryReferral,
  PersonHistory,
} from "./types.js";

export type { HistoryFollowUp, HistoryOutcome, HistoryReading, HistoryReferral, PersonHistory };

function operatorOf(r: CheckupRecord): string {
  return r.operator.kind === "doctor" ? r.operator.doctorId : "self";
}

export function readingsOf(r: CheckupRecord, localTime: (iso: string) => string): HistoryReading[] {
  const manual = r.schemaVersion === 2 ? (r.assisted?.manualReadings ?? []) : [];
  return r.readings.map((x, i) => {
    const base = {
      recordId: r.id,
      takenAt: x.takenAt,
      localTime: localTime(x.takenAt),
      source: x.source,
      device: x.source === "manual" ? "manual" : (x.device?.model ?? ""),
      manualReason: manual.find((m) => m.readingIndex === i)?.reason ?? null,
      operator: operatorOf(r),
      rejected: r.sync.status === "rejected",
    };
    return x.kind === "bp"
      ? {
          ...base,
          kind: "bp" as const,
          systolic: x.systolic,
          diastolic: x.diastolic,
          pulse: x.pulse ?? null,
          unit: x.unit,
        }
      : { ...base, kind: "glucose" as const, mmolL: x.mmolL, sampleType: x.sampleType };
  });
}

export function outcomeOf(o: Outcome): HistoryOutcome {
  // Stored keys: "<person hash>|<programme>|<due>" or "referral|<record id>" (outcomes.ts).
  const parts = o.entryKey.split("|");
  const referral = parts[0] === "referral";
  return {
    id: o.id,
    day: o.day,
    programme: referral ? "referral" : (parts[1] ?? ""),
    due: referral ? null : (parts[2] ?? null),
    kind: o.kind,
    reason: o.reason ?? null,
    doctorId: o.doctorId,
  };
}

/**
 * `records`: the person's stored records (any order; a re-saved id counts once, highest seq).
 * `localTime`: an ISO time as the station's local "YYYY-MM-DD HH:mm".
 */
export function buildPersonHistory(
  card: HealthCard,
  records: readonly CheckupRecord[],
  outcomes: readonly Outcome[],
  localTime: (iso: string) => string,
): PersonHistory {
  const latest = new Map<string, CheckupRecord>();
  for (const r of records) {
    const had = latest.get(r.id);
    if (!had || had.seq < r.seq) latest.set(r.id, r);
  }
  const recs = [...latest.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.seq - a.seq);
  const readings = recs
    .flatMap((r) => readingsOf(r, localTime))
    .sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  const followUps: HistoryFollowUp[] = [];
  for (const r of recs) {
    const f = r.schemaVersion === 2 ? r.followUp : null;
    if (!f) continue;
    followUps.push({
      recordId: r.id,
      visitDate: f.visitDate,
      programmes: [...f.programmes],
      mode: f.mode,
      symptoms: [...f.symptoms],
      otherSymptom: f.otherSymptom ?? null,
      adherence: f.adherence,
      adverseReaction: f.adverseReaction,
      medicines: f.medicines.map((m) => ({ ...m })),
      visitClass: f.visitClass,
      referral: f.referral,
      nextVisit: f.nextVisit,
      doctorId: f.doctorId,
    });
  }
  const all = outcomes.map(outcomeOf).sort((a, b) => a.day.localeCompare(b.day));
  const referrals: HistoryReferral[] = recs
    .filter((r) => r.assessment?.referral.urgent)
    .map((r) => {
      const stored = new Set(outcomes.filter((o) => o.entryKey === `referral|${r.id}`).map((o) => o.id));
      const its = all.filter((o) => stored.has(o.id));
      return {
        recordId: r.id,
        date: localTime(r.readings[0]?.takenAt ?? r.createdAt).slice(0, 10),
        reasons: r.assessment?.referral.reasons ?? [],
        outcomes: its,
        closed: its.at(-1)?.kind === "removed",
      };
    });
  return { card, readings, followUps, outcomes: [...all].reverse(), referrals };
}
