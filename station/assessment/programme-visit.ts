/**
 * One past contact as the programme rules see it, and how a stored check-up record becomes one.
 * The visit class comes from the doctor's follow-up form when the record has one, otherwise it is
 * computed from the readings (visit-class.ts).
 */
import type { CheckupRecord } from "../domain/schema.js";
import { addDays } from "./dates.js";
import type { VisitClass } from "./visit-class.js";

export interface ProgrammeVisit {
  /** Station-local day of the visit. */
  date: string;
  /** Averaged BP of the visit, if measured. */
  bp: { systolic: number; diastolic: number } | null;
  glucose: { mmolL: number; sampleType: string } | null;
  /** The visit's assessment made an urgent referral. */
  urgentReferral: boolean;
  /** Assessment.followUpDue of that visit (a recheck date), when set. */
  followUpDue: string | null;
  /** The doctor's class from the follow-up form; absent when there was no form. */
  formClass?: VisitClass;
  /** Programmes the form was filled for (e.g. ["hypertension"]); absent = every chronic programme. */
  formProgrammes?: readonly string[];
  /** The form's own next-visit date, when the doctor set one. */
  formNextVisit?: string;
}

/** Default station day: UTC+8, as the record store shards by (storage/keys.ts). */
const DEFAULT_OFFSET_MINUTES = 480;

/** Station-local YYYY-MM-DD of an ISO date-time. */
export function localDayOf(isoDateTime: string, offsetMinutes = DEFAULT_OFFSET_MINUTES): string {
  return new Date(Date.parse(isoDateTime) + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * The follow-up form as far as the rules need it. The form itself belongs to the doctor console
 * (station/doctor/); this reads only the fields named here and ignores the rest, so it keeps
 * working as the form grows.
 */
interface FormLike {
  visitClass?: unknown;
  programmes?: unknown;
  programme?: unknown;
  nextVisit?: unknown;
}

function formOf(record: CheckupRecord): FormLike | null {
  const f = (record as { followUp?: unknown }).followUp;
  return f && typeof f === "object" ? (f as FormLike) : null;
}

export function visitFromRecord(
  record: CheckupRecord,
  offsetMinutes = DEFAULT_OFFSET_MINUTES,
): ProgrammeVisit {
  const a = record.assessment;
  const v: ProgrammeVisit = {
    date: localDayOf(record.createdAt, offsetMinutes),
    bp: a?.bp ? { systolic: a.bp.systolic, diastolic: a.bp.diastolic } : null,
    glucose: a?.glucose ? { mmolL: a.glucose.mmolL, sampleType: a.glucose.sampleType } : null,
    urgentReferral: a?.referral.urgent ?? false,
    followUpDue: a?.followUpDue ?? null,
  };
  const form = formOf(record);
  if (form) {
    if (typeof form.visitClass === "string" && form.visitClass) v.formClass = form.visitClass;
    const progs = Array.isArray(form.programmes)
      ? form.programmes.filter((p): p is string => typeof p === "string")
      : typeof form.programme === "string"
        ? [form.programme]
        : undefined;
    if (progs?.length) v.formProgrammes = progs;
    if (typeof form.nextVisit === "string" && /^\d{4}-\d{2}-\d{2}$/.test(form.nextVisit))
      v.formNextVisit = form.nextVisit;
  }
  return v;
}

/** Sorted oldest first, with visits after `asOf` dropped (a wrong clock must not hide a due item). */
export function visitsUpTo(visits: readonly ProgrammeVisit[], asOf: string): readonly ProgrammeVisit[] {
  // Fast path for the lists' index, which keeps visits sorted: no copy, no sort.
  let sorted = true;
  for (let i = 1; i < visits.length && sorted; i++) if (visits[i - 1]!.date > visits[i]!.date) sorted = false;
  if (sorted && (visits.length === 0 || visits.at(-1)!.date <= asOf)) return visits;
  return visits
    .filter((v) => v.date <= asOf)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export { addDays };
