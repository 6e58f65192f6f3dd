/**
 * The person-history module: finds whose history a doctor asked for from a list entry, an inbox
 * referral or a check-up's record id (never an ID number from the screen), reads their records
 * through the store's HMAC person index (RecordStore.byPerson / summaries) and their outcomes by
 * the same hash, and writes a `person-viewed` audit event (ids only) before answering.
 */
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { DoctorLists } from "../doctor-lists/index.js";
import { parseIdNumber } from "../domain/id-number.js";
import type { RosterEntry } from "../domain/schema.js";
import { loadHealthCard } from "../health-card/records.js";
import { localDateTime } from "../runtime/clock.js";
import type { RecordStore } from "../storage/types.js";
import { StationError } from "../util/errors.js";
import { buildPersonHistory, type PersonHistory } from "./history.js";

/** Where the doctor opened the history from; kept in the audit event. */
export const HISTORY_VIA = ["list", "inbox", "checkup"] as const;
export type HistoryVia = (typeof HISTORY_VIA)[number];

export type HistoryRef = { entryKey: string; via: "list" | "inbox" } | { recordId: string; via: "checkup" };

export interface PersonHistoryOptions {
  lists: () => DoctorLists | null;
  store: () => Pick<RecordStore, "byPerson" | "summaries">;
  roster: { get(id: string): RosterEntry | null };
  pack: () => PolicyPack;
  timeZone: string;
  today: () => string;
  /** Durable before it resolves (the doctor console's audit log). */
  audited: (e: { doctorId: string; idNumber: string; recordId?: string; via: HistoryVia }) => Promise<void>;
}

export class PersonHistoryService {
  constructor(private readonly o: PersonHistoryOptions) {}

  async view(ref: HistoryRef, doctorId: string): Promise<PersonHistory> {
    const lists = this.o.lists();
    if (!lists) throw new StationError("not-ready", "doctor lists not started");
    await lists.ready();
    const idNumber =
      "entryKey" in ref ? lists.queries.personOf(ref.entryKey) : (lists.index.ownerOf(ref.recordId) ?? null);
    const p = idNumber ? lists.index.get(idNumber) : undefined;
    if (!idNumber || !p)
      throw new StationError("not-found", "没有这个人的档案 / no such person on this station");
    const id = parseIdNumber(idNumber);
    const roster = this.o.roster.get(idNumber);
    const today = this.o.today();
    const store = this.o.store();
    const card = await loadHealthCard(
      { idNumber, name: p.name, birthDate: p.birthDate, sex: id.ok ? id.value.sex : "unknown" },
      roster,
      { store, pack: this.o.pack(), timeZone: this.o.timeZone, today },
    );
    const records = await store.byPerson(idNumber);
    const tz = this.o.timeZone;
    const history = buildPersonHistory(card, records, lists.outcomes.forPerson(idNumber), (iso) =>
      localDateTime(Date.parse(iso), tz),
    );
    // Written (fsynced) before the doctor sees anything; ids only.
    await this.o.audited({
      doctorId,
      idNumber,
      ...("recordId" in ref ? { recordId: ref.recordId } : {}),
      via: ref.via,
    });
    return history;
  }
}
