/**
 * The prompt for a screen, derived from the view the screen draws: key, structured params and the
 * filled text. The runtime speaks exactly this and the kiosk shows it (and puts the key on the
 * screen root as data-voice-key), so voice and screen cannot say different things.
 */
import { classifyBp, toMmHg } from "../assessment/bp.js";
import type { FaultView, PromptView, TextView, ViewState, VoiceParam } from "../protocol.js";
import type { VoiceKey } from "./types.js";
import { VERDICT_WORDS, VOICE } from "./voice.js";

type Params = Record<string, string | number>;

/** Fills `{name}` from params; `{bp}` and `{glucose}` take the verdict words. */
export function fillPrompt(key: VoiceKey, params: Params): TextView {
  const fill = (lang: "zh" | "en") =>
    (VOICE[key]?.[lang] ?? "").replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = params[name];
      if (v === undefined) return whole;
      if (name === "bp" || name === "glucose") return VERDICT_WORDS[String(v)]?.[lang] ?? String(v);
      return String(v);
    });
  return { zh: fill("zh"), en: fill("en") };
}

export function prompt(key: VoiceKey, params: Params = {}): PromptView {
  return { key, params, text: fillPrompt(key, params) };
}

/**
 * A fault speaks its own reason: the code's own prompt when the voice table has the very words
 * the screen shows, else the device's general fault prompt, with the screen's words as text.
 */
function faultPrompt(base: "bp-fault" | "glucose-fault" | "card-rejected", fault: FaultView): PromptView {
  const own = `${base}-${fault.code}` as VoiceKey;
  const words = VOICE[own];
  if (words && words.zh === fault.message.zh && words.en === fault.message.en) return prompt(own);
  return { key: base, params: {}, text: fault.message };
}

/** The structured params the recorded voice fills placeholders from (ui/src/voice/compose.ts). */
export function voiceParams(p: PromptView): Record<string, VoiceParam> | undefined {
  const out: Record<string, VoiceParam> = {};
  for (const [name, v] of Object.entries(p.params)) {
    if ((name === "bp" || name === "glucose") && typeof v === "string")
      out[name] = { kind: "verdict", value: v as Extract<VoiceParam, { kind: "verdict" }>["value"] };
    else if (typeof v === "number") out[name] = { kind: "number", value: v };
  }
  return Object.keys(out).length ? out : undefined;
}

/** The first BP reading is at grade 3 (≥180 and/or ≥110): the rest prompt must say "very high". */
function veryHigh(r: { systolic: number; diastolic: number; unit: string } | undefined): boolean {
  if (!r) return false;
  const s = toMmHg(r.systolic, r.unit);
  const d = toMmHg(r.diastolic, r.unit);
  return s !== null && d !== null && classifyBp(Math.round(s), Math.round(d)).rank >= 4;
}

export function promptFor(view: ViewState): PromptView {
  if (view.idle) return prompt("still-there");
  switch (view.step) {
    case "attract":
      return view.notice ? faultPrompt("card-rejected", view.notice) : prompt("welcome");
    case "identified":
      return prompt("confirm-identity");
    case "consent":
      return prompt("consent");
    case "bp":
      switch (view.phase) {
        case "ready":
          return prompt(view.repeat ? "bp-ready-repeat" : "bp-ready");
        case "measuring":
          return prompt("bp-measuring");
        case "rest":
          return prompt(veryHigh(view.readings[0]) ? "bp-repeat-very-high" : "bp-repeat");
        case "fault":
          return view.fault ? faultPrompt("bp-fault", view.fault) : prompt("bp-ready");
        case "done":
          return prompt("bp-done", { readings: view.readings.length });
        default:
          // A phase this build does not know: the first instruction is the safe thing to say.
          return prompt("bp-ready");
      }
    case "glucose":
      if (view.phase === "fault" && view.fault) return faultPrompt("glucose-fault", view.fault);
      return prompt(view.phase === "sample-type" ? "glucose-sample-type" : "glucose-ready");
    case "saving":
      return prompt(view.error ? "save-failed" : "saving");
    case "result": {
      const v = view.result.verdicts;
      const params = {
        bp: v.bp ?? "none",
        glucose: v.glucose === null ? "none" : v.glucoseLow ? "low" : v.glucose,
      };
      if (view.result.urgent || v.overall === "danger")
        return prompt(v.glucoseLow ? "result-urgent-low" : "result-urgent", params);
      const key =
        v.overall === "normal" ? "result-normal" : v.overall === "raised" ? "result-raised" : "result-high";
      return prompt(key, params);
    }
    case "health-card":
      // The card's first page; the kiosk names each page's own summary key on that page
      // (ui/src/health-card/pages.ts).
      return view.card
        ? prompt("health-card-open", { visits: view.card.visitCount })
        : prompt("health-card-loading");
    default: {
      // A new screen step must choose its prompt here: this fails to compile until it does.
      const unhandled: never = view;
      return unhandled;
    }
  }
}

/** The kiosk-only device screen (the UI draws it from the device strip): which device, what to do. */
export function devicePrompt(device: string): PromptView {
  return prompt(`device-problem-${device}`);
}
