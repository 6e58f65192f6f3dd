/**
 * What each person is owed and when:
 *  - the annual free check-up, once per calendar year, for the groups in the pack (65+ and the
 *    roster categories; 国家基本公共卫生服务规范 第三版; 000 §二(二); 001 §10), due by the pack's dueBy date;
 *  - chronic follow-ups for hypertension/diabetes, at least 4 a year plus county extras (Sichuan
 *    adds 4 for registered-poor patients, 000 §二(二)), spaced evenly, or sooner when the last
 *    visit set an earlier date (uncontrolled BP, recheck);
 *  - the follow-up of an urgent referral within 14 days (000 §二(二); BPHS 3rd ed.).
 * Status: "upcoming" before the window opens, "due" inside it, "overdue" after the due date.
 */
import { ageOn, parseIdNumber } from "../domain/id-number.js";
import { addDays, onYear, yearOf } from "./dates.js";
import type { PolicyPack } from "./policy-schema.js";
import { chronicIntervalDays, chronicVisitsPerYear, isChronicPatient, matchesAny } from "./who.js";

/** One past contact, as the station's records give it (a CheckupRecord maps to one Visit). */
export interface Visit {
  date: string;
  /** "checkup": the annual free check-up; "followup": a chronic or referral follow-up visit. Both count as contacts. */
  kind: "checkup" | "followup";
  /** The visit's assessment made an urgent referral. */
  urgentReferral?: boolean;
  /** Assessment.followUpDue of that visit, when it set one. */
  followUpDue?: string | null;
}

export type DueKind = "annual-checkup" | "chronic-followup" | "referral-followup";
export type DueStatus = "upcoming" | "due" | "overdue";

export interface DueItem {
  kind: DueKind;
  /** First day the item shows as due. */
  windowStart: string;
  /** Last day before it is overdue. */
  dueDate: string;
  status: DueStatus;
  /** Chronic follow-up only: contacts so far this calendar year and the yearly minimum. */
  doneThisYear?: number;
  requiredThisYear?: number;
}

export interface DuePerson {
  birthDate: string;
  categories: readonly string[];
}

function statusOf(windowStart: string, dueDate: string, today: string): DueStatus {
  if (today > dueDate) return "overdue";
  return today >= windowStart ? "due" : "upcoming";
}

function item(kind: DueKind, windowStart: string, dueDate: string, today: string): DueItem {
  return { kind, windowStart, dueDate, status: statusOf(windowStart, dueDate, today) };
}

/** Items owed by one person, earliest due date first. Visits dated after `today` are ignored. */
export function dueItems(
  person: DuePerson,
  history: readonly Visit[],
  pack: PolicyPack,
  today: string,
): DueItem[] {
  const cats = person.categories;
  const year = yearOf(today);
  const past = history
    .filter((v) => v.date <= today)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const items: DueItem[] = [];

  const annual = pack.followUp.annualCheckup;
  if (matchesAny(annual.who, cats, ageOn(person.birthDate, today))) {
    const done = past.some((v) => v.kind === "checkup" && yearOf(v.date) === year);
    const y = done ? year + 1 : year;
    let dueDate = onYear(y, annual.dueBy);
    // Someone who only becomes eligible after this year's dueBy (a late-year 65th birthday) has until 31 Dec.
    if (!matchesAny(annual.who, cats, ageOn(person.birthDate, dueDate))) dueDate = `${y}-12-31`;
    items.push(item("annual-checkup", `${y}-01-01`, dueDate, today));
  }

  if (isChronicPatient(pack, cats)) {
    const last = past.at(-1);
    let dueDate = last ? addDays(last.date, chronicIntervalDays(pack, cats)) : `${year}-01-01`;
    if (last && !last.urgentReferral && last.followUpDue && last.followUpDue < dueDate)
      dueDate = last.followUpDue;
    const it = item("chronic-followup", addDays(dueDate, -pack.followUp.leadDays), dueDate, today);
    it.doneThisYear = past.filter((v) => yearOf(v.date) === year).length;
    it.requiredThisYear = chronicVisitsPerYear(pack, cats);
    items.push(it);
  }

  const lastUrgent = past.findLast((v) => v.urgentReferral);
  if (lastUrgent && !past.some((v) => v.date > lastUrgent.date)) {
    const dueDate = lastUrgent.followUpDue ?? addDays(lastUrgent.date, pack.followUp.referralDays);
    items.push(item("referral-followup", addDays(lastUrgent.date, 1), dueDate, today));
  }

  return items.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** The earliest due date among the items, or null when nothing is owed. */
export function nextDue(items: readonly DueItem[]): string | null {
  return items.reduce<string | null>((m, i) => (m === null || i.dueDate < m ? i.dueDate : m), null);
}

export interface DueRosterEntry {
  idNumber: string;
  name: string;
  village: string;
  categories: readonly string[];
}

export interface DueListEntry {
  idNumber: string;
  name: string;
  village: string;
  kind: DueKind;
  windowStart: string;
  dueDate: string;
  status: DueStatus;
}

export interface DueList {
  /** Most overdue first. */
  overdue: DueListEntry[];
  /** Soonest due first. */
  due: DueListEntry[];
  /** Roster entries whose ID number gives no birth date. */
  skipped: Array<{ idNumber: string; reason: string }>;
}

export function dueList(
  roster: readonly DueRosterEntry[],
  historyByPerson: ReadonlyMap<string, readonly Visit[]> | Readonly<Record<string, readonly Visit[]>>,
  pack: PolicyPack,
  today: string,
): DueList {
  const historyOf = (id: string): readonly Visit[] =>
    (historyByPerson instanceof Map
      ? historyByPerson.get(id)
      : (historyByPerson as Record<string, Visit[]>)[id]) ?? [];
  const out: DueList = { overdue: [], due: [], skipped: [] };
  for (const p of roster) {
    const parsed = parseIdNumber(p.idNumber, today);
    if (!parsed.ok) {
      out.skipped.push({ idNumber: p.idNumber, reason: `invalid ID number (${parsed.error})` });
      continue;
    }
    const person = { birthDate: parsed.value.birthDate, categories: p.categories };
    for (const it of dueItems(person, historyOf(p.idNumber), pack, today)) {
      if (it.status === "upcoming") continue;
      const row = {
        idNumber: p.idNumber,
        name: p.name,
        village: p.village,
        kind: it.kind,
        windowStart: it.windowStart,
        dueDate: it.dueDate,
        status: it.status,
      };
      out[it.status].push(row);
    }
  }
  const byDate = (a: DueListEntry, b: DueListEntry) =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0;
  out.overdue.sort(byDate);
  out.due.sort(byDate);
  return out;
}
