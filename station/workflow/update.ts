/**
 * The check-up workflow as a pure function: update(model, event, env) → {model, effects}.
 * attract → identified → consent → bp → glucose (skippable) → saving → result → attract.
 * No I/O here; the runtime's effect handler performs effects and feeds results back as events.
 */
import type { BpReading, Person } from "../domain/schema.js";
import type { UiAction } from "../protocol.js";
import type {
  Assisted,
  DoctorAction,
  Effect,
  Env,
  Event,
  Fault,
  Model,
  Session,
  Update,
  WorkflowDeps,
} from "./types.js";

type Result = { model: Model; effects: Effect[] };

export const ATTRACT: Model = { step: "attract", notice: null };

/** How long "还在吗？" shows before an idle session ends: 15 s, or half of a short timeout. */
export const warnMs = (deps: WorkflowDeps): number =>
  Math.min(deps.config.idleWarnMs ?? 15_000, Math.floor(deps.config.inactivityMs / 2));

/** Re-arms the idle timer; it first fires at the warning, then (untouched) ends the session. */
const keepAlive = (deps: WorkflowDeps): Effect => ({
  type: "set-timer",
  name: "inactivity",
  ms: deps.config.inactivityMs - warnMs(deps),
});

/** Back to the attract screen: every personal detail is dropped with the session. */
function toAttract(notice: Fault | null = null): Result {
  const effects: Effect[] = [{ type: "clear-all-timers" }, { type: "led", pattern: "ready" }];
  if (notice) effects.push({ type: "set-timer", name: "notice", ms: 15_000 });
  return { model: { step: "attract", notice }, effects };
}

function startSession(event: Extract<Event, { type: "identified" }>, env: Env, deps: WorkflowDeps): Result {
  const session: Session = {
    recordId: event.recordId,
    person: event.person,
    roster: event.roster,
    age: ageFromBirthDate(event.person.birthDate, env.today),
    operator: event.operator,
    startedAt: env.now,
    consentAt: null,
    bpReadings: [],
    glucose: null,
    sampleType: event.assisted?.sampleType ?? null,
    assisted: event.assisted
      ? {
          doctorId: event.assisted.doctorId,
          idEntryReason: event.assisted.idEntryReason,
          dangerSymptoms: [],
          manualReadings: [],
        }
      : null,
  };
  return {
    model: { step: "identified", session, notice: null },
    effects: [
      { type: "clear-all-timers" },
      keepAlive(deps),
      { type: "announce" },
      { type: "led", pattern: "busy" },
    ],
  };
}

export function ageFromBirthDate(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function samePerson(a: Person, b: Person): boolean {
  return a.idNumber === b.idNumber;
}

/** The first reading is high: repeat after a pause and average (Chinese Hypertension Guidelines 2018). */
function needsRepeat(r: BpReading, deps: WorkflowDeps): boolean {
  const mmHg = r.unit === "kPa" ? 7.50062 : 1;
  return (
    r.systolic * mmHg >= deps.config.bpRepeatAtSystolic ||
    r.diastolic * mmHg >= deps.config.bpRepeatAtDiastolic
  );
}

function toBp(session: Session, deps: WorkflowDeps): Result {
  return {
    model: { step: "bp", session, phase: "ready", fault: null, restUntil: null },
    effects: [keepAlive(deps), { type: "announce" }],
  };
}

function toGlucose(session: Session, deps: WorkflowDeps): Result {
  return {
    model: { step: "glucose", session, phase: session.sampleType ? "waiting" : "sample-type", fault: null },
    effects: [keepAlive(deps), { type: "announce" }],
  };
}

function toSaving(session: Session, env: Env, deps: WorkflowDeps): Result {
  const outcome = deps.assess(session, env);
  return {
    model: { step: "saving", session, outcome, error: null },
    // A finished check-up must not time out into oblivion: no inactivity timer while saving.
    effects: [
      { type: "clear-timer", name: "inactivity" },
      { type: "save", session, outcome },
    ],
  };
}

function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

function onUi(model: Model, action: UiAction, env: Env, deps: WorkflowDeps): Result {
  const ignore: Result = { model, effects: [] };
  if (action.type === "touch") {
    if (model.step === "attract" || model.step === "saving") return ignore;
    // Someone is still reading the result: it stays as long as they touch it.
    if (model.step === "result")
      return {
        model,
        effects: [
          keepAlive(deps),
          { type: "set-timer", name: "result", ms: deps.config.resultMs - warnMs(deps) },
        ],
      };
    return { model, effects: [keepAlive(deps)] };
  }
  if (action.type === "help") {
    const recordId = "session" in model ? model.session.recordId : null;
    return {
      model,
      effects: [
        { type: "alert-doctor", reason: "help", recordId },
        { type: "buzz", pattern: "prompt" },
      ],
    };
  }
  if (action.type === "cancel") return model.step === "saving" ? ignore : toAttract();
  if (action.type === "manual-id") return ignore; // resolved by the runtime into an "identified" event

  switch (model.step) {
    case "attract":
      return ignore;
    case "identified":
      if (action.type === "confirm")
        return {
          model: { step: "consent", session: model.session },
          effects: [keepAlive(deps), { type: "announce" }],
        };
      if (action.type === "not-me" || action.type === "back") return toAttract();
      return ignore;
    case "consent":
      if (action.type === "consent") {
        if (!action.accept) return toAttract();
        return toBp({ ...model.session, consentAt: env.now }, deps);
      }
      if (action.type === "back")
        return {
          model: { step: "identified", session: model.session, notice: null },
          effects: [keepAlive(deps)],
        };
      return ignore;
    case "bp": {
      const { session } = model;
      if (action.type === "retry" && (model.phase === "fault" || model.phase === "done"))
        return toBp({ ...session, bpReadings: model.phase === "done" ? [] : session.bpReadings }, deps);
      if (action.type === "skip" && model.phase === "rest")
        return {
          model: { ...model, phase: "done", restUntil: null },
          effects: [{ type: "clear-timer", name: "bp-rest" }, keepAlive(deps)],
        };
      if (action.type === "next" && model.phase === "done") return toGlucose(session, deps);
      if (action.type === "back" && session.bpReadings.length === 0 && model.phase !== "measuring")
        return { model: { step: "consent", session }, effects: [keepAlive(deps)] };
      return ignore;
    }
    case "glucose": {
      const { session } = model;
      if (action.type === "sample-type" && model.phase === "sample-type") {
        const next = { ...session, sampleType: action.sampleType };
        // A reading that arrived while the villager was answering is used at once.
        if (next.glucose)
          return toSaving(
            { ...next, glucose: { ...next.glucose, sampleType: action.sampleType } },
            env,
            deps,
          );
        return {
          model: { step: "glucose", session: next, phase: "waiting", fault: null },
          effects: [keepAlive(deps), { type: "announce" }],
        };
      }
      if (action.type === "skip" && deps.config.glucoseSkippable)
        return toSaving({ ...session, glucose: null }, env, deps);
      if (action.type === "retry" && model.phase === "fault")
        return {
          model: { ...model, phase: "waiting", fault: null },
          // The waiting screen is back: so is its prompt (the fault prompt said "try again").
          effects: [keepAlive(deps), { type: "announce" }],
        };
      if (action.type === "back") {
        if (model.phase !== "sample-type")
          return {
            model: {
              step: "glucose",
              session: { ...session, sampleType: null },
              phase: "sample-type",
              fault: null,
            },
            effects: [keepAlive(deps)],
          };
        return {
          model: { step: "bp", session, phase: "done", fault: null, restUntil: null },
          effects: [keepAlive(deps)],
        };
      }
      return ignore;
    }
    case "saving":
      if (action.type === "retry" && model.error)
        return {
          model: { ...model, error: null },
          effects: [
            { type: "clear-timer", name: "save-retry" },
            { type: "save", session: model.session, outcome: model.outcome },
          ],
        };
      return ignore;
    case "result":
      if (action.type === "finish") return toAttract();
      if (action.type === "print" && model.print !== "printing")
        return {
          model: { ...model, print: "printing", printFault: null },
          effects: [{ type: "print", session: model.session, outcome: model.outcome }, keepAlive(deps)],
        };
      return ignore;
    case "health-card":
      return ignore; // station/health-card/workflow.ts handles this step before update
  }
}

/** The doctor's actions on an assisted check-up; ignored on a villager's own session. */
function onDoctor(model: Model, action: DoctorAction, env: Env, deps: WorkflowDeps, update: Update): Result {
  const ignore: Result = { model, effects: [] };
  if (!("session" in model) || !model.session.assisted) return ignore;
  const { session } = model;
  const assisted = session.assisted as Assisted;
  switch (action.type) {
    case "verbal-consent":
      if (model.step !== "identified" && model.step !== "consent") return ignore;
      return toBp({ ...session, consentAt: env.now }, deps);
    case "danger-symptoms": {
      if (model.step === "saving" || model.step === "result") return ignore;
      const next = { ...session, assisted: { ...assisted, dangerSymptoms: [...new Set(action.codes)] } };
      return { model: { ...model, session: next } as Model, effects: [keepAlive(deps)] };
    }
    case "manual-bp": {
      if (model.step !== "bp" || model.phase === "rest" || model.phase === "done") return ignore;
      const manual = [
        ...assisted.manualReadings,
        { kind: "bp" as const, takenAt: action.reading.takenAt, reason: action.reason },
      ];
      const withReason: Model = {
        ...model,
        session: { ...session, assisted: { ...assisted, manualReadings: manual } },
      };
      return update(withReason, { type: "bp-reading", reading: action.reading }, env);
    }
    case "manual-glucose": {
      if (model.step !== "glucose") return ignore;
      const manual = [
        ...assisted.manualReadings,
        { kind: "glucose" as const, takenAt: action.reading.takenAt, reason: action.reason },
      ];
      const next = {
        ...session,
        sampleType: action.sampleType,
        assisted: { ...assisted, manualReadings: manual },
      };
      return toSaving({ ...next, glucose: action.reading }, env, deps);
    }
  }
}

export function createUpdate(deps: WorkflowDeps): Update {
  const inner = createInnerUpdate(deps);
  return (model, event, env) => {
    const r = inner(model, event, env);
    // Anything that re-arms the idle timer (a touch, a reading, a new step) takes the warning down.
    const warnTimer = event.type === "timer" && (event.name === "inactivity" || event.name === "result");
    if (
      !warnTimer &&
      r.model.idleUntil &&
      r.effects.some((e) => e.type === "set-timer" && e.name === "inactivity")
    ) {
      const m = { ...r.model };
      delete m.idleUntil;
      return { model: m, effects: r.effects };
    }
    return r;
  };
}

function createInnerUpdate(deps: WorkflowDeps): Update {
  // Named so the doctor's actions can run a reading through the same rules (onDoctor).
  const update: Update = (model, event, env) => {
    switch (event.type) {
      case "identified": {
        // A new card may start a session only when nobody's measurement would be lost.
        if (model.step === "attract" || model.step === "result" || model.step === "identified")
          return startSession(event, env, deps);
        if ("session" in model && samePerson(model.session.person, event.person))
          return { model, effects: [] };
        return { model, effects: [{ type: "buzz", pattern: "prompt" }] };
      }
      case "card-rejected":
        if (model.step !== "attract") return { model, effects: [] };
        return {
          model: { step: "attract", notice: event.fault },
          effects: [
            { type: "set-timer", name: "notice", ms: 15_000 },
            { type: "announce" },
            { type: "buzz", pattern: "prompt" },
          ],
        };
      case "ui":
        return onUi(model, event.action, env, deps);
      case "bp-measuring":
        if (model.step !== "bp" || (model.phase !== "ready" && model.phase !== "fault"))
          return { model, effects: [] };
        return { model: { ...model, phase: "measuring", fault: null }, effects: [keepAlive(deps)] };
      case "bp-reading": {
        if (model.step !== "bp" || model.phase === "rest" || model.phase === "done")
          return { model, effects: [] };
        const readings = [...model.session.bpReadings, event.reading];
        const session = { ...model.session, bpReadings: readings };
        if (readings.length === 1 && needsRepeat(event.reading, deps)) {
          const pause = deps.config.bpRepeatPauseMs;
          return {
            model: { step: "bp", session, phase: "rest", fault: null, restUntil: addMs(env.now, pause) },
            effects: [
              { type: "set-timer", name: "bp-rest", ms: pause },
              { type: "set-timer", name: "inactivity", ms: deps.config.inactivityMs - warnMs(deps) + pause },
              { type: "announce" },
            ],
          };
        }
        // A doctor's check-up goes straight on to glucose: no tap between devices.
        if (session.assisted) return toGlucose(session, deps);
        return {
          model: { step: "bp", session, phase: "done", fault: null, restUntil: null },
          effects: [keepAlive(deps)],
        };
      }
      case "doctor":
        return onDoctor(model, event.action, env, deps, update);
      case "bp-fault":
        if (model.step !== "bp" || model.phase === "done" || model.phase === "rest")
          return { model, effects: [] };
        return {
          model: { ...model, phase: "fault", fault: event.fault },
          effects: [keepAlive(deps), { type: "announce" }],
        };
      case "glucose-reading": {
        if (model.step !== "glucose") return { model, effects: [] };
        const { session } = model;
        if (session.sampleType)
          return toSaving(
            { ...session, glucose: { ...event.reading, sampleType: session.sampleType } },
            env,
            deps,
          );
        return {
          model: { ...model, session: { ...session, glucose: event.reading } },
          effects: [keepAlive(deps)],
        };
      }
      case "glucose-fault":
        if (model.step !== "glucose" || model.phase !== "waiting") return { model, effects: [] };
        return {
          model: { ...model, phase: "fault", fault: event.fault },
          effects: [keepAlive(deps), { type: "announce" }],
        };
      case "saved": {
        if (model.step !== "saving" || model.session.recordId !== event.recordId)
          return { model, effects: [] };
        const urgent = model.outcome.assessment.referral.urgent;
        const effects: Effect[] = [
          { type: "clear-timer", name: "save-retry" },
          { type: "set-timer", name: "result", ms: deps.config.resultMs - warnMs(deps) },
          { type: "print", session: model.session, outcome: model.outcome },
          // The words (verdicts, urgency) come from the result view: prompt.ts.
          { type: "announce" },
        ];
        if (urgent)
          effects.push(
            { type: "alert-doctor", reason: "urgent-referral", recordId: model.session.recordId },
            { type: "buzz", pattern: "alert" },
          );
        return {
          model: {
            step: "result",
            session: model.session,
            outcome: model.outcome,
            print: "printing",
            printFault: null,
          },
          effects,
        };
      }
      case "save-failed":
        if (model.step !== "saving") return { model, effects: [] };
        // Keep the finished check-up on screen and in memory; retry by itself and call the doctor.
        return {
          model: { ...model, error: event.fault },
          effects: [
            { type: "set-timer", name: "save-retry", ms: deps.config.saveRetryMs },
            { type: "announce" },
            { type: "led", pattern: "fault" },
            { type: "alert-doctor", reason: "save-failed", recordId: model.session.recordId },
          ],
        };
      case "printed":
        if (model.step !== "result") return { model, effects: [] };
        return { model: { ...model, print: "printed", printFault: null }, effects: [] };
      case "print-failed":
        if (model.step !== "result") return { model, effects: [] };
        return { model: { ...model, print: "failed", printFault: event.fault }, effects: [] };
      case "timer":
        return onTimer(model, event.name, env, deps);
      case "card-removed":
      case "health-card-ready":
      case "health-card-failed":
        return { model, effects: [] }; // station/health-card/workflow.ts acts on these
    }
  };
  return update;
}

function onTimer(
  model: Model,
  name: Event & { type: "timer" } extends { name: infer N } ? N : never,
  env: Env,
  deps: WorkflowDeps,
): Result {
  switch (name) {
    case "inactivity":
    case "result": {
      // Never drop a finished but unsaved check-up.
      if (model.step === "saving" || model.step === "attract") return { model, effects: [] };
      if (model.idleUntil) return toAttract();
      // Warn first: "还在吗？" with a countdown; a touch (keepAlive) takes it down.
      const ms = warnMs(deps);
      return {
        model: { ...model, idleUntil: addMs(env.now, ms) },
        effects: [
          { type: "set-timer", name, ms },
          // Only this timer may end the warning: the other one could cut its 15 s short.
          { type: "clear-timer", name: name === "inactivity" ? "result" : "inactivity" },
          { type: "announce" },
          { type: "buzz", pattern: "prompt" },
        ],
      };
    }
    case "notice":
      if (model.step === "attract" && model.notice)
        return { model: { step: "attract", notice: null }, effects: [] };
      return { model, effects: [] };
    case "bp-rest":
      if (model.step !== "bp" || model.phase !== "rest") return { model, effects: [] };
      return {
        model: { ...model, phase: "ready", restUntil: null },
        effects: [keepAlive(deps), { type: "announce" }, { type: "buzz", pattern: "prompt" }],
      };
    case "save-retry":
      if (model.step !== "saving" || !model.error) return { model, effects: [] };
      return {
        model: { ...model, error: null },
        effects: [{ type: "save", session: model.session, outcome: model.outcome }],
      };
  }
}
