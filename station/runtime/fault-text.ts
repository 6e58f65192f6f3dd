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

type DeviceKind = "card-reader" | "bp" | "glucose";

const TABLES: Record<DeviceKind, Readonly<Record<string, { zh: string; en: string }>>> = {
  "card-reader": CARD_TEXT,
  bp: BP_GUIDANCE,
  glucose: GLUCOSE_GUIDANCE,
};

const GENERIC: Record<DeviceKind, Text> = {
  "card-reader": {
    zh: "读卡没有成功，请再放一次卡；还不行请找医生。",
    en: "Reading the card failed. Try again, or ask the doctor.",
  },
  bp: {
    zh: "血压没有量好，请坐好再测一次；还不行请找医生。",
    en: "The blood pressure measurement failed. Sit still and try again, or ask the doctor.",
  },
  glucose: {
    zh: "血糖没有测好，请换一条新试纸再测；还不行请找医生。",
    en: "The glucose test failed. Use a new strip and try again, or ask the doctor.",
  },
};

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
