/**
 * This station's records as visits, read through the store's person index (byPerson), never a
 * scan of every day shard.
 */
import { classifyBp, toMmHg } from "../assessment/bp.js";
import { classifyGlucose } from "../assessment/glucose.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { CheckupRecord, RosterEntry } from "../domain/schema.js";
import { localDate } from "../runtime/clock.js";
import type { RecordStore, RecordSummary } from "../storage/types.js";
import { buildHealthCard } from "./card.js";
import type { HealthCard, VisitSummary } from "./types.js";

/** A record saved without an assessment still shows its readings (averaged like the check-up). */
function bpFromReadings(r: CheckupRecord): VisitSummary["bp"] {
  const mm = r.readings.flatMap((x) => {
    if (x.kind !== "bp") return [];
    const s = toMmHg(x.systolic, x.unit);
    const d = toMmHg(x.diastolic, x.unit);
    return s === null || d === null ? [] : [{ s, d }];
  });
  if (mm.length === 0) return null;
  const systolic = Math.round(mm.reduce((t, x) => t + x.s, 0) / mm.length);
  const diastolic = Math.round(mm.reduce((t, x) => t + x.d, 0) / mm.length);
  return { systolic, diastolic, readingsAveraged: mm.length, class: classifyBp(systolic, diastolic).class };
}

function glucoseFromReadings(r: CheckupRecord): VisitSummary["glucose"] {
  const g = r.readings.find((x) => x.kind === "glucose");
  if (g?.kind !== "glucose") return null;
  return {
    mmolL: g.mmolL,
    sampleType: g.sampleType,
    class: classifyGlucose(g.mmolL, g.sampleType) ?? "unknown",
  };
}

export function visitFromRecord(r: CheckupRecord, timeZone: string): VisitSummary {
  const a = r.assessment;
  const takenAt = r.readings[0]?.takenAt ?? r.createdAt;
  return {
    id: r.id,
    version: r.seq,
    source: "station",
    date: localDate(Date.parse(takenAt), timeZone),
    takenAt,
    // A station check-up is the contact the due rules count as a check-up (due.ts Visit).
    kind: "checkup",
    bp: a?.bp
      ? {
          systolic: Math.round(a.bp.systolic),
          diastolic: Math.round(a.bp.diastolic),
          readingsAveraged: a.bp.readingsAveraged,
          class: a.bp.class,
        }
      : bpFromReadings(r),
    glucose: a?.glucose
      ? { mmolL: a.glucose.mmolL, sampleType: a.glucose.sampleType, class: a.glucose.class }
      : glucoseFromReadings(r),
    urgentReferral: a?.referral.urgent ?? false,
    followUpDue: a?.followUpDue ?? null,
    rejected: r.sync.status === "rejected" ? { reason: r.sync.rejectReason } : null,
  };
}

/** A record pruned by the retention setting, kept as a summary (storage/summaries.ts): acked, so never rejected. */
export function visitFromSummary(r: RecordSummary): VisitSummary {
  const a = r.assessment;
  return {
    id: r.id,
    version: r.seq,
    source: "station",
    date: r.day,
    takenAt: r.createdAt,
    kind: "checkup",
    bp: a?.bp
      ? {
          systolic: Math.round(a.bp.systolic),
          diastolic: Math.round(a.bp.diastolic),
          readingsAveraged: a.bp.readingsAveraged,
          class: a.bp.class,
        }
      : null,
    glucose: a?.glucose
      ? { mmolL: a.glucose.mmolL, sampleType: a.glucose.sampleType, class: a.glucose.class }
      : null,
    urgentReferral: a?.referral.urgent ?? false,
    followUpDue: a?.followUpDue ?? null,
    rejected: null,
  };
}

export interface LoadHealthCardOptions {
  store: Pick<RecordStore, "byPerson" | "summaries">;
  pack: PolicyPack;
  timeZone: string;
  today: string;
  /** More visits from elsewhere (the county's summaries pack: county-visits.ts). */
  extraVisits?: readonly VisitSummary[];
}

export async function loadHealthCard(
  person: { idNumber: string; name: string; birthDate: string; sex: string },
  roster: RosterEntry | null,
  o: LoadHealthCardOptions,
): Promise<HealthCard> {
  const records = await o.store.byPerson(person.idNumber);
  // Pruned records live on as summaries; one cut short by a power cut may be in both (same id: shown once).
  const pruned = await o.store.summaries(person.idNumber);
  const visits = [...records.map((r) => visitFromRecord(r, o.timeZone)), ...pruned.map(visitFromSummary)];
  return buildHealthCard(
    {
      person,
      roster: roster ? { categories: roster.categories, doctor: roster.doctor } : null,
      visits: [...visits, ...(o.extraVisits ?? [])],
    },
    o.pack,
    o.today,
  );
}
