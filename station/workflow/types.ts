/**
 * Check-up workflow: model, events and effects as discriminated unions. `update` (update.ts) is
 * pure; the effect handler (station/runtime) does all I/O and feeds results back as events.
 */
import type {
  Assessment,
  BpReading,
  GlucoseReading,
  Operator,
  Person,
  RosterEntry,
  SampleType,
} from "../domain/schema.js";
import type { HealthCard } from "../health-card/types.js";
import type { UiAction } from "../protocol.js";

export interface Text {
  zh: string;
  en: string;
}

export interface Fault {
  code: string;
  message: Text;
  retryable: boolean;
}

export interface AdviceItem {
  key: string;
  zh: string;
  en: string;
}

/** What the assessment module returns for a finished check-up. */
export interface AssessmentOutcome {
  assessment: Assessment;
  faults: Array<{ code: string; message: string }>;
  villagerAction: Text;
  doctorAlert: Text | null;
  advice: AdviceItem[];
}

/** A check-up run by a signed-in doctor on an assisted check-up day (station/doctor). */
export interface Assisted {
  doctorId: string;
  /** Why the ID was typed instead of read from the card; null for a card. */
  idEntryReason: string | null;
  dangerSymptoms: string[];
  /** Readings the doctor typed because a device failed, with the reason. */
  manualReadings: Array<{ kind: "bp" | "glucose"; takenAt: string; reason: string }>;
}

export interface Session {
  recordId: string;
  person: Person;
  roster: RosterEntry | null;
  age: number;
  operator: Operator;
  startedAt: string;
  consentAt: string | null;
  bpReadings: BpReading[];
  glucose: GlucoseReading | null;
  /** Glucose sample type the villager chose; a meter's own meal flag does not override it. */
  sampleType: SampleType | null;
  /** Null on the self-service path. */
  assisted: Assisted | null;
  /** The person's own card is on the reader now (self-service card read, not lifted since). */
  cardOnReader?: boolean;
}

export type BpPhase = "ready" | "measuring" | "rest" | "fault" | "done";
export type GlucosePhase = "sample-type" | "waiting" | "fault";
export type PrintState = "printing" | "printed" | "failed";

export type ModelStep =
  | { step: "attract"; notice: Fault | null }
  | { step: "identified"; session: Session; notice: Fault | null }
  | { step: "consent"; session: Session }
  | { step: "bp"; session: Session; phase: BpPhase; fault: Fault | null; restUntil: string | null }
  | { step: "glucose"; session: Session; phase: GlucosePhase; fault: Fault | null }
  | { step: "saving"; session: Session; outcome: AssessmentOutcome; error: Fault | null }
  | {
      step: "result";
      session: Session;
      outcome: AssessmentOutcome;
      print: PrintState;
      printFault: Fault | null;
    }
  | HealthCardModel;

/** The villager's own health card (station/health-card); `resume` is where "back" returns to. */
export interface HealthCardModel {
  step: "health-card";
  session: Session;
  resume: Extract<ModelStep, { step: "identified" | "result" }>;
  card: HealthCard | null;
  error: Fault | null;
  print: PrintState | null;
  printFault: Fault | null;
}

/** `idleUntil`: the "还在吗？" warning is up and the session ends then unless touched. */
export type Model = ModelStep & { idleUntil?: string };

export type StepName = Model["step"];

export type TimerName = "inactivity" | "bp-rest" | "result" | "save-retry" | "notice";

export type Event =
  /** A person was identified (card or manual entry), validated and looked up by the handler. */
  | {
      type: "identified";
      person: Person;
      roster: RosterEntry | null;
      recordId: string;
      operator: Operator;
      /** Set when a signed-in doctor runs the check-up; sampleType is the day's default. */
      assisted?: { doctorId: string; idEntryReason: string | null; sampleType: SampleType | null };
    }
  /** From the doctor's console only (station/doctor checks the session); never from the kiosk's UiAction path. */
  | { type: "doctor"; action: DoctorAction }
  /** A card was presented but cannot be used (invalid, expired, unreadable). */
  | { type: "card-rejected"; fault: Fault }
  | { type: "ui"; action: UiAction }
  | { type: "bp-measuring" }
  | { type: "bp-reading"; reading: BpReading }
  | { type: "bp-fault"; fault: Fault }
  | { type: "glucose-reading"; reading: GlucoseReading }
  | { type: "glucose-fault"; fault: Fault }
  | { type: "timer"; name: TimerName }
  | { type: "saved"; recordId: string }
  | { type: "save-failed"; fault: Fault }
  | { type: "printed" }
  | { type: "print-failed"; fault: Fault }
  /** The card reader no longer finds the card it read (lifted). */
  | { type: "card-removed" }
  | { type: "health-card-ready"; recordId: string; card: HealthCard }
  | { type: "health-card-failed"; recordId: string; fault: Fault };

export type DoctorAction =
  /** The villager agreed aloud; the doctor records it and the measurement starts. */
  | { type: "verbal-consent" }
  | { type: "danger-symptoms"; codes: string[] }
  /** A reading the doctor typed (already checked for plausibility by the caller). */
  | { type: "manual-bp"; reading: BpReading; reason: string }
  | { type: "manual-glucose"; reading: GlucoseReading; sampleType: SampleType; reason: string };

/** Prompt keys; texts in voice.ts, chosen from the view by prompt.ts. */
export type VoiceKey =
  | BaseVoiceKey
  | `bp-fault-${string}`
  | `glucose-fault-${string}`
  | `card-rejected-${string}`
  | `device-problem-${string}`;

export type BaseVoiceKey =
  | "welcome"
  | "confirm-identity"
  | "consent"
  | "bp-ready"
  | "bp-ready-repeat"
  | "bp-measuring"
  | "bp-repeat"
  | "bp-repeat-very-high"
  | "bp-fault"
  | "bp-done"
  | "glucose-sample-type"
  | "glucose-ready"
  | "glucose-fault"
  | "saving"
  | "result-normal"
  | "result-raised"
  | "result-high"
  | "result-urgent"
  | "result-urgent-low"
  | "save-failed"
  | "card-rejected"
  | "help-called"
  | "still-there"
  | "goodbye"
  | "health-card-loading"
  | "health-card-open"
  | "health-card-bp-better"
  | "health-card-bp-same"
  | "health-card-bp-worse"
  | "health-card-bp-other"
  | "health-card-glucose-better"
  | "health-card-glucose-same"
  | "health-card-glucose-worse"
  | "health-card-glucose-other"
  | "health-card-due"
  | "health-card-needs-card";

export type Effect =
  | { type: "set-timer"; name: TimerName; ms: number }
  | { type: "clear-timer"; name: TimerName }
  | { type: "clear-all-timers" }
  | { type: "save"; session: Session; outcome: AssessmentOutcome }
  | { type: "print"; session: Session; outcome: AssessmentOutcome }
  /** Speak the current screen's prompt again (the key comes from the view: prompt.ts). */
  | { type: "announce" }
  | { type: "load-health-card"; session: Session }
  | { type: "print-health-card"; session: Session; card: HealthCard }
  | { type: "buzz"; pattern: "prompt" | "alert" }
  | { type: "led"; pattern: "ready" | "busy" | "fault" }
  | { type: "alert-doctor"; reason: "urgent-referral" | "help" | "save-failed"; recordId: string | null };

export interface Env {
  /** Wall time of the event, ISO 8601 with offset. */
  now: string;
  /** Local calendar date in the station's time zone. */
  today: string;
}

export interface WorkflowConfig {
  inactivityMs: number;
  bpRepeatPauseMs: number;
  bpRepeatAtSystolic: number;
  bpRepeatAtDiastolic: number;
  glucoseSkippable: boolean;
  resultMs: number;
  saveRetryMs: number;
  /** "还在吗？" shows this long before an idle session ends (default 15 s). */
  idleWarnMs?: number;
}

export interface WorkflowDeps {
  config: WorkflowConfig;
  /** Pure assessment of a finished session (station/assessment). */
  assess(session: Session, env: Env): AssessmentOutcome;
}

export type Update = (model: Model, event: Event, env: Env) => { model: Model; effects: Effect[] };
