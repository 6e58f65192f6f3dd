/**
 * The health card's steps, wrapped around the check-up's pure update (station/workflow): it
 * opens only for the person whose own card is on the reader, and closes (dropping every detail)
 * when that card is lifted or on inactivity. Pure, like update.
 */
import type {
  Effect,
  Env,
  Event,
  Fault,
  HealthCardModel,
  Model,
  Update,
  WorkflowDeps,
} from "../workflow/types.js";
import { ATTRACT } from "../workflow/update.js";

type Result = { model: Model; effects: Effect[] };

export const NEEDS_OWN_CARD: Fault = {
  code: "health-card-needs-card",
  message: {
    zh: "请把您自己的身份证放在读卡器上，才能查看健康档案。",
    en: "Place your own ID card on the reader to open your health card.",
  },
  retryable: true,
};

/**
 * Null when the current model may open the health card. Only a self-service session started
 * by a card read, with that card still on the reader; never a manual (doctor-typed) ID.
 */
export function healthCardRefusal(model: Model): Fault | null {
  if (model.step !== "identified" && model.step !== "result") return NEEDS_OWN_CARD;
  const s = model.session;
  if (s.person.source !== "card" || s.operator.kind !== "self" || s.cardOnReader !== true)
    return NEEDS_OWN_CARD;
  return null;
}

function close(): Result {
  return { model: ATTRACT, effects: [{ type: "clear-all-timers" }, { type: "led", pattern: "ready" }] };
}

function open(model: Model, deps: WorkflowDeps): Result {
  if (model.step !== "identified" && model.step !== "result") return { model, effects: [] };
  if (healthCardRefusal(model))
    return model.step === "identified"
      ? {
          model: { ...model, notice: NEEDS_OWN_CARD },
          effects: [{ type: "buzz", pattern: "prompt" }],
        }
      : { model, effects: [{ type: "buzz", pattern: "prompt" }] };
  const next: HealthCardModel = {
    step: "health-card",
    session: model.session,
    resume: model.step === "identified" ? { ...model, notice: null } : model,
    card: null,
    error: null,
    print: null,
    printFault: null,
  };
  return {
    model: next,
    effects: [
      { type: "clear-timer", name: "result" },
      { type: "set-timer", name: "inactivity", ms: deps.config.inactivityMs },
      { type: "load-health-card", session: model.session },
    ],
  };
}

function back(m: HealthCardModel, deps: WorkflowDeps): Result {
  const r = m.resume;
  // Keep what this session learned about the card since (it may have been lifted and replaced).
  const session = { ...r.session, cardOnReader: m.session.cardOnReader };
  if (r.step === "result")
    return {
      model: { ...r, session },
      effects: [
        { type: "clear-timer", name: "inactivity" },
        { type: "set-timer", name: "result", ms: deps.config.resultMs },
      ],
    };
  return {
    model: { ...r, session },
    effects: [{ type: "set-timer", name: "inactivity", ms: deps.config.inactivityMs }],
  };
}

function inCard(m: HealthCardModel, event: Event, deps: WorkflowDeps): Result | null {
  const keepAlive: Effect = { type: "set-timer", name: "inactivity", ms: deps.config.inactivityMs };
  switch (event.type) {
    case "health-card-ready": {
      if (event.recordId !== m.session.recordId) return { model: m, effects: [] };
      // The view's prompt (prompt.ts) is the card's first page, so voice and screen agree.
      return {
        model: { ...m, card: event.card, error: null },
        effects: [{ type: "announce" }],
      };
    }
    case "health-card-failed":
      if (event.recordId !== m.session.recordId) return { model: m, effects: [] };
      return { model: { ...m, error: event.fault }, effects: [] };
    case "printed":
      return { model: { ...m, print: "printed", printFault: null }, effects: [] };
    case "print-failed":
      return { model: { ...m, print: "failed", printFault: event.fault }, effects: [] };
    case "ui": {
      const a = event.action;
      if (a.type === "back") return back(m, deps);
      if (a.type === "health-card-print" && m.card && m.print !== "printing")
        return {
          model: { ...m, print: "printing", printFault: null },
          effects: [{ type: "print-health-card", session: m.session, card: m.card }, keepAlive],
        };
      if (a.type === "touch" || a.type === "help" || a.type === "cancel") return null;
      return { model: m, effects: [] };
    }
    default:
      return null; // timers, a new card, device events: the check-up's update decides
  }
}

/** The check-up's update with the health card's steps around it. */
export function withHealthCard(base: Update, deps: WorkflowDeps): Update {
  return (model, event, env: Env) => {
    if (event.type === "card-removed") {
      if (model.step === "health-card") return close();
      if ("session" in model && model.session.cardOnReader)
        return { model: { ...model, session: { ...model.session, cardOnReader: false } }, effects: [] };
      return { model, effects: [] };
    }
    if (event.type === "ui" && event.action.type === "health-card") return open(model, deps);
    if (model.step === "health-card") {
      const r = inCard(model, event, deps);
      if (r) return r;
    }
    const r = base(model, event, env);
    if (event.type === "identified" && "session" in r.model) {
      const s = r.model.session;
      if (s.person.idNumber === event.person.idNumber) {
        const onReader = event.operator.kind === "self" && event.person.source === "card";
        if (s.cardOnReader !== onReader)
          return { model: { ...r.model, session: { ...s, cardOnReader: onReader } }, effects: r.effects };
      }
    }
    return r;
  };
}
