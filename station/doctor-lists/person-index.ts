/**
 * Everything the lists and coverage need, per person, kept up to date one record at a time:
 * the visits (as the programme rules read them), the urgent referrals, and the programme entries
 * cached for the day they were computed. A query reads this index; it never scans the records.
 */

import type { PolicyPack } from "../assessment/policy-schema.js";
import { type ProgrammeVisit, visitFromRecord } from "../assessment/programme-visit.js";
import { type ProgrammeEntry, programmeEntries } from "../assessment/programmes.js";
import { parseIdNumber } from "../domain/id-number.js";
import type { CheckupRecord, RosterEntry } from "../domain/schema.js";

export interface UrgentReferral {
  recordId: string;
  date: string;
  reasons: string[];
}

export interface PersonState {
  idNumber: string;
  name: string;
  village: string;
  birthDate: string;
  categories: readonly string[];
  inRoster: boolean;
  /** Oldest first. */
  visits: ProgrammeVisit[];
  urgent: UrgentReferral[];
  /** Day of the first record (Simple's "registered" for BP controlled). */
  firstVisit: string | null;
  cache: { asOf: string; entries: ProgrammeEntry[] } | null;
}

export class PersonIndex {
  readonly #people = new Map<string, PersonState>();
  /** record id → person, so a re-saved record replaces its visit instead of adding one. */
  readonly #recordOwner = new Map<string, string>();
  readonly #visitOf = new Map<string, ProgrammeVisit>();
  /** Bumped on every change; list caches compare it. */
  version = 0;

  constructor(
    private readonly pack: () => PolicyPack,
    private readonly offsetMinutes = 480,
  ) {}

  setRoster(roster: readonly RosterEntry[]): void {
    for (const r of roster) {
      const id = parseIdNumber(r.idNumber);
      if (!id.ok) continue;
      const p = this.#people.get(r.idNumber);
      if (p)
        Object.assign(p, {
          name: r.name,
          village: r.village,
          categories: r.categories,
          inRoster: true,
          cache: null,
        });
      else
        this.#people.set(r.idNumber, {
          idNumber: r.idNumber,
          name: r.name,
          village: r.village,
          birthDate: id.value.birthDate,
          categories: r.categories,
          inRoster: true,
          visits: [],
          urgent: [],
          firstVisit: null,
          cache: null,
        });
    }
    this.version++;
  }

  add(record: CheckupRecord): void {
    const idNumber = record.person.idNumber;
    let p = this.#people.get(idNumber);
    if (!p) {
      // Someone outside the roster: 65+ and urgent referrals still apply to them.
      p = {
        idNumber,
        name: record.person.name,
        village: "",
        birthDate: record.person.birthDate,
        categories: [],
        inRoster: false,
        visits: [],
        urgent: [],
        firstVisit: null,
        cache: null,
      };
      this.#people.set(idNumber, p);
    }
    const visit = visitFromRecord(record, this.offsetMinutes);
    const old = this.#visitOf.get(record.id);
    if (old) {
      p.visits.splice(p.visits.indexOf(old), 1);
      p.urgent = p.urgent.filter((u) => u.recordId !== record.id);
    }
    this.#visitOf.set(record.id, visit);
    this.#recordOwner.set(record.id, idNumber);
    // Insert in date order; records mostly arrive in order, so this is usually a push.
    let i = p.visits.length;
    while (i > 0 && p.visits[i - 1]!.date > visit.date) i--;
    p.visits.splice(i, 0, visit);
    if (visit.urgentReferral)
      p.urgent.push({
        recordId: record.id,
        date: visit.date,
        reasons: record.assessment?.referral.reasons ?? [],
      });
    p.firstVisit = p.visits[0]!.date;
    p.cache = null;
    this.version++;
  }

  ownerOf(recordId: string): string | undefined {
    return this.#recordOwner.get(recordId);
  }

  get(idNumber: string): PersonState | undefined {
    return this.#people.get(idNumber);
  }

  people(): IterableIterator<PersonState> {
    return this.#people.values();
  }

  get size(): number {
    return this.#people.size;
  }

  /** The person's programme entries on `asOf`, computed once per person per day and change. */
  entries(p: PersonState, asOf: string): ProgrammeEntry[] {
    if (p.cache?.asOf === asOf) return p.cache.entries;
    const entries = programmeEntries(p, p.visits, this.pack(), asOf);
    p.cache = { asOf, entries };
    return entries;
  }

  invalidate(): void {
    for (const p of this.#people.values()) p.cache = null;
    this.version++;
  }
}
