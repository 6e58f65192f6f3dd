/**
 * Turns a decoded 0x2A35 measurement into a domain BpReading, or a fault a person can act
 * on. Plausibility is judged in mmHg (kPa converted first) so an implausible value never
 * reaches a record: SBP 70–300, DBP 40–180 (inclusive), SBP strictly above DBP.
 */
import type { BpReading, DeviceRef } from "../../station/domain/schema.js";
import { type Sfloat, sfloatNumber } from "../ble/sfloat.js";
import { chooseTakenAt, type WallTime } from "../ble/time.js";
import type { DeviceFault } from "../types.js";
import type { BpMeasurement, BpmStatus } from "./bpm-codec.js";

export const KPA_TO_MMHG = 7.50062;

export const BP_LIMITS = {
  systolic: { min: 70, max: 300 },
  diastolic: { min: 40, max: 180 },
} as const;

export interface Guidance {
  zh: string;
  en: string;
}

/** Advice per status flag (BP_STATUS_FLAGS) and per fault code, Chinese first. */
export const BP_GUIDANCE: Readonly<Record<string, Guidance & { retry: boolean }>> = {
  "cuff-loose": {
    zh: "袖带太松，请重新绑好袖带后再测一次。",
    en: "The cuff is loose. Refit the cuff and measure again.",
    retry: true,
  },
  "body-movement": {
    zh: "测量时身体动了，请坐好保持不动，再测一次。",
    en: "You moved during the measurement. Sit still and measure again.",
    retry: true,
  },
  "irregular-pulse": {
    zh: "检测到脉搏不规则，请告诉医生。",
    en: "An irregular pulse was detected. Please tell the doctor.",
    retry: false,
  },
  "improper-position": {
    zh: "测量姿势不对，请把手臂放在与心脏同高的位置，再测一次。",
    en: "The arm was not positioned correctly. Rest the arm at heart level and measure again.",
    retry: true,
  },
  "pulse-high": {
    zh: "脉搏高于血压计的正常范围，请告诉医生。",
    en: "The pulse is above the monitor's normal range. Please tell the doctor.",
    retry: false,
  },
  "pulse-low": {
    zh: "脉搏低于血压计的正常范围，请告诉医生。",
    en: "The pulse is below the monitor's normal range. Please tell the doctor.",
    retry: false,
  },
  "bp-implausible": {
    zh: "这次读数不可信，请重新绑好袖带，安静坐好后再测一次。",
    en: "This reading is not plausible. Refit the cuff, sit quietly and measure again.",
    retry: true,
  },
  "bp-no-result": {
    zh: "血压计没有得出结果，请安静坐好后再测一次。",
    en: "The monitor gave no result. Sit quietly and measure again.",
    retry: true,
  },
  "bp-bad-data": {
    zh: "收到的血压数据无法识别，请再测一次；如果反复出现，请联系医生。",
    en: "The monitor's data could not be read. Measure again; if it keeps happening, call the doctor.",
    retry: true,
  },
};

export function bpFault(code: keyof typeof BP_GUIDANCE & string, detail?: string): DeviceFault {
  const g = BP_GUIDANCE[code]!;
  return { code, message: `${g.zh} / ${g.en}${detail ? ` (${detail})` : ""}`, retryable: g.retry };
}

/** Maps 0x2A35 status bits to the schema's BP_STATUS_FLAGS names, in bit order. */
export function bpStatusFlags(status: BpmStatus | null): string[] {
  if (!status) return [];
  const flags: string[] = [];
  if (status.bodyMovement) flags.push("body-movement");
  if (status.cuffLoose) flags.push("cuff-loose");
  if (status.irregularPulse) flags.push("irregular-pulse");
  if (status.pulseRange === "above-upper") flags.push("pulse-high");
  if (status.pulseRange === "below-lower") flags.push("pulse-low");
  if (status.improperPosition) flags.push("improper-position");
  return flags;
}

export function bpStatusGuidance(flags: readonly string[]): Guidance[] {
  return flags.flatMap((f) => {
    const g = BP_GUIDANCE[f];
    return g ? [{ zh: g.zh, en: g.en }] : [];
  });
}

export function toMmHg(value: number, unit: "mmHg" | "kPa"): number {
  return unit === "kPa" ? Math.round(value * KPA_TO_MMHG) : value;
}

export type Plausibility =
  | { ok: true; systolic: number; diastolic: number; mean: number | null; pulse: number | null }
  | { ok: false; fault: DeviceFault };

/** Checks values and limits in mmHg; special SFLOATs (NaN, NRes, ±INF) are a fault too. */
export function checkPlausible(m: BpMeasurement): Plausibility {
  const sys = sfloatNumber(m.systolic);
  const dia = sfloatNumber(m.diastolic);
  if (sys === null || dia === null)
    return {
      ok: false,
      fault: bpFault("bp-no-result", `special value ${describe(m.systolic, m.diastolic)}`),
    };
  const systolic = toMmHg(sys, m.unit);
  const diastolic = toMmHg(dia, m.unit);
  const { systolic: S, diastolic: D } = BP_LIMITS;
  const inRange = systolic >= S.min && systolic <= S.max && diastolic >= D.min && diastolic <= D.max;
  if (!inRange || systolic <= diastolic)
    return { ok: false, fault: bpFault("bp-implausible", `${systolic}/${diastolic} mmHg`) };
  const meanRaw = sfloatNumber(m.mean);
  return {
    ok: true,
    systolic,
    diastolic,
    mean: meanRaw === null ? null : toMmHg(meanRaw, m.unit),
    pulse: m.pulse ? sfloatNumber(m.pulse) : null,
  };
}

export interface ReadingContext {
  now: Date;
  offsetMinutes: number;
  maxSkewMinutes: number;
  device: DeviceRef;
}

export type BpOutcome =
  | { ok: true; reading: BpReading; guidance: Guidance[] }
  | { ok: false; fault: DeviceFault };

export function toBpReading(m: BpMeasurement, ctx: ReadingContext): BpOutcome {
  const p = checkPlausible(m);
  if (!p.ok) return p;
  const statusFlags = bpStatusFlags(m.status);
  const { takenAt } = chooseTakenAt(m.timestamp as WallTime | null, ctx);
  const reading: BpReading = {
    kind: "bp",
    systolic: p.systolic,
    diastolic: p.diastolic,
    mean: p.mean,
    pulse: p.pulse,
    unit: "mmHg",
    statusFlags,
    takenAt,
    source: "device",
    device: ctx.device,
  };
  return { ok: true, reading, guidance: bpStatusGuidance(statusFlags) };
}

function describe(...values: Sfloat[]): string {
  return values.map((v) => (v.kind === "value" ? String(v.value) : v.special)).join("/");
}
