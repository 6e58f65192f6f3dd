/**
 * The lists a doctor acts on: due and overdue (high risk first, Simple's rule adapted), searchable
 * by name or village, in pages; and the referral inbox, where an urgent referral stays until a
 * doctor records what happened. The sorted list is cached per day and index version, so paging
 * and searching do not recompute the rules.
 */
import { addDays } from "../assessment/dates.js";
import type { Programme, ProgrammeEntry, Reason } from "../assessment/programmes.js";
import { byPriority } from "../assessment/programmes.js";
import { maskIdNumber } from "../domain/id-number.js";
import type { Outcome, OutcomeLog } from "./outcomes.js";
import type { PersonIndex, PersonState } from "./person-index.js";

export interface ListRow {
  /** Names the entry for an outcome: person, programme and due date (a new due date is a new entry). */
  key: string;
  idNumber: string;
  /** For the screen: the queue can see it, so only the last four characters. */
  idMasked: string;
  name: string;
  village: string;
  programme: Programme;
  nextDue: string;
  overdueDays: number;
  highRisk: boolean;
  lastVisitClass: string | null;
  reasons: Reason[];
  /** The doctor's latest outcome for this entry, if any (e.g. unreachable stays on the list). */
  lastOutcome: { kind: string; reason?: string; day: string } | null;
}

export interface ListQuery {
  asOf: string;
  /** Name or village, substring. */
  q?: string;
  status?: "all" | "overdue" | "due";
  page?: number;
  pageSize?: number;
}

export interface ListPage {
  rows: ListRow[];
  total: number;
  page: number;
  pages: number;
  overdue: number;
  highRisk: number;
}

export interface InboxRow {
  key: string;
  recordId: string;
  idNumber: string;
  idMasked: string;
  name: string;
  village: string;
  date: string;
  reasons: string[];
  /** Days since the referral; a follow-up is owed within referralDays. */
  ageDays: number;
  lastOutcome: { kind: string; reason?: string; day: string } | null;
}

export function entryKey(idNumber: string, e: Pick<ProgrammeEntry, "programme" | "nextDue">): string {
  return `${idNumber}|${e.programme}|${e.nextDue}`;
}

function outcomeView(o: Outcome | undefined): ListRow["lastOutcome"] {
  return o ? { kind: o.kind, ...(o.reason ? { reason: o.reason } : {}), day: o.day } : null;
}

export class DoctorListQueries {
  #cache: { asOf: string; version: number; outcomes: number; rows: ListRow[] } | null = null;

  constructor(
    private readonly index: PersonIndex,
    private readonly outcomes: OutcomeLog,
    private readonly leadDays: () => number,
  ) {}

  /** Every shown row on `asOf`, sorted; rebuilt only when the index, outcomes or day changed. */
  rows(asOf: string): ListRow[] {
    const c = this.#cache;
    const outcomes = this.outcomes.all().length;
    if (c && c.asOf === asOf && c.version === this.index.version && c.outcomes === outcomes) return c.rows;
    const lead = this.leadDays();
    const rows: Array<ListRow & { entry: ProgrammeEntry }> = [];
    const showFrom = addDays(asOf, lead);
    for (const p of this.index.people()) {
      for (const e of this.index.entries(p, asOf)) {
        if (e.nextDue > showFrom) continue;
        const key = entryKey(p.idNumber, e);
        if (this.outcomes.hides(key, p.idNumber, asOf)) continue;
        rows.push({ ...this.#row(p, e, key), entry: e });
      }
    }
    rows.sort((a, b) => byPriority(a.entry, b.entry) || (a.idNumber < b.idNumber ? -1 : 1));
    const out = rows.map(({ entry: _e, ...r }) => r);
    this.#cache = { asOf, version: this.index.version, outcomes, rows: out };
    return out;
  }

  #row(p: PersonState, e: ProgrammeEntry, key: string): ListRow {
    return {
      key,
      idNumber: p.idNumber,
      idMasked: maskIdNumber(p.idNumber),
      name: p.name,
      village: p.village,
      programme: e.programme,
      nextDue: e.nextDue,
      overdueDays: e.overdueDays,
      highRisk: e.highRisk,
      lastVisitClass: e.lastVisitClass ?? null,
      reasons: e.reasons,
      lastOutcome: outcomeView(this.outcomes.latest(key)),
    };
  }

  page(q: ListQuery): ListPage {
    const all = this.rows(q.asOf);
    const needle = q.q?.trim() ?? "";
    const status = q.status ?? "all";
    const filtered = all.filter(
      (r) =>
        (status === "all" || (status === "overdue" ? r.overdueDays > 0 : r.overdueDays === 0)) &&
        (!needle || r.name.includes(needle) || r.village.includes(needle)),
    );
    const size = Math.max(1, Math.min(50, q.pageSize ?? 5));
    const pages = Math.max(1, Math.ceil(filtered.length / size));
    const page = Math.max(1, Math.min(pages, q.page ?? 1));
    return {
      rows: filtered.slice((page - 1) * size, page * size),
      total: filtered.length,
      page,
      pages,
      overdue: filtered.filter((r) => r.overdueDays > 0).length,
      highRisk: filtered.filter((r) => r.highRisk).length,
    };
  }

  /** Urgent referrals with no recorded result yet (a "removed" outcome with its reason), oldest first. */
  inbox(asOf: string): InboxRow[] {
    const out: InboxRow[] = [];
    for (const p of this.index.people()) {
      for (const u of p.urgent) {
        const key = `referral|${u.recordId}`;
        const last = this.outcomes.latest(key);
        if (last?.kind === "removed" || this.outcomes.isGone(p.idNumber)) continue;
        out.push({
          key,
          recordId: u.recordId,
          idNumber: p.idNumber,
          idMasked: maskIdNumber(p.idNumber),
          name: p.name,
          village: p.village,
          date: u.date,
          reasons: u.reasons,
          ageDays: Math.max(0, Math.round((Date.parse(asOf) - Date.parse(u.date)) / 86_400_000)),
          lastOutcome: outcomeView(last),
        });
      }
    }
    return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** Which person an entry key belongs to (the key is built here; its first field is the ID number). */
  personOf(key: string): string | null {
    if (key.startsWith("referral|")) return this.index.ownerOf(key.slice("referral|".length)) ?? null;
    const id = key.split("|")[0]!;
    return this.index.get(id) ? id : null;
  }
}
