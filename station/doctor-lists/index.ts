/**
 * The doctor's lists (issue 10 §3, §4): due and overdue, outcomes, the referral inbox and
 * coverage with print and CSV export. start() opens the outcome log and builds the person index
 * from the roster and a read-only pass over the stored records; after that the index follows
 * each saved record (observeSaves). Who may call what is decided by the routes (routes.ts).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Printer } from "../../drivers/types.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import { personKey as countyPersonKey } from "../doctor/audit.js";
import type { CheckupRecord, RosterEntry } from "../domain/schema.js";
import { personKey } from "../storage/person-index.js";
import { readDay, readIndexSecret, storedDays } from "../storage/read-only.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { type Coverage, computeCoverage } from "./coverage.js";
import { coverageCsv, coverageSlip } from "./coverage-output.js";
import { DoctorListQueries, type InboxRow, type ListPage, type ListQuery } from "./lists.js";
import { OutcomeUpload } from "./outcome-upload.js";
import { type Outcome, type OutcomeInput, OutcomeLog } from "./outcomes.js";
import { PersonIndex } from "./person-index.js";

/** What the lists write to the doctor console's audit log: ids only, never names or ID numbers. */
export interface ListAuditEvent {
  type: "outcome-recorded" | "coverage-exported" | "coverage-printed";
  doctorId: string;
  outcomeId?: string;
  file?: string;
}

export interface DoctorListsOptions {
  dataDir: string;
  roster: () => readonly RosterEntry[];
  policy: () => PolicyPack;
  /** Station-local YYYY-MM-DD. */
  today: () => string;
  now: () => Date;
  stationId: string;
  /** The station's county: outcomes name the person by personKey(county, ID number) when uploaded. */
  county: string;
  clinicName: string;
  /** Read when printing: the devices start after the lists. */
  printer: () => Printer | null;
  /** The doctor console's audit(event); the lists only call it. */
  audit: (e: ListAuditEvent) => void | Promise<void>;
  logger: Logger;
  /** Station-local day offset of the store (UTC+8 by default). */
  dayOffsetMinutes?: number;
}

export class DoctorLists {
  readonly index: PersonIndex;
  readonly outcomes: OutcomeLog;
  readonly queries: DoctorListQueries;
  #ready: Promise<void> | null = null;
  #stopped = false;
  #upload: OutcomeUpload | null = null;

  constructor(private readonly o: DoctorListsOptions) {
    this.index = new PersonIndex(o.policy, o.dayOffsetMinutes);
    this.outcomes = new OutcomeLog(join(o.dataDir, "doctor-lists"));
    this.queries = new DoctorListQueries(this.index, this.outcomes, () => o.policy().followUp.leadDays);
  }

  /** Opens the outcome log and starts the index build; queries wait for it (ready()). */
  async start(): Promise<void> {
    // Outcomes name people by the store's person-index hash, never by ID number.
    const secret = await readIndexSecret(this.o.dataDir);
    if (!secret)
      throw new StationError(
        "index-key-missing",
        "doctor lists: the store's person-index key (keys/index.json) is missing",
      );
    await this.outcomes.open((idNumber) => personKey(secret, idNumber));
    // The default export folder, offered beside any USB stick (routes.ts).
    await mkdir(join(this.o.dataDir, "exports"), { recursive: true });
    this.index.setRoster(this.o.roster());
    this.#ready = this.#scan();
    this.#ready.catch((e: Error) => this.o.logger.error(`doctor lists: index build failed: ${e.message}`));
  }

  /** Starts sending outcomes to the county on the station's MQTT link (docs/mqtt-api.md). */
  startUpload(up: {
    publish: (topic: string, payload: string) => Promise<boolean>;
    onUp: (fn: () => void) => void;
  }): void {
    const u = new OutcomeUpload({
      log: this.outcomes,
      county: this.o.county,
      stationId: this.o.stationId,
      publish: up.publish,
      now: () => this.o.now().getTime(),
      logger: this.o.logger,
    });
    u.start();
    up.onUp(() => u.kick());
    this.#upload = u;
  }

  async stop(): Promise<void> {
    this.#upload?.stop();
    this.#stopped = true;
    await this.#ready?.catch(() => {});
  }

  ready(): Promise<void> {
    if (!this.#ready) throw new StationError("not-ready", "doctor lists not started");
    return this.#ready;
  }

  async #scan(): Promise<void> {
    const t0 = Date.now();
    let n = 0;
    for (const day of await storedDays(this.o.dataDir)) {
      if (this.#stopped) return;
      for (const r of await readDay(this.o.dataDir, day)) {
        this.index.add(r);
        n++;
      }
    }
    this.o.logger.info(
      `doctor lists: ${this.index.size} people, ${n} records indexed in ${Date.now() - t0} ms`,
    );
  }

  /** Called for every record saved after start (observeSaves). */
  onSaved(record: CheckupRecord): void {
    this.index.add(record);
  }

  async list(q: Omit<ListQuery, "asOf">): Promise<ListPage> {
    await this.ready();
    return this.queries.page({ ...q, asOf: this.o.today() });
  }

  async inbox(): Promise<InboxRow[]> {
    await this.ready();
    return this.queries.inbox(this.o.today());
  }

  async recordOutcome(input: OutcomeInput, doctorId: string): Promise<Outcome> {
    await this.ready();
    const idNumber = this.queries.personOf(input.entryKey);
    if (!idNumber) throw new StationError("not-found", `no list entry ${input.entryKey}`);
    const key = countyPersonKey(this.o.county, idNumber);
    const o = await this.outcomes.record(input, idNumber, doctorId, this.o.now(), this.o.today(), key);
    await this.o.audit({ type: "outcome-recorded", doctorId, outcomeId: o.id });
    return o;
  }

  async coverage(): Promise<Coverage> {
    await this.ready();
    return computeCoverage(
      { index: this.index, outcomes: this.outcomes, pack: this.o.policy() },
      this.o.today(),
    );
  }

  /** Writes coverage-<station>-<day>.csv into `folder` (temp, fsync, rename). */
  async exportCsv(folder: string, doctorId: string): Promise<{ file: string }> {
    const c = await this.coverage();
    const file = join(folder, `coverage-${this.o.stationId}-${c.asOf}.csv`);
    await writeFileAtomic(file, coverageCsv(c, this.o.stationId));
    await this.o.audit({ type: "coverage-exported", doctorId, file });
    return { file };
  }

  async print(doctorId: string): Promise<void> {
    const printer = this.o.printer();
    if (!printer) throw new StationError("printer-missing", "没有打印机 / no printer configured");
    const c = await this.coverage();
    await printer.print(coverageSlip(c, this.o.clinicName));
    await this.o.audit({ type: "coverage-printed", doctorId });
  }
}
