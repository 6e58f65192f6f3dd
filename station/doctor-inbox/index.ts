/**
 * The doctor's inbox (issue 10 §3): help requests a doctor clears by recording what happened,
 * and records the county archive rejected, with a way to correct and re-send them.
 *
 * A correction is a new record (contract v3, correction.ts) saved through the normal durable
 * store, so the outbox and uploader send it like any other. The rejected original stays in the
 * store as it was; which correction supersedes it is kept in `<dataDir>/doctor-inbox/
 * corrections.json`, written intent first (before the new record is saved) so a power cut can
 * never leave one rejected record corrected twice. An intent whose record never reached the store
 * is ignored when read. Who may call what: routes.ts.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { maskIdNumber, maskName } from "../domain/id-number.js";
import type { Assessment, CheckupRecord, Reading } from "../domain/schema.js";
import type { HelpRequest, HelpStore } from "../help/help-store.js";
import { DurableJSONFile } from "../storage/durable-adapter.js";
import { KeyedMutex } from "../storage/mutex.js";
import type { RecordStore } from "../storage/types.js";
import { parseRejectReason } from "../upload/status.js";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import {
  buildCorrection,
  type CorrectableField,
  type CorrectionRequest,
  correctableFields,
} from "./correction.js";

/** What a doctor records when clearing a help request. */
export const HELP_OUTCOMES = ["attended", "false-alarm", "villager-left"] as const;
export type HelpOutcome = (typeof HELP_OUTCOMES)[number];

/** Audit events of the inbox: ids and codes only. */
export interface InboxAuditEvent {
  type: "help-cleared" | "record-corrected" | "person-viewed";
  doctorId: string;
  recordId?: string;
  personKey?: string;
  detail?: Record<string, string | number>;
}

export interface DoctorInboxOptions {
  dataDir: string;
  store: () => RecordStore;
  help: HelpStore;
  stationId: string;
  now: () => number;
  clockSuspect: (nowMs: number) => boolean;
  /** The station's local date (YYYY-MM-DD) at an instant: a birth date after it is refused. */
  today: (nowMs: number) => string;
  assess: (
    record: CheckupRecord,
    readings: readonly Reading[],
    person: CheckupRecord["person"],
  ) => Assessment | null;
  personKey: (idNumber: string) => string;
  /** Durable audit (the doctor console's log); resolves once written. */
  audit: (e: InboxAuditEvent) => Promise<unknown>;
  /** A correction was saved: wake the uploader, update the lists. */
  onSaved: (r: CheckupRecord) => void;
  logger: Logger;
}

export interface RejectedRow {
  id: string;
  /** Day the check-up was made (its createdAt date). */
  date: string;
  code: string | null;
  reason: string;
  kind: "checkup" | "follow-up";
  idMasked: string;
  nameMasked: string;
  /** The correction that replaced it, once the doctor has sent one. */
  supersededBy: string | null;
}

export interface RejectedDetail extends RejectedRow {
  /** The doctor corrects the number itself, so the detail shows it whole (audited as person-viewed). */
  idNumber: string;
  name: string;
  readings: Reading[];
  correctable: CorrectableField[];
}

interface CorrectionsFile {
  version: 1;
  /** Rejected record id → the id of the correction that supersedes it. */
  supersededBy: Record<string, string>;
}

/** The rejected list shows at most this many (the store keeps them all). */
const REJECTED_SHOWN = 500;

export class DoctorInbox {
  #file: DurableJSONFile<CorrectionsFile> | null = null;
  #superseded = new Map<string, string>();
  readonly #lock = new KeyedMutex();

  constructor(private readonly o: DoctorInboxOptions) {}

  async start(): Promise<void> {
    const dir = join(this.o.dataDir, "doctor-inbox");
    await mkdir(dir, { recursive: true });
    this.#file = new DurableJSONFile<CorrectionsFile>(join(dir, "corrections.json"), {
      logger: this.o.logger,
    });
    const data = await this.#file.read();
    const all = Object.entries(data?.version === 1 ? data.supersededBy : {});
    // An intent whose record never reached the store (a power cut between the two) is dropped.
    const kept: Array<[string, string]> = [];
    for (const [from, to] of all) if (await this.o.store().get(to)) kept.push([from, to]);
    this.#superseded = new Map(kept);
    if (kept.length !== all.length) await this.#write(this.#superseded);
  }

  async #write(map: Map<string, string>): Promise<void> {
    if (!this.#file) throw new StationError("not-ready", "doctor inbox not started");
    await this.#file.write({ version: 1, supersededBy: Object.fromEntries(map) });
  }

  async stop(): Promise<void> {
    await this.#file?.read().catch(() => null);
    this.#file = null;
  }

  /** A correction was sent for this rejected record (its intent is on disk). */
  isSuperseded(id: string): boolean {
    return this.#superseded.has(id);
  }

  help(): readonly HelpRequest[] {
    return this.o.help.waiting();
  }

  /** The doctor says what happened; the request leaves the inbox, the status strip and the alarm. */
  async clearHelp(id: string, outcome: HelpOutcome, doctorId: string): Promise<void> {
    const req = this.o.help.waiting().find((r) => r.id === id);
    if (!req)
      throw new StationError(
        "not-found",
        "没有这条求助（可能已处理） / no such help request (already cleared?)",
      );
    // Audited first: a request never leaves without a record of who cleared it and why.
    await this.o.audit({
      type: "help-cleared",
      doctorId,
      ...(req.recordId ? { recordId: req.recordId } : {}),
      detail: { helpId: id, outcome, source: req.source },
    });
    await this.o.help.clear(id);
  }

  /** A superseding correction counts only once it is in the store (intent first, see above). */
  async #supersededBy(id: string): Promise<string | null> {
    const next = this.#superseded.get(id);
    if (!next) return null;
    return (await this.o.store().get(next)) ? next : null;
  }

  async #row(r: CheckupRecord): Promise<RejectedRow> {
    const { code, reason } = parseRejectReason(r.sync.rejectReason ?? "");
    return {
      id: r.id,
      date: r.createdAt.slice(0, 10),
      code,
      reason,
      kind: r.schemaVersion !== 1 && r.followUp ? "follow-up" : "checkup",
      idMasked: maskIdNumber(r.person.idNumber),
      nameMasked: maskName(r.person.name),
      supersededBy: await this.#supersededBy(r.id),
    };
  }

  /** Rejected records, newest first; corrected ones stay listed, marked with their correction. */
  async rejected(): Promise<RejectedRow[]> {
    const out: RejectedRow[] = [];
    for (const r of await this.o.store().rejected(REJECTED_SHOWN)) out.push(await this.#row(r));
    return out;
  }

  async #rejectedRecord(id: string): Promise<CheckupRecord> {
    const r = await this.o.store().get(id);
    if (r?.sync.status !== "rejected")
      throw new StationError("not-found", "没有这条被退回的记录 / no such rejected record");
    return r;
  }

  async detail(id: string, doctorId: string): Promise<RejectedDetail> {
    const r = await this.#rejectedRecord(id);
    const row = await this.#row(r);
    await this.o.audit({
      type: "person-viewed",
      doctorId,
      recordId: r.id,
      personKey: this.o.personKey(r.person.idNumber),
      detail: { view: "rejected-record" },
    });
    return {
      ...row,
      idNumber: r.person.idNumber,
      name: r.person.name,
      readings: r.readings,
      correctable: correctableFields(row.code),
    };
  }

  /** Saves the new version and returns its id; the uploader sends it like any other record. */
  correct(req: CorrectionRequest, doctorId: string): Promise<{ recordId: string; supersedes: string }> {
    return this.#lock.run("correct", async () => {
      const original = await this.#rejectedRecord(req.recordId);
      if (await this.#supersededBy(original.id))
        throw new StationError("already-corrected", "这条记录已经更正过 / this record was already corrected");
      const store = this.o.store();
      const nowMs = this.o.now();
      const record = buildCorrection(original, req, {
        id: uuidv7({ msecs: nowMs }),
        doctorId,
        stationId: this.o.stationId,
        seq: await store.nextSeq(),
        nowMs,
        today: this.o.today(nowMs),
        clockSuspect: this.o.clockSuspect(nowMs),
        assess: (readings, person) => this.o.assess(original, readings, person),
      });
      const before = this.#superseded;
      const next = new Map(before).set(original.id, record.id);
      await this.#write(next);
      this.#superseded = next;
      try {
        await store.save(record);
      } catch (e) {
        // Not saved: the record may be corrected again (a failed rollback is dropped at start).
        this.#superseded = before;
        await this.#write(before).catch(() => {});
        throw e;
      }
      this.o.onSaved(record);
      await this.o.audit({
        type: "record-corrected",
        doctorId,
        recordId: record.id,
        personKey: this.o.personKey(record.person.idNumber),
        detail: {
          supersedes: original.id,
          reason: req.reason,
          changed: record.correction.changed.join(",").slice(0, 80),
        },
      });
      return { recordId: record.id, supersedes: original.id };
    });
  }
}
