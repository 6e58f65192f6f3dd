/**
 * What each person is owed, one entry per programme that applies (issue 10 §3, §6). Pure; the
 * county policy pack supplies every number. Sources (care-notes.md, policy-digest.md):
 *  - SPEC: 国家基本公共卫生服务规范（第三版，2017）, the hypertension, type 2 diabetes and elderly
 *    health-management specifications (official text not online; reposts agree).
 *  - 000 §二(二): Sichuan 八百工程 — free annual check-up, 4 extra chronic follow-ups for
 *    registered-poor patients, referrals followed up within 2 weeks. 001 §10: 65+ yearly check-up.
 *  - SIMPLE: Simple.org's overdue list, "high risk" (simple-android strings.xml), adapted below.
 */
import { ageOn } from "../domain/id-number.js";
import { addDays, onYear, yearOf } from "./dates.js";
import type { PolicyPack } from "./policy-schema.js";
import { daysBetween, type ProgrammeVisit, visitsUpTo } from "./programme-visit.js";
import { computeVisitClass, isKnownVisitClass, type VisitClass } from "./visit-class.js";
import { chronicIntervalDays, chronicVisitsPerYear, matchesAny } from "./who.js";

export const PROGRAMMES = ["annual-checkup", "hypertension", "diabetes", "referral"] as const;
export type Programme = (typeof PROGRAMMES)[number];
export const CHRONIC_PROGRAMMES = ["hypertension", "diabetes"] as const;
export type ChronicProgramme = (typeof CHRONIC_PROGRAMMES)[number];

export const SOURCES = {
  htn: "国家基本公共卫生服务规范（第三版，2017）高血压患者健康管理服务规范",
  dm: "国家基本公共卫生服务规范（第三版，2017）2型糖尿病患者健康管理服务规范",
  elderly: "国家基本公共卫生服务规范（第三版，2017）老年人健康管理服务规范; 001 §10",
  poor: "000 §二(二)",
  simple: "Simple.org overdue list, high-risk rule (simple-android strings.xml), adapted",
} as const;

export interface Reason {
  code: string;
  source: string;
  /** Numbers behind the reason (a date, a count), for the screen and the CLI. */
  detail?: string;
}

export interface ProgrammeEntry {
  programme: Programme;
  nextDue: string;
  /** Days past nextDue on the as-of date; 0 when not overdue. */
  overdueDays: number;
  /** Chronic programmes only: the last visit's class, null when no visit could be classified. */
  lastVisitClass?: VisitClass | null;
  /** Chronic programmes only: visits this calendar year and the yearly minimum. */
  visitsThisYear?: number;
  requiredThisYear?: number;
  /** The person should be (or has been) referred. */
  refer?: boolean;
  highRisk: boolean;
  /** Day of the visit that raised a referral (referral entries only). */
  since?: string;
  reasons: Reason[];
}

export interface ProgrammePerson {
  birthDate: string;
  categories: readonly string[];
}

/** Simple's "overdue" threshold for high risk: at least 30 days. */
export const HIGH_RISK_OVERDUE_DAYS = 30;

export function overdueDays(nextDue: string, asOf: string): number {
  return Math.max(0, daysBetween(nextDue, asOf));
}

function formAppliesTo(v: ProgrammeVisit, p: ChronicProgramme): boolean {
  return v.formClass !== undefined && (!v.formProgrammes || v.formProgrammes.includes(p));
}

/** The class of a visit for one programme: the doctor's form first, else computed from readings. */
export function classOfVisit(v: ProgrammeVisit, p: ChronicProgramme): VisitClass | null {
  if (formAppliesTo(v, p)) return v.formClass as VisitClass;
  return computeVisitClass(v, { hypertension: p === "hypertension", diabetes: p === "diabetes" });
}

/** A visit counts for a chronic programme when the form was for it or it measured what that programme follows. */
function relevant(v: ProgrammeVisit, p: ChronicProgramme): boolean {
  if (formAppliesTo(v, p)) return true;
  return p === "hypertension" ? v.bp !== null : v.glucose !== null;
}

/** Signs that make an overdue person high risk (SIMPLE, adapted: we hold no heart-attack or stroke
 * history, so a doctor-recorded complication stands in for it). */
export function highRiskSigns(visits: readonly ProgrammeVisit[]): string[] {
  const signs: string[] = [];
  const lastBp = visits.findLast((v) => v.bp)?.bp;
  if (lastBp && (lastBp.systolic >= 180 || lastBp.diastolic >= 110)) signs.push("bp-180-110");
  const complication = visits.some((v) => v.formClass === "complication");
  if (complication && lastBp && (lastBp.systolic >= 140 || lastBp.diastolic >= 90))
    signs.push("complication-bp-140-90");
  const g = visits.findLast((v) => v.glucose)?.glucose;
  // Uncontrolled glucose: fasting ≥7.0, any sample ≥11.1, or hypoglycaemia ≤3.9 (SPEC thresholds).
  if (g && ((g.sampleType === "fasting" && g.mmolL >= 7.0) || g.mmolL >= 11.1 || g.mmolL <= 3.9))
    signs.push("glucose-uncontrolled");
  return signs;
}

function annualEntry(
  person: ProgrammePerson,
  past: readonly ProgrammeVisit[],
  pack: PolicyPack,
  asOf: string,
): ProgrammeEntry | null {
  const annual = pack.followUp.annualCheckup;
  const age = ageOn(person.birthDate, asOf);
  if (!matchesAny(annual.who, person.categories, age)) return null;
  const year = yearOf(asOf);
  const doneOn = past.findLast((v) => yearOf(v.date) === year)?.date;
  const y = doneOn ? year + 1 : year;
  let nextDue = onYear(y, annual.dueBy);
  // Someone who only becomes eligible after dueBy (a late-year 65th birthday) has until 31 Dec.
  if (!matchesAny(annual.who, person.categories, ageOn(person.birthDate, nextDue))) nextDue = `${y}-12-31`;
  const reasons: Reason[] = [];
  if (age >= 65) reasons.push({ code: "age-65", source: SOURCES.elderly, detail: `age ${age}` });
  const cats = person.categories.filter((c) => annual.who.some((w) => w.anyCategory?.includes(c)));
  if (cats.length) reasons.push({ code: "roster-category", source: SOURCES.poor, detail: cats.join(",") });
  reasons.push(
    doneOn
      ? { code: "done-this-year", source: SOURCES.elderly, detail: doneOn }
      : { code: "not-done-this-year", source: SOURCES.elderly, detail: `due by ${nextDue}` },
  );
  return {
    programme: "annual-checkup",
    nextDue,
    overdueDays: overdueDays(nextDue, asOf),
    highRisk: false,
    reasons,
  };
}

function chronicEntry(
  p: ChronicProgramme,
  person: ProgrammePerson,
  past: readonly ProgrammeVisit[],
  pack: PolicyPack,
  asOf: string,
): ProgrammeEntry | null {
  const fu = pack.followUp;
  if (!person.categories.includes(p) || !fu.chronic.conditions.includes(p)) return null;
  const source = p === "hypertension" ? SOURCES.htn : SOURCES.dm;
  const visits = past.filter((v) => relevant(v, p));
  const year = yearOf(asOf);
  const required = chronicVisitsPerYear(pack, person.categories);
  const reasons: Reason[] = [{ code: "min-visits-per-year", source, detail: `${fu.chronic.perYear}` }];
  for (const e of fu.chronic.extra)
    if (person.categories.includes(e.category))
      reasons.push({ code: "county-extra", source: e.source, detail: `${e.category} +${e.perYear}` });

  const last = visits.at(-1);
  const lastClass = last ? classOfVisit(last, p) : null;
  let nextDue: string;
  let refer = false;
  if (!last) {
    nextDue = `${year}-01-01`;
    reasons.push({ code: "no-visit", source });
  } else {
    const prevClass = visits.length > 1 ? classOfVisit(visits.at(-2)!, p) : null;
    if (lastClass === "uncontrolled" && prevClass === "uncontrolled") {
      refer = true;
      nextDue = addDays(last.date, fu.referralDays);
      reasons.push({
        code: "refer-two-uncontrolled",
        source,
        detail: `${visits.at(-2)!.date}, ${last.date}`,
      });
    } else if (lastClass === "complication") {
      refer = true;
      nextDue = addDays(last.date, fu.referralDays);
      reasons.push({ code: "refer-complication", source, detail: last.date });
    } else if (lastClass === "uncontrolled" || lastClass === "adverse-reaction") {
      nextDue = addDays(last.date, fu.uncontrolledDays);
      reasons.push({ code: `${lastClass}-2-weeks`, source, detail: last.date });
    } else if (lastClass !== null && !isKnownVisitClass(lastClass)) {
      // A class from a newer form: not known to be controlled, so the short interval (ADR 0003).
      nextDue = addDays(last.date, fu.uncontrolledDays);
      reasons.push({
        code: "unknown-class",
        source: "docs/adr/0003-forward-compatible-enums.md",
        detail: lastClass,
      });
    } else {
      nextDue = addDays(last.date, chronicIntervalDays(pack, person.categories));
      reasons.push({
        code: "routine-interval",
        source,
        detail: `${chronicIntervalDays(pack, person.categories)} days`,
      });
    }
    const earlier = [last.formNextVisit, last.urgentReferral ? null : last.followUpDue].filter(
      (d): d is string => typeof d === "string" && d > last.date && d < nextDue,
    );
    for (const d of earlier) {
      nextDue = d < nextDue ? d : nextDue;
      reasons.push({
        code: d === last.formNextVisit ? "form-next-visit" : "recheck-date",
        source,
        detail: d,
      });
    }
  }
  return {
    programme: p,
    nextDue,
    overdueDays: overdueDays(nextDue, asOf),
    lastVisitClass: lastClass,
    visitsThisYear: visits.filter((v) => yearOf(v.date) === year).length,
    requiredThisYear: required,
    ...(refer ? { refer } : {}),
    highRisk: false,
    reasons,
  };
}

function referralEntry(
  past: readonly ProgrammeVisit[],
  chronic: readonly ProgrammeEntry[],
  pack: PolicyPack,
  asOf: string,
): ProgrammeEntry | null {
  const last = past.at(-1);
  if (!last) return null;
  // Only the latest visit can hold an open referral: any later visit is the follow-up.
  const reasons: Reason[] = [];
  if (last.urgentReferral)
    reasons.push({ code: "urgent-referral", source: `${SOURCES.htn}; ${SOURCES.poor}`, detail: last.date });
  for (const e of chronic)
    if (e.refer) for (const r of e.reasons) if (r.code.startsWith("refer-")) reasons.push(r);
  if (!reasons.length) return null;
  let nextDue = addDays(last.date, pack.followUp.referralDays);
  if (last.urgentReferral && last.followUpDue && last.followUpDue > last.date && last.followUpDue < nextDue)
    nextDue = last.followUpDue;
  reasons.push({
    code: "follow-up-within-days",
    source: SOURCES.poor,
    detail: `${pack.followUp.referralDays}`,
  });
  return {
    programme: "referral",
    nextDue,
    overdueDays: overdueDays(nextDue, asOf),
    refer: true,
    // Adapted from SIMPLE: an emergency cannot wait Simple's 30 days, so an urgent referral is
    // always high risk.
    highRisk: last.urgentReferral,
    since: last.date,
    reasons,
  };
}

/** Every programme that applies to the person on `asOf`, in PROGRAMMES order. Visits after asOf are ignored. */
export function programmeEntries(
  person: ProgrammePerson,
  visits: readonly ProgrammeVisit[],
  pack: PolicyPack,
  asOf: string,
): ProgrammeEntry[] {
  const past = visitsUpTo(visits, asOf);
  const out: ProgrammeEntry[] = [];
  const annual = annualEntry(person, past, pack, asOf);
  if (annual) out.push(annual);
  const chronic = CHRONIC_PROGRAMMES.map((p) => chronicEntry(p, person, past, pack, asOf)).filter(
    (e): e is ProgrammeEntry => e !== null,
  );
  out.push(...chronic);
  const ref = referralEntry(past, chronic, pack, asOf);
  if (ref) out.push(ref);
  const signs = highRiskSigns(past);
  for (const e of out) {
    if (e.overdueDays >= HIGH_RISK_OVERDUE_DAYS && signs.length) {
      e.highRisk = true;
      e.reasons.push({ code: "high-risk", source: SOURCES.simple, detail: signs.join(",") });
    }
  }
  return out;
}

/** Shown on the "due" list from `leadDays` before nextDue. */
export function isShown(e: ProgrammeEntry, asOf: string, leadDays: number): boolean {
  return addDays(e.nextDue, -leadDays) <= asOf;
}

/** High risk first, then most overdue, then soonest due (SIMPLE, adapted). */
export function byPriority(a: ProgrammeEntry, b: ProgrammeEntry): number {
  if (a.highRisk !== b.highRisk) return a.highRisk ? -1 : 1;
  if (a.overdueDays !== b.overdueDays) return b.overdueDays - a.overdueDays;
  return a.nextDue < b.nextDue ? -1 : a.nextDue > b.nextDue ? 1 : 0;
}
