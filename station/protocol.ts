/**
 * The one message contract between the station server and the kiosk UI (WebSocket). Both sides
 * import it; the UI imports types only, the server validates every incoming message with zod.
 *
 * Server → UI: { topic, payload } where topic/payload pairs are `ServerMessage`. On connect the
 * server replays the current state of every topic, so a reloaded screen redraws at once.
 * UI → server: { topic: "action", payload: UiAction, transaction? } answered by an `ack` or an
 * `error` message carrying the same transaction.
 */
import { z } from "zod";
import { PersonName } from "./domain/names.js";
import { SAMPLE_TYPES } from "./domain/schema.js";
import type { HealthCard } from "./health-card/types.js";
import type { UploadStatus } from "./upload/status.js";

/** Strict: an unknown field is an error, as docs/sim-api.md promises. */
export const UiAction = z.discriminatedUnion("type", [
  /** identified: "this is me, start". */
  z.object({ type: z.literal("confirm") }).strict(),
  /** identified: "this is not me" — clear the screen at once. */
  z.object({ type: z.literal("not-me") }).strict(),
  z.object({ type: z.literal("consent"), accept: z.boolean() }).strict(),
  z.object({ type: z.literal("cancel") }).strict(),
  z.object({ type: z.literal("back") }).strict(),
  z.object({ type: z.literal("retry") }).strict(),
  /** bp rest: keep one reading; glucose: skip the test; bp done: go on. */
  z.object({ type: z.literal("skip") }).strict(),
  z.object({ type: z.literal("next") }).strict(),
  z.object({ type: z.literal("sample-type"), sampleType: z.enum(SAMPLE_TYPES) }).strict(),
  z.object({ type: z.literal("finish") }).strict(),
  z.object({ type: z.literal("print") }).strict(),
  /** The help button; `screen` names a kiosk-only screen (e.g. device-missing) it was pressed on. */
  z.object({ type: z.literal("help"), screen: z.string().max(40).optional() }).strict(),
  /** Manual identification by the village doctor when a card cannot be read. */
  z
    .object({
      type: z.literal("manual-id"),
      idNumber: z.string().min(1).max(32),
      name: PersonName.optional(),
    })
    .strict(),
  /** Any touch: keeps the session alive. */
  z.object({ type: z.literal("touch") }).strict(),
  /** identified or result: open the villager's health card (only with their own card on the reader). */
  z.object({ type: z.literal("health-card") }).strict(),
  /** health-card: print the health-card slip. */
  z.object({ type: z.literal("health-card-print") }).strict(),
]);
export type UiAction = z.infer<typeof UiAction>;

export const ClientMessage = z
  .object({
    topic: z.literal("action"),
    payload: UiAction,
    transaction: z.string().max(64).optional(),
  })
  .strict();
export type ClientMessage = z.infer<typeof ClientMessage>;

export interface TextView {
  zh: string;
  en: string;
}

export interface FaultView {
  code: string;
  message: TextView;
  retryable: boolean;
}

/** What a screen may show of a person. Never the full ID number, never the address. */
export interface PersonView {
  name: string;
  maskedId: string;
  sex: string;
  age: number;
  /** Roster categories; empty when not on the county roster. */
  categories: string[];
  onRoster: boolean;
  /** Free annual check-up applies (65+ or on the roster). */
  freeCheckup: boolean;
  doctor: { name: string; phone: string } | null;
  /** A signed-in doctor runs this check-up (assisted check-up day): the console shows its buttons. */
  assisted?: boolean;
}

export interface BpView {
  systolic: number;
  diastolic: number;
  pulse: number | null;
  unit: string;
  statusFlags: string[];
}

/** The villager's word for one measurement (station/workflow/verdict.ts, docs/assessment.md). */
export type Verdict = "normal" | "raised" | "high" | "danger";

export interface ResultVerdicts {
  bp: Verdict | null;
  glucose: Verdict | null;
  /** The glucose danger is a low value. */
  glucoseLow: boolean;
  overall: Verdict;
}

export interface ResultView {
  recordId: string;
  verdicts: ResultVerdicts;
  bp: { class: string; systolic: number; diastolic: number; readingsAveraged: number } | null;
  glucose: { class: string; mmolL: number; sampleType: string } | null;
  urgent: boolean;
  referralReasons: string[];
  villagerAction: TextView;
  doctorAlert: TextView | null;
  advice: Array<{ key: string; zh: string; en: string }>;
  followUpDue: string | null;
  faults: Array<{ code: string; message: string }>;
}

/**
 * The spoken prompt for a screen: a stable key, structured params (codes, numbers, dates) and the
 * filled text. One function (station/workflow/prompt.ts) derives it from the view, so the words
 * shown and the words spoken cannot drift apart.
 */
export interface PromptView {
  key: string;
  params: Record<string, string | number>;
  text: TextView;
}

/** Present on every published view: the inactivity warning and the screen's prompt. */
export interface ViewExtras {
  /** "还在吗？": the session ends at `until` unless someone touches the screen. */
  idle?: { until: string };
  prompt?: PromptView;
}

/** The screen steps; the card feature adds its own. */
export type ViewStep =
  | { step: "attract"; notice: FaultView | null }
  | { step: "identified"; person: PersonView; notice: FaultView | null }
  | { step: "consent"; person: PersonView }
  | {
      step: "bp";
      person: PersonView;
      phase: "ready" | "measuring" | "rest" | "fault" | "done";
      /** Readings so far in this check-up (1 or 2). */
      readings: BpView[];
      /** A second reading is being taken because the first was high. */
      repeat: boolean;
      restUntil: string | null;
      fault: FaultView | null;
    }
  | {
      step: "glucose";
      person: PersonView;
      phase: "sample-type" | "waiting" | "fault";
      sampleType: string | null;
      skippable: boolean;
      fault: FaultView | null;
    }
  | { step: "saving"; person: PersonView; error: FaultView | null }
  | {
      step: "result";
      person: PersonView;
      result: ResultView;
      print: "printing" | "printed" | "failed";
      printFault: FaultView | null;
    }
  | {
      step: "health-card";
      /** Null while loading. */
      card: HealthCard | null;
      error: FaultView | null;
      print: "printing" | "printed" | "failed" | null;
      printFault: FaultView | null;
      from: "identified" | "result";
    };

export type ViewState = ViewStep & ViewExtras;

export type DeviceName = "cardReader" | "bp" | "glucose" | "printer" | "peripherals";

export interface DeviceStatusView {
  state: "connected" | "disconnected" | "error";
  code?: string;
  detail?: string;
  since: string;
}

export interface StationInfoView {
  stationId: string;
  clinicName: string;
  doctor: { name: string; phone: string };
  version: string;
  /** Device mode: simulated devices show a banner so no one mistakes a demo for a check-up. */
  simulated: boolean;
}

/** The doctor's console (station/doctor): who is signed in, and whether a check-up day runs. */
export interface DoctorSessionView {
  signedIn: boolean;
  doctor: { id: string; name: string } | null;
  /** Why the last session ended; the kiosk leaves the doctor's screens at once. */
  ended: "sign-out" | "idle" | "replaced" | "stopped" | "removed" | null;
  assisted: { sampleType: string | null } | null;
  /** A doctor's own card was tapped on the card sign-in screen. */
  card: { doctorId: string; name: string } | { unknown: true } | null;
  idleSeconds: number;
}

/**
 * A variable part of a spoken prompt, filling a `{name}` placeholder in its text; the kiosk
 * speaks it from recorded part clips (ui/src/voice/compose.ts).
 */
export type VoiceParam =
  | { kind: "number"; value: number; decimals?: 0 | 1; unit?: "mmHg" | "mmolL" | "bpm" | "days" | "times" }
  | { kind: "verdict"; value: "normal" | "raised" | "high" | "danger" | "low" | "none" }
  | { kind: "date"; month: number; day: number };

export type VoiceView = { key: string; text: TextView; at: string; params?: Record<string, VoiceParam> };

/** Help requests waiting for a doctor (station/help). Shown on the status strip until cleared. */
export interface HelpStatusView {
  waiting: Array<{ id: string; at: string; step: string; screen: string; source: "screen" | "button" }>;
}

/** Free space of the data folder's disk against the reserve (station/disk). */
export interface DiskStatusView {
  freeMb: number;
  totalMb: number;
  reserveMb: number;
  /** Below the reserve: no new check-up starts. */
  low: boolean;
  checkedAt: string;
}

export interface TopicMap {
  "workflow/state": ViewState;
  "devices/status": Record<DeviceName, DeviceStatusView>;
  "station/info": StationInfoView;
  voice: VoiceView;
  "help/status": HelpStatusView;
  "disk/status": DiskStatusView;
  /** Store-and-forward upload to the county archive: connection, backlog, rejected records. */
  "upload/status": UploadStatus;
  "doctor/session": DoctorSessionView;
  ack: { transaction: string };
  error: { status: "error"; code: string; error: string; transaction?: string };
}

export type ServerMessage = { [K in keyof TopicMap]: { topic: K; payload: TopicMap[K] } }[keyof TopicMap];
