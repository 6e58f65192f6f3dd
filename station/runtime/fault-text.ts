/**
 * Plain-language guidance for device faults. The drivers own the wording for their devices
 * (BP_GUIDANCE, GLUCOSE_GUIDANCE, the ID card FAULT_TEXT); this module picks it by code and
 * falls back to a safe generic text per device, so the villager never sees a technician's
 * English message.
 */
import { BP_GUIDANCE } from "../../drivers/bp/bp-assess.js";
import { GLUCOSE_GUIDANCE } from "../../drivers/glucose/gls-assess.js";
import { FAULT_TEXT as CARD_TEXT } from "../../drivers/idcard/card.js";
import type { DeviceFault } from "../../drivers/types.js";
import type { BpReading } from "../domain/schema.js";
import type { Fault, Text } from "../workflow/types.js";
import { GENERIC_FAULT } from "../workflow/voice.js";

type DeviceKind = "card-reader" | "bp" | "glucose";

const TABLES: Record<DeviceKind, Readonly<Record<string, { zh: string; en: string }>>> = {
  "card-reader": CARD_TEXT,
  bp: BP_GUIDANCE,
  glucose: GLUCOSE_GUIDANCE,
};

/** The same words the voice table speaks for a fault with no text of its own. */
const GENERIC: Record<DeviceKind, Text> = GENERIC_FAULT;

export function faultFor(device: DeviceKind, f: DeviceFault): Fault {
  const t = f.guidance ?? TABLES[device][f.code] ?? GENERIC[device];
  return { code: f.code, message: { zh: t.zh, en: t.en }, retryable: f.retryable };
}

/**
 * A cuff that detects a loose fit, movement or a bad arm position still reports numbers, flagged
 * in its status word. Such a reading is not kept: the villager is asked to measure again.
 */
export function bpRetryFault(r: BpReading): Fault | null {
  for (const flag of r.statusFlags) {
    const g = BP_GUIDANCE[flag];
    if (g?.retry) return { code: flag, message: { zh: g.zh, en: g.en }, retryable: true };
  }
  return null;
}
