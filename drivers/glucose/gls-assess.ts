/**
 * Glucose record → domain GlucoseReading or a fault with guidance. Shared by the Bluetooth
 * glucose profile and the TD-42xx serial meter.
 *
 * Sample type mapping (decision, see drivers/glucose/README.md):
 *   GLS context meal 3 fasting → "fasting"; 2 postprandial → "postprandial";
 *   1 preprandial, 4 casual, 5 bedtime → "random" (a pre-meal test is not necessarily after
 *   an 8-hour fast, and "random" thresholds never over-call diabetes);
 *   no meal information → "unknown": the station asks the villager.
 */
import type { DeviceRef, GlucoseReading } from "../../station/domain/schema.js";
import {
  chooseTakenAt,
  epochToWallTime,
  isCompleteWallTime,
  type WallTime,
  wallTimeToEpoch,
} from "../ble/time.js";
import type { Guidance } from "../bp/bp-assess.js";
import type { DeviceFault } from "../types.js";
import type { GlucoseContext, GlucoseMeasurement, SensorStatusFlag } from "./gls-codec.js";

/** The meter gave no meal information; the station must ask before assessing. */
export const SAMPLE_TYPE_UNKNOWN = "unknown";

/** Typical strip range (20–600 mg/dL); a value outside it cannot come from a valid strip test. */
export const GLUCOSE_LIMITS = { minMmolL: 1.1, maxMmolL: 33.3 } as const;

export const GLUCOSE_GUIDANCE: Readonly<Record<string, Guidance & { retry: boolean }>> = {
  "sample-insufficient": {
    zh: "血量不够，请换一条新试纸，多挤一点血再测。",
    en: "Not enough blood. Use a new strip and apply more blood.",
    retry: true,
  },
  "strip-insertion-error": {
    zh: "试纸没有插好，请把试纸完全插入后再测。",
    en: "The strip is not inserted properly. Push the strip fully in and test again.",
    retry: true,
  },
  "strip-type-incorrect": {
    zh: "试纸型号不对，请使用这台血糖仪配套的试纸。",
    en: "Wrong strip type. Use the strips made for this meter.",
    retry: true,
  },
  "read-interrupted": {
    zh: "试纸拔出得太早，请换新试纸，等出结果后再拔。",
    en: "The strip was pulled out too soon. Use a new strip and wait for the result.",
    retry: true,
  },
  "temperature-too-high": {
    zh: "血糖仪太热，请放到阴凉处几分钟后再测。",
    en: "The meter is too warm. Let it cool for a few minutes, then test again.",
    retry: true,
  },
  "temperature-too-low": {
    zh: "血糖仪太冷，请放到温暖处几分钟后再测。",
    en: "The meter is too cold. Let it warm up for a few minutes, then test again.",
    retry: true,
  },
  "result-too-high": {
    zh: "血糖高于仪器能测的上限，请马上告诉医生。",
    en: "Glucose is above what the meter can measure. Tell the doctor now.",
    retry: false,
  },
  "result-too-low": {
    zh: "血糖低于仪器能测的下限，请马上告诉医生。",
    en: "Glucose is below what the meter can measure. Tell the doctor now.",
    retry: false,
  },
  "sensor-malfunction": {
    zh: "血糖仪故障，请换新试纸再测；如果反复出现，请联系医生。",
    en: "The meter reported a fault. Use a new strip; if it keeps happening, call the doctor.",
    retry: true,
  },
  "general-fault": {
    zh: "血糖仪故障，请换新试纸再测；如果反复出现，请联系医生。",
    en: "The meter reported a fault. Use a new strip; if it keeps happening, call the doctor.",
    retry: true,
  },
  "glucose-no-result": {
    zh: "血糖仪没有得出结果，请换新试纸再测。",
    en: "The meter gave no result. Use a new strip and test again.",
    retry: true,
  },
  "glucose-out-of-range": {
    zh: "结果超出试纸的测量范围，请换新试纸再测一次，并告诉医生。",
    en: "The result is outside the strip's range. Test again with a new strip and tell the doctor.",
    retry: true,
  },
  "control-solution": {
    zh: "这是质控液测试，不是本人血样。请用指尖血重新测量。",
    en: "This was a control-solution test, not a blood sample. Test again with a finger-prick sample.",
    retry: true,
  },
  "glucose-bad-data": {
    zh: "收到的血糖数据无法识别，请再测一次；如果反复出现，请联系医生。",
    en: "The meter's data could not be read. Test again; if it keeps happening, call the doctor.",
    retry: true,
  },
};

/** Sensor-status flags that void the result, most actionable first. */
export const VOIDING_SENSOR_FLAGS: readonly SensorStatusFlag[] = [
  "result-too-high",
  "result-too-low",
  "sample-insufficient",
  "strip-insertion-error",
  "strip-type-incorrect",
  "read-interrupted",
  "temperature-too-high",
  "temperature-too-low",
  "sensor-malfunction",
  "general-fault",
];

export function glucoseFault(code: string, detail?: string): DeviceFault {
  const g = GLUCOSE_GUIDANCE[code] ?? GLUCOSE_GUIDANCE["glucose-bad-data"]!;
  return { code, message: `${g.zh} / ${g.en}${detail ? ` (${detail})` : ""}`, retryable: g.retry };
}

export function mealToSampleType(meal: number | null): string {
  switch (meal) {
    case 3:
      return "fasting";
    case 2:
      return "postprandial";
    case 1:
    case 4:
    case 5:
      return "random";
    default:
      return SAMPLE_TYPE_UNKNOWN;
  }
}

export interface GlucoseReadingContext {
  now: Date;
  offsetMinutes: number;
  maxSkewMinutes: number;
  device: DeviceRef;
}

export type GlucoseOutcome = { ok: true; reading: GlucoseReading } | { ok: false; fault: DeviceFault };

/** Common last step: range check and reading construction, in mmol/L. */
export function buildGlucoseReading(
  mmolL: number,
  sampleType: string,
  deviceTime: WallTime | null,
  ctx: GlucoseReadingContext,
): GlucoseOutcome {
  if (mmolL < GLUCOSE_LIMITS.minMmolL || mmolL > GLUCOSE_LIMITS.maxMmolL)
    return { ok: false, fault: glucoseFault("glucose-out-of-range", `${mmolL} mmol/L`) };
  const { takenAt } = chooseTakenAt(deviceTime, ctx);
  return {
    ok: true,
    reading: { kind: "glucose", mmolL, sampleType, takenAt, source: "device", device: ctx.device },
  };
}

/** The record's user-facing time: base time plus the signed offset, as a wall time. */
export function recordWallTime(m: GlucoseMeasurement): WallTime {
  if (m.timeOffsetMinutes === null || !isCompleteWallTime(m.baseTime)) return m.baseTime;
  return epochToWallTime(wallTimeToEpoch(m.baseTime, 0) + m.timeOffsetMinutes * 60_000, 0);
}

export function toGlucoseReading(
  m: GlucoseMeasurement,
  context: GlucoseContext | null,
  ctx: GlucoseReadingContext,
): GlucoseOutcome {
  const flags = m.sensorStatus?.flags ?? [];
  const voiding = VOIDING_SENSOR_FLAGS.find((f) => flags.includes(f));
  if (voiding) return { ok: false, fault: glucoseFault(voiding) };
  if (m.mmolL === null) return { ok: false, fault: glucoseFault("glucose-no-result") };
  if (m.sampleType?.code === 10) return { ok: false, fault: glucoseFault("control-solution") };
  // A "time fault" flag means the meter itself distrusts its clock.
  const deviceTime = flags.includes("time-fault") ? null : recordWallTime(m);
  return buildGlucoseReading(m.mmolL, mealToSampleType(context?.meal?.code ?? null), deviceTime, ctx);
}
