/**
 * buildHealthCard: the one function that makes a person's health card from their visits
 * (docs/health-card.md). Pure: the caller gathers the visits (records.ts for this station's
 * records; county summaries later) and the policy pack.
 */

import { addDays, toUtc } from "../assessment/dates.js";
import { explainEntitlements } from "../assessment/entitlements.js";
import { GLUCOSE_RANK } from "../assessment/glucose.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { ProgrammeVisit } from "../assessment/programme-visit.js";
import { isShown, programmeEntries } from "../assessment/programmes.js";
import { bpTarget } from "../assessment/who.js";
import { ageOn, maskName } from "../domain/id-number.js";
import type { BpPoint, DueView, GlucosePoint, HealthCard, Tag, Trend, VisitSummary } from "./types.js";

export interface HealthCardInput {
  person: { name: string; birthDate: string; sex: string };
  /** Roster categories and family doctor; null when the person is not on the county roster. */
  roster: { categories: readonly string[]; doctor: { name: string; phone: string } | null } | null;
  /** Visits from any source, any order, duplicates allowed. */
  visits: readonly VisitSummary[];
}

/** BP class order (中国高血压防治指南2018 血压水平分类); ISH is ranked with the grade of its SBP. */
function bpRank(p: { systolic: number; diastolic: number }): number {
  const s = p.systolic >= 180 ? 4 : p.systolic >= 160 ? 3 : p.systolic >= 140 ? 2 : p.systolic >= 120 ? 1 : 0;
  const d =
    p.diastolic >= 110 ? 4 : p.diastolic >= 100 ? 3 : p.diastolic >= 90 ? 2 : p.diastolic >= 80 ? 1 : 0;
  return Math.max(s, d);
}

/** Systolic change that counts as real within one class (the guideline's 10 mmHg benefit step). */
export const BP_STEP_MMHG = 10;

/**
 * BP: a change of class decides; within one class above normal, a systolic change of at least
 * 10 mmHg decides; otherwise "same". Lower is better.
 */
export function bpTrend(now: BpPoint, before: BpPoint | null): Trend {
  if (!before) return "none";
  const a = bpRank(now);
  const b = bpRank(before);
  if (a !== b) return a < b ? "better" : "worse";
  if (a === 0) return "same";
  const d = now.systolic - before.systolic;
  if (Math.abs(d) < BP_STEP_MMHG) return "same";
  return d < 0 ? "better" : "worse";
}

/** Distance from normal: hypoglycaemia is as bad as the diabetes range. */
function glucoseBadness(cls: string): number {
  const r = GLUCOSE_RANK[cls as keyof typeof GLUCOSE_RANK];
  if (r === undefined) return 0;
  return r === 0 ? 3 : r - 1;
}

/** Glucose: only the same sample type compares; a change of class decides, else "same". */
export function glucoseTrend(
  now: GlucosePoint & { class: string },
  before: (GlucosePoint & { class: string }) | null,
): Trend {
  if (!before) return "none";
  if (now.sampleType !== before.sampleType) return "not-comparable";
  const a = glucoseBadness(now.class);
  const b = glucoseBadness(before.class);
  if (a === b) return "same";
  return a < b ? "better" : "worse";
}

/** One entry per id (highest version wins), then one per measurement (a re-sent reading). */
export function dedupeVisits(visits: readonly VisitSummary[]): VisitSummary[] {
  const byId = new Map<string, VisitSummary>();
  for (const v of visits) {
    const seen = byId.get(v.id);
    if (!seen || v.version > seen.version) byId.set(v.id, v);
  }
  const byReading = new Map<string, VisitSummary>();
  for (const v of byId.values()) {
    const key = JSON.stringify([v.takenAt, v.bp?.systolic, v.bp?.diastolic, v.glucose?.mmolL]);
    const seen = byReading.get(key);
    // The same reading saved twice: keep the accepted copy over a rejected one, then the newer.
    if (
      !seen ||
      (seen.rejected && !v.rejected) ||
      (!!seen.rejected === !!v.rejected && v.version > seen.version)
    )
      byReading.set(key, v);
  }
  return [...byReading.values()].sort((a, b) =>
    a.takenAt < b.takenAt ? -1 : a.takenAt > b.takenAt ? 1 : a.version - b.version,
  );
}

/** Control targets (中国2型糖尿病防治指南2020): fasting 4.4–7.0, otherwise below 10.0 mmol/L. */
export const GLUCOSE_BANDS: Record<string, { low: number; high: number }> = {
  fasting: { low: 4.4, high: 7.0 },
  random: { low: 4.4, high: 10.0 },
  postprandial: { low: 4.4, high: 10.0 },
};

/**
 * The latest glucose against the last one of the same sample type (a fasting value is compared
 * with a fasting value); "not-comparable" when every earlier one was of another type.
 */
function latestGlucose(
  points: Array<GlucosePoint & { class: string }>,
  strip: (p: GlucosePoint & { class: string }) => GlucosePoint,
): NonNullable<HealthCard["latest"]["glucose"]> {
  const now = points.at(-1)!;
  const earlier = points.slice(0, -1);
  const same = earlier.findLast((p) => p.sampleType === now.sampleType) ?? null;
  const before = same ?? earlier.at(-1) ?? null;
  return { now: strip(now), before: before ? strip(before) : null, trend: glucoseTrend(now, before) };
}

function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000);
}

export function buildHealthCard(input: HealthCardInput, pack: PolicyPack, today: string): HealthCard {
  const { person, roster } = input;
  const age = ageOn(person.birthDate, today);
  const categories = roster ? [...roster.categories] : [];
  const tags: Tag[] = [];
  if (age >= 65) tags.push("age65");
  for (const c of categories) if (!tags.includes(c)) tags.push(c);

  const visits = dedupeVisits(input.visits).filter((v) => v.date <= today);
  const bp: BpPoint[] = [];
  const glucose: Array<GlucosePoint & { class: string }> = [];
  for (const v of visits) {
    const rejected = v.rejected !== null;
    if (v.bp) bp.push({ date: v.date, systolic: v.bp.systolic, diastolic: v.bp.diastolic, rejected });
    if (v.glucose)
      glucose.push({
        date: v.date,
        mmolL: v.glucose.mmolL,
        sampleType: v.glucose.sampleType,
        class: v.glucose.class,
        rejected,
      });
  }
  const lastBp = bp.at(-1);
  const lastGlu = glucose.at(-1);
  const strip = ({ class: _c, ...p }: GlucosePoint & { class: string }): GlucosePoint => p;

  // What is due comes from the programme rules (station/assessment/programmes.ts), as on the
  // doctor's lists, so the villager and the doctor see the same dates.
  const history: ProgrammeVisit[] = visits.map((v) => ({
    date: v.date,
    bp: v.bp ? { systolic: v.bp.systolic, diastolic: v.bp.diastolic } : null,
    glucose: v.glucose ? { mmolL: v.glucose.mmolL, sampleType: v.glucose.sampleType } : null,
    urgentReferral: v.urgentReferral,
    followUpDue: v.followUpDue,
  }));
  const due: DueView[] = programmeEntries({ birthDate: person.birthDate, categories }, history, pack, today)
    .map((e) => ({
      kind: e.programme,
      status:
        e.overdueDays > 0
          ? ("overdue" as const)
          : isShown(e, today, pack.followUp.leadDays)
            ? ("due" as const)
            : ("upcoming" as const),
      dueDate: e.nextDue,
      daysOverdue: e.overdueDays,
      daysLeft: Math.max(0, daysBetween(today, e.nextDue)),
    }))
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));

  const target = bpTarget(pack, categories, age);
  const years = [...new Set(visits.map((v) => Number(v.date.slice(0, 4))))].sort((a, b) => a - b);
  return {
    person: { name: maskName(person.name), age, sex: person.sex },
    tags,
    onRoster: roster !== null,
    latest: {
      bp: lastBp
        ? { now: lastBp, before: bp.at(-2) ?? null, trend: bpTrend(lastBp, bp.at(-2) ?? null) }
        : null,
      glucose: lastGlu ? latestGlucose(glucose, strip) : null,
    },
    series: {
      bp,
      glucose: glucose.map(strip),
      bands: {
        systolic: { low: 90, high: target.sbp },
        diastolic: { low: 60, high: target.dbp },
        glucose: GLUCOSE_BANDS,
      },
      years,
      defaultFrom: addDays(today, -365),
      to: today,
    },
    due,
    doctor: roster?.doctor ?? null,
    entitlements: {
      zh: explainEntitlements(categories, age, pack, "zh"),
      en: explainEntitlements(categories, age, pack, "en"),
    },
    visitCount: visits.length,
    rejectedCount: visits.filter((v) => v.rejected).length,
    today,
  };
}
