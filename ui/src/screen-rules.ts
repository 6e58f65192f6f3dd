/**
 * Pure rules about screens: which device a screen waits on, and which of the two fixed
 * navigation buttons (返回 back, 取消 cancel) it offers. The buttons keep their place when
 * hidden, so a finger learns where they are.
 */
import type { DeviceName, ViewState } from "../../station/protocol.js";
import type { DeviceMap, LocalScreen } from "./models/station-model.js";

/** The device the current screen is waiting on, if any. */
export function neededDevice(view: ViewState | null, local: LocalScreen): DeviceName | null {
  if (!view || local) return null;
  switch (view.step) {
    case "attract":
      return "cardReader";
    case "bp":
      return view.phase === "ready" || view.phase === "measuring" ? "bp" : null;
    case "glucose":
      return view.phase === "waiting" ? "glucose" : null;
    default:
      return null;
  }
}

/** The device to explain as missing instead of waiting forever, or null when all is well. */
export function missingDevice(
  view: ViewState | null,
  local: LocalScreen,
  devices: DeviceMap,
): DeviceName | null {
  const name = neededDevice(view, local);
  if (!name) return null;
  // Unplugged or failed: either way the villager cannot go on without the doctor.
  const state = devices[name]?.state;
  return state === "disconnected" || state === "error" ? name : null;
}

export interface NavButtons {
  back: boolean;
  cancel: boolean;
}

export function navButtons(view: ViewState | null, local: LocalScreen): NavButtons {
  if (local === "keypad") return { back: true, cancel: true };
  if (!view) return { back: false, cancel: false };
  switch (view.step) {
    case "attract":
      return { back: false, cancel: false };
    case "identified":
      return { back: false, cancel: true };
    case "consent":
      return { back: true, cancel: true };
    case "bp":
      // The station goes back to consent only before any reading is taken.
      return { back: view.readings.length === 0 && view.phase !== "measuring", cancel: true };
    case "glucose":
      return { back: true, cancel: true };
    case "saving":
      // Cancelling now could lose the record; the doctor deals with a failed save.
      return { back: false, cancel: false };
    case "result":
      return { back: false, cancel: false };
    case "health-card":
      // "Back" returns to where it was opened; "cancel" closes it and clears the screen.
      return { back: true, cancel: true };
  }
}
