/**
 * The prompt key the kiosk shows right now, put on the root as data-voice-key: the voice player
 * speaks it, and the end-to-end test checks it against the key last announced. The station
 * picks it for its screens (view.prompt, station/workflow/prompt.ts); the kiosk only for what it
 * draws itself: "已通知医生" and a device it sees as unplugged.
 */
import type { DeviceName, ViewState } from "../../station/protocol.js";
import type { LocalScreen } from "./models/station-model.js";

export interface ShownVoice {
  key: string;
  params: Record<string, string | number>;
}

export function shownVoice(
  view: ViewState | null,
  local: LocalScreen,
  missing: DeviceName | null,
  helpShown: boolean,
): ShownVoice | null {
  if (helpShown) return { key: "help-called", params: {} };
  if (view?.idle && view.prompt) return { key: view.prompt.key, params: view.prompt.params };
  if (missing) return { key: `device-problem-${missing}`, params: {} };
  // The doctor's keypad has no prompt: it is for the doctor, who can read.
  if (local === "keypad" || !view?.prompt) return null;
  return { key: view.prompt.key, params: view.prompt.params };
}
