/**
 * The village doctor's console on the station side: sign-in, the session, the audit log and
 * the assisted check-up day. start() opens the lockout and audit files; stop() ends the
 * session. Its HTTP routes (routes.ts) are mounted by the station server under /api/doctor/.
 */
import { join } from "node:path";
import type { CardRead } from "../../drivers/types.js";
import type { StationConfig } from "../config/schema.js";
import type { CheckupRecord } from "../domain/schema.js";
import type { DoctorSessionView } from "../protocol.js";
import type { CheckupRuntime } from "../runtime/checkup.js";
import type { Hub } from "../runtime/hub.js";
import type { RecordStore } from "../storage/types.js";
import type { Logger } from "../util/logger.js";
import { type AuditInput, AuditLog, personKey } from "./audit.js";
import { AuditUpload } from "./audit-upload.js";
import { DoctorList } from "./doctor-list.js";
import { Lockout } from "./lockout.js";
import { type DoctorSession, SignIn } from "./sign-in.js";

export type CheckupControl = Pick<
  CheckupRuntime,
  "model" | "action" | "manualId" | "doctorAction" | "setAssistedDay" | "setCardInterceptor"
>;

export interface DoctorConsoleOptions {
  config: StationConfig["doctor"];
  /** Who may sign in: config or the county's pack (doctor-list.ts); by default the config's doctors. */
  doctors?: DoctorList;
  station: { id: string; countyId: string; timezone: string };
  /** The station's data folder: the lockout and audit files live under doctor/. */
  dataDir: string;
  runtime: CheckupControl;
  store: Pick<RecordStore, "get" | "nextSeq" | "save">;
  hub: Hub;
  now: () => number;
  logger: Logger;
  onSaved?: (r: CheckupRecord) => void;
  /** The county link (the uploader's): when absent, the audit log stays on the station only. */
  upload?: {
    publish: (topic: string, payload: string) => Promise<boolean>;
    /** Calls back whenever the link comes up, so unsent events go at once. */
    onUp: (fn: () => void) => void;
  };
}

/** A card tap on the sign-in screen is for sign-in only this long. */
const CARD_WAIT_MS = 30_000;

export class DoctorConsole {
  #audit: AuditLog | null = null;
  #auditUpload: AuditUpload | null = null;
  #signIn: SignIn | null = null;
  #view: DoctorSessionView;
  #cardTimer: NodeJS.Timeout | null = null;
  readonly doctors: DoctorList;
  #unlisten: (() => void) | null = null;

  constructor(readonly o: DoctorConsoleOptions) {
    this.doctors = o.doctors ?? new DoctorList(o.config.doctors);
    this.#view = {
      signedIn: false,
      doctor: null,
      ended: null,
      assisted: null,
      card: null,
      idleSeconds: o.config.idleSeconds,
    };
  }

  async start(): Promise<void> {
    const dir = join(this.o.dataDir, "doctor");
    const lockout = new Lockout({
      file: join(dir, "lockout.json"),
      baseMs: this.o.config.lockoutBaseSeconds * 1000,
      maxMs: this.o.config.lockoutMaxSeconds * 1000,
    });
    await lockout.open();
    const audit = new AuditLog({ dir, stationId: this.o.station.id, now: this.o.now });
    await audit.open();

    this.#audit = audit;
    const up = this.o.upload;
    if (up) {
      const u = new AuditUpload({
        log: audit,
        cursorFile: join(dir, "audit-sent.json"),
        county: this.o.station.countyId,
        stationId: this.o.station.id,
        publish: up.publish,
        now: this.o.now,
        logger: this.o.logger,
      });
      await u.start();
      up.onUp(() => u.kick());
      this.#auditUpload = u;
    }
    this.#signIn = new SignIn({
      doctors: () => this.doctors.all(),
      lockout,
      audit,
      now: this.o.now,
      idleMs: this.o.config.idleSeconds * 1000,
      onChange: (s, why) => this.#onSession(s, why),
    });
    this.#unlisten = this.doctors.onChange(() => {
      this.#logDoctors();
      this.#signIn?.doctorsChanged();
    });
    this.#publish({});
    this.#logDoctors();
  }

  #logDoctors(): void {
    const src = this.doctors.source;
    const from = src.kind === "pack" ? `county pack ${src.version}` : "config";
    this.o.logger.info(`doctor console: ${this.doctors.all().length} doctor(s) from ${from}`);
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.cardWait(false);
    this.#signIn?.stop();
    this.#auditUpload?.stop();
  }

  /** The last audit seq the county broker has taken (0 without upload). */
  get auditSentSeq(): number {
    return this.#auditUpload?.sentSeq ?? 0;
  }

  get signIn(): SignIn {
    if (!this.#signIn) throw new Error("doctor console not started");
    return this.#signIn;
  }

  get auditLog(): AuditLog {
    if (!this.#audit) throw new Error("doctor console not started");
    return this.#audit;
  }

  /** For other modules (lists, outcomes, export): durable before it resolves; ids only. */
  audit(event: AuditInput): Promise<unknown> {
    return this.auditLog.audit(event);
  }

  personKey(idNumber: string): string {
    return personKey(this.o.station.countyId, idNumber);
  }

  /** The current check-up's record id and person key, when it is this doctor's. */
  current(): { recordId: string; personKey: string } | null {
    const m = this.o.runtime.model;
    if (!("session" in m)) return null;
    return { recordId: m.session.recordId, personKey: this.personKey(m.session.person.idNumber) };
  }

  setAssisted(doctorId: string | null, sampleType: string | null): void {
    const st = sampleType as "fasting" | "random" | "postprandial" | null;
    this.o.runtime.setAssistedDay(doctorId ? { doctorId, sampleType: st } : null);
    this.#publish({ assisted: doctorId ? { sampleType } : null });
  }

  /** Card sign-in: for a short while the next card is checked against the doctors' ID hashes. */
  cardWait(on: boolean): void {
    if (this.#cardTimer) clearTimeout(this.#cardTimer);
    this.#cardTimer = null;
    if (!on) {
      this.o.runtime.setCardInterceptor(null);
      if (this.#view.card) this.#publish({ card: null });
      return;
    }
    this.#publish({ card: null });
    this.o.runtime.setCardInterceptor((card: CardRead) => {
      this.o.runtime.setCardInterceptor(null);
      void this.signIn
        .doctorForCard(card.idNumber)
        .then((d) => this.#publish({ card: d ? { doctorId: d.id, name: d.name } : { unknown: true } }));
      return true;
    });
    this.#cardTimer = setTimeout(() => this.cardWait(false), CARD_WAIT_MS);
    this.#cardTimer.unref?.();
  }

  #onSession(s: DoctorSession | null, why: DoctorSessionView["ended"] | "sign-in"): void {
    if (s) {
      this.cardWait(false);
      this.#publish({ signedIn: true, doctor: { id: s.doctorId, name: s.name }, ended: null, card: null });
      return;
    }
    this.setAssisted(null, null);
    // Nothing the doctor saw stays for the queue: a doctor's check-up still on screen goes too,
    // unless it is being saved (a finished check-up is never dropped).
    const m = this.o.runtime.model;
    if ("session" in m && m.session.assisted && m.step !== "saving")
      this.o.runtime.action({ type: "cancel" });
    this.#publish({ signedIn: false, doctor: null, ended: why === "sign-in" ? null : why, card: null });
  }

  #publish(patch: Partial<DoctorSessionView>): void {
    this.#view = { ...this.#view, ...patch };
    this.o.hub.publish("doctor/session", this.#view);
  }
}
