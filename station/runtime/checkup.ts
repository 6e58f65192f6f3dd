/**
 * Runs the pure workflow: feeds device and UI events into `update`, performs the effects
 * (timers, durable save, printing, voice, LEDs) and publishes the screen view on the hub.
 * The constructor does nothing; start() wires devices, stop() unwires and clears timers.
 */
import { v7 as uuidv7 } from "uuid";
import type { CardRead, DeviceSet, Slip } from "../../drivers/types.js";
import type { CheckupRecord, Operator, Person, RosterEntry, SampleType } from "../domain/schema.js";
import type { HealthCard } from "../health-card/types.js";
import { healthCardRefusal } from "../health-card/workflow.js";
import type { PromptView, UiAction } from "../protocol.js";
import type { Roster } from "../roster/roster.js";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { prompt, promptFor, voiceParams } from "../workflow/prompt.js";
import { buildRecord, CLOCK_FLOOR } from "../workflow/record.js";
import { buildSlip } from "../workflow/slip.js";
import type {
  DoctorAction,
  Effect,
  Env,
  Event,
  Fault,
  Model,
  Session,
  TimerName,
  Update,
  WorkflowConfig,
} from "../workflow/types.js";
import { ATTRACT } from "../workflow/update.js";
import { toView } from "../workflow/view.js";
import { type Clock, localDate, localDateTime } from "./clock.js";
import { bpRetryFault, faultFor } from "./fault-text.js";
import type { Hub } from "./hub.js";
import { identifyFromCard, identifyManual, normaliseIdNumber } from "./identify.js";

/** The part of the record store the check-up needs. */
export interface RecordSink {
  nextSeq(): Promise<number>;
  save(record: CheckupRecord): Promise<void>;
}

export interface CheckupRuntimeOptions {
  update: Update;
  config: WorkflowConfig;
  station: { id: string; clinicName: string; timezone: string; doctor: { name: string; phone: string } };
  devices: DeviceSet;
  store: RecordSink;
  roster: Roster;
  hub: Hub;
  clock: Clock;
  logger: Logger;
  /**
   * Whether the wall clock is trusted now (station/timekeeping). Asked for every card and every
   * record, so a corrected clock stops flagging at once. Default: only a clock before the release.
   */
  clockCheck?: () => { suspect: boolean };
  /** Called after a record is durably saved (the uploader picks it up from the outbox). */
  onSaved?: (record: CheckupRecord) => void;
  /** A villager asked for help (screen button or the physical one): keep a durable request. */
  onHelp?: (req: HelpCall) => void;
  /** Whether a new check-up may start (station/disk's reserve); the refusal shown otherwise. */
  admit?: () => Fault | null;
  /** The health card (station/health-card); without it the card cannot be opened. */
  healthCard?: HealthCardPort;
}

/** What the runtime needs of the health card module. */
export interface HealthCardPort {
  load(session: Session, today: string): Promise<HealthCard>;
  slip(
    session: Session,
    card: HealthCard,
    ctx: { clinicName: string; stationId: string; localTime: string },
  ): Slip;
}

export interface HelpCall {
  step: string;
  screen: string;
  recordId: string | null;
  source: "screen" | "button";
}

const SAVE_FAULTS: Record<string, Fault["message"]> = {
  "disk-full": {
    zh: "存储空间已满，结果未保存。请找医生。",
    en: "Storage is full; the result is not saved. Please call the doctor.",
  },
  "disk-readonly": {
    zh: "存储卡只读，结果未保存。请找医生。",
    en: "Storage is read-only; the result is not saved. Please call the doctor.",
  },
};

export class CheckupRuntime {
  #model: Model = ATTRACT;
  readonly #timers = new Map<TimerName, NodeJS.Timeout>();
  readonly #unwire: Array<() => void> = [];
  #running = false;
  #assistedDay: { doctorId: string; sampleType: SampleType | null } | null = null;
  #cardInterceptor: ((card: CardRead) => boolean) | null = null;
  /** The prompt last published with the view; a new one is spoken at once. */
  #prompt: PromptView | null = null;
  #spokeThisDispatch = false;

  constructor(private readonly o: CheckupRuntimeOptions) {}

  get model(): Model {
    return this.#model;
  }

  #clockSuspect(): boolean {
    return this.o.clockCheck ? this.o.clockCheck().suspect : this.o.clock.now() < CLOCK_FLOOR;
  }

  start(): void {
    const { devices: d } = this.o;
    this.#running = true;
    this.#on(d.cardReader, "card", (card) => {
      if (this.#cardInterceptor?.(card)) return;
      const r = identifyFromCard(card, this.#env().today, this.#clockSuspect());
      if (!r.ok) return this.dispatch({ type: "card-rejected", fault: r.fault });
      const refused = this.#model.step === "attract" ? (this.o.admit?.() ?? null) : null;
      if (refused) return this.dispatch({ type: "card-rejected", fault: refused });
      const day = this.#assistedDay;
      this.#identified(
        r.person,
        this.o.roster.get(r.person.idNumber),
        day ? { kind: "doctor", doctorId: day.doctorId } : { kind: "self" },
        day ? { doctorId: day.doctorId, idEntryReason: null, sampleType: day.sampleType } : undefined,
      );
    });
    this.#on(d.cardReader, "removed", () => this.dispatch({ type: "card-removed" }));
    this.#on(d.cardReader, "fault", (f) =>
      this.dispatch({ type: "card-rejected", fault: faultFor("card-reader", f) }),
    );
    this.#on(d.bp, "measuring", () => this.dispatch({ type: "bp-measuring" }));
    this.#on(d.bp, "reading", (reading) => {
      const retry = bpRetryFault(reading);
      this.dispatch(retry ? { type: "bp-fault", fault: retry } : { type: "bp-reading", reading });
    });
    this.#on(d.bp, "fault", (f) => this.dispatch({ type: "bp-fault", fault: faultFor("bp", f) }));
    this.#on(d.glucose, "reading", (reading) => this.dispatch({ type: "glucose-reading", reading }));
    this.#on(d.glucose, "fault", (f) =>
      this.dispatch({ type: "glucose-fault", fault: faultFor("glucose", f) }),
    );
    this.#on(d.peripherals, "help", () => this.#help("button"));
    this.#publish();
    this.#perform({ type: "led", pattern: "ready" });
  }

  stop(): void {
    this.#running = false;
    for (const off of this.#unwire.splice(0)) off();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  /** A UI action from the kiosk's self-service path, validated by the caller. */
  action(action: UiAction): void {
    // Typing an ID number is a doctor's act: it goes through the doctor's console (station/doctor).
    if (action.type === "manual-id")
      throw new StationError(
        "doctor-required",
        "手动登记需要医生登录 / manual ID entry needs a signed-in doctor",
      );
    if (action.type === "help") {
      this.#help("screen", action.screen);
      return;
    }
    if (action.type === "health-card") {
      // Enforced here and again in the pure update: a typed-in ID never opens a health card.
      const refusal = this.o.healthCard
        ? healthCardRefusal(this.#model)
        : { code: "health-card-off", message: { zh: "健康档案未启用", en: "health card is not enabled" } };
      if (refusal)
        throw new StationError(refusal.code, `${refusal.message.zh} / ${refusal.message.en}`, refusal);
    }
    this.dispatch({ type: "ui", action });
  }

  /**
   * Manual ID entry by a signed-in doctor (the caller checked the session and the reason).
   * Returns the person's ID number so the caller can audit it by key; the fault is thrown.
   */
  manualId(
    idNumber: string,
    name: string | undefined,
    by: { doctorId: string; idEntryReason: string; sampleType: SampleType | null },
  ): Person {
    const today = this.#env().today;
    // The roster is keyed by the normalised number (an IME may type full-width digits or "x").
    const roster = this.o.roster.get(normaliseIdNumber(idNumber));
    const r = identifyManual(idNumber, name, roster, today, this.#clockSuspect());
    // Both languages: the doctor console shows the one the doctor reads (pickLang).
    if (!r.ok) throw new StationError(r.fault.code, `${r.fault.message.zh} / ${r.fault.message.en}`, r.fault);
    const refused = this.o.admit?.() ?? null;
    if (refused) throw new StationError(refused.code, refused.message.zh, refused);
    if (this.#model.step !== "attract" && this.#model.step !== "result")
      throw new StationError(
        "session-active",
        "请先完成或取消当前检查 / finish or cancel the current check-up first",
      );
    this.#identified(r.person, roster, { kind: "doctor", doctorId: by.doctorId }, by);
    return r.person;
  }

  /** An action from the doctor's console; the caller has checked the session. */
  doctorAction(action: DoctorAction): void {
    this.dispatch({ type: "doctor", action });
  }

  /** While set, card taps identify villagers for this doctor's assisted check-up day. */
  setAssistedDay(day: { doctorId: string; sampleType: SampleType | null } | null): void {
    this.#assistedDay = day;
  }

  /** While set, a card goes here first; returning true consumes it (doctor sign-in by card). */
  setCardInterceptor(fn: ((card: CardRead) => boolean) | null): void {
    this.#cardInterceptor = fn;
  }

  dispatch(event: Event): void {
    if (!this.#running) return;
    const env = this.#env();
    const { model, effects } = this.o.update(this.#model, event, env);
    const changed = model !== this.#model;
    this.#model = model;
    this.#spokeThisDispatch = false;
    if (changed) this.#publish();
    for (const e of effects) this.#perform(e);
  }

  /** Help is answered at once on screen and by voice; the request itself is kept durably. */
  #help(source: "screen" | "button", screen?: string): void {
    if (!this.#running) return;
    const m = this.#model;
    const call: HelpCall = {
      step: m.step,
      screen: screen ?? ("phase" in m ? `${m.step}:${m.phase}` : m.step),
      recordId: "session" in m ? m.session.recordId : null,
      source,
    };
    this.dispatch({ type: "ui", action: { type: "help" } });
    this.#speak(prompt("help-called"));
    this.o.onHelp?.(call);
  }

  #speak(p: PromptView): void {
    this.#spokeThisDispatch = true;
    const params = voiceParams(p);
    this.o.hub.publish("voice", {
      key: p.key,
      text: p.text,
      at: this.#env().now,
      ...(params ? { params } : {}),
    });
  }

  #identified(
    person: Person,
    roster: RosterEntry | null,
    operator: Operator,
    assisted?: Extract<Event, { type: "identified" }>["assisted"],
  ): void {
    this.dispatch({
      type: "identified",
      person,
      roster,
      recordId: uuidv7({ msecs: this.o.clock.now() }),
      operator,
      ...(assisted ? { assisted } : {}),
    });
  }

  #on<E extends { on: (ev: never, fn: never) => unknown; off: (ev: never, fn: never) => unknown }>(
    emitter: E,
    event: string,
    fn: (...args: never[]) => void,
  ): void {
    const on = emitter.on as unknown as (e: string, f: (...a: never[]) => void) => void;
    const off = emitter.off as unknown as (e: string, f: (...a: never[]) => void) => void;
    on.call(emitter, event, fn);
    this.#unwire.push(() => off.call(emitter, event, fn));
  }

  #env(): Env {
    const ms = this.o.clock.now();
    return { now: new Date(ms).toISOString(), today: localDate(ms, this.o.station.timezone) };
  }

  #publish(): void {
    const view = toView(this.#model, { glucoseSkippable: this.o.config.glucoseSkippable });
    const p = promptFor(view);
    this.o.hub.publish("workflow/state", { ...view, prompt: p });
    const last = this.#prompt;
    this.#prompt = p;
    // Spoken from the same prompt the screen shows; only when it changed, so a replay is silent.
    // "正在保存" is not spoken: a save takes milliseconds and the result's prompt would cut it
    // off. A save that fails is spoken (save-failed).
    const changed = last && (last.key !== p.key || JSON.stringify(last.params) !== JSON.stringify(p.params));
    if (changed && p.key !== "saving") this.#speak(p);
  }

  #perform(e: Effect): void {
    switch (e.type) {
      case "set-timer": {
        clearTimeout(this.#timers.get(e.name));
        const t = setTimeout(() => {
          this.#timers.delete(e.name);
          this.dispatch({ type: "timer", name: e.name });
        }, e.ms);
        t.unref?.();
        this.#timers.set(e.name, t);
        return;
      }
      case "clear-timer":
        clearTimeout(this.#timers.get(e.name));
        this.#timers.delete(e.name);
        return;
      case "clear-all-timers":
        for (const t of this.#timers.values()) clearTimeout(t);
        this.#timers.clear();
        return;
      case "save":
        void this.#save(e);
        return;
      case "print":
        void this.#print(e);
        return;
      case "announce":
        if (!this.#spokeThisDispatch && this.#prompt) this.#speak(this.#prompt);
        return;
      case "load-health-card":
        void this.#loadHealthCard(e.session);
        return;
      case "print-health-card":
        void this.#printHealthCard(e.session, e.card);
        return;
      case "buzz":
        this.o.devices.peripherals.buzz(e.pattern);
        return;
      case "led":
        this.o.devices.peripherals.led(e.pattern);
        return;
      case "alert-doctor": {
        // The referral text goes to the doctor (and the slip), never to the villager's screen.
        const m = this.#model;
        const text = e.reason === "urgent-referral" && "outcome" in m ? m.outcome.doctorAlert?.zh : undefined;
        this.o.logger.warn(
          `doctor alert: ${e.reason}${e.recordId ? ` (record ${e.recordId})` : ""}${text ? `: ${text}` : ""}`,
        );
        return;
      }
    }
  }

  async #save(e: Extract<Effect, { type: "save" }>): Promise<void> {
    const nowMs = this.o.clock.now();
    try {
      const seq = await this.o.store.nextSeq();
      const record = buildRecord(e.session, e.outcome, {
        stationId: this.o.station.id,
        seq,
        createdAt: new Date(nowMs).toISOString(),
        clockSuspect: this.#clockSuspect(),
      });
      if (record.clockSuspect)
        this.o.logger.warn(`wall clock looks wrong (${record.createdAt}); record ${record.id} flagged`);
      await this.o.store.save(record);
      this.o.logger.info(`saved record ${record.id} seq ${seq}`);
      this.dispatch({ type: "saved", recordId: record.id });
      this.o.onSaved?.(record);
    } catch (err) {
      const code = err instanceof StationError ? err.code : "save-failed";
      this.o.logger.error(`saving record ${e.session.recordId} failed (${code})`, err);
      this.dispatch({
        type: "save-failed",
        fault: {
          code,
          message: SAVE_FAULTS[code] ?? {
            zh: "结果保存失败，正在重试。请找医生。",
            en: "Saving failed; retrying. Please call the doctor.",
          },
          retryable: true,
        },
      });
    }
  }

  async #loadHealthCard(session: Session): Promise<void> {
    const port = this.o.healthCard;
    if (!port) return;
    try {
      const card = await port.load(session, this.#env().today);
      this.dispatch({ type: "health-card-ready", recordId: session.recordId, card });
    } catch (err) {
      this.o.logger.error("loading the health card failed", err);
      this.dispatch({
        type: "health-card-failed",
        recordId: session.recordId,
        fault: {
          code: "health-card-failed",
          message: {
            zh: "健康档案打不开，请找医生。",
            en: "The health card could not be opened. Please ask the doctor.",
          },
          retryable: false,
        },
      });
    }
  }

  async #printHealthCard(session: Session, card: HealthCard): Promise<void> {
    const { station } = this.o;
    const port = this.o.healthCard;
    if (!port) return;
    try {
      await this.o.devices.printer.print(
        port.slip(session, card, {
          clinicName: station.clinicName,
          stationId: station.id,
          localTime: localDateTime(this.o.clock.now(), station.timezone),
        }),
      );
      this.dispatch({ type: "printed" });
    } catch (err) {
      const code = (err as { code?: string }).code ?? "print-failed";
      this.o.logger.warn(`printing the health card failed (${code})`, err);
      this.dispatch({
        type: "print-failed",
        fault: {
          code,
          message: { zh: "打印失败，请找医生。", en: "Printing failed. Please ask the doctor." },
          retryable: true,
        },
      });
    }
  }

  async #print(e: Extract<Effect, { type: "print" }>): Promise<void> {
    const { station } = this.o;
    const doctor = e.session.roster?.doctor ?? station.doctor;
    try {
      await this.o.devices.printer.print(
        buildSlip(e.session, e.outcome, {
          clinicName: station.clinicName,
          stationId: station.id,
          localTime: localDateTime(this.o.clock.now(), station.timezone),
          doctor,
        }),
      );
      this.dispatch({ type: "printed" });
    } catch (err) {
      const code = (err as { code?: string }).code ?? "print-failed";
      this.o.logger.warn(`printing failed (${code})`, err);
      const message =
        code === "paper-out"
          ? { zh: "打印机没纸了，请找医生换纸。", en: "The printer is out of paper. Please ask the doctor." }
          : {
              zh: "打印失败，结果已保存，可以找医生重新打印。",
              en: "Printing failed. The result is saved; the doctor can reprint it.",
            };
      this.dispatch({ type: "print-failed", fault: { code, message, retryable: true } });
    }
  }
}
