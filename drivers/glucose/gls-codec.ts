/**
 * Glucose profile values (service 0x1808): Glucose Measurement 0x2A18 and Glucose
 * Measurement Context 0x2A34. Pure: bytes in, typed result out, never throws.
 */
import { ByteReader, ByteWriter, type Decoded, decodeWith, ok } from "../ble/bytes.js";
import { decodeSfloat, encodeSfloat, type Sfloat } from "../ble/sfloat.js";
import type { WallTime } from "../ble/time.js";
import { readWallTime, writeWallTime } from "../bp/bpm-codec.js";

export const GLM_FLAG = {
  timeOffset: 0x01,
  concentration: 0x02,
  molPerL: 0x04,
  sensorStatus: 0x08,
  contextFollows: 0x10,
} as const;

/** Sensor Status Annunciation bits 0–11, in order. */
export const SENSOR_STATUS_FLAGS = [
  "battery-low",
  "sensor-malfunction",
  "sample-insufficient",
  "strip-insertion-error",
  "strip-type-incorrect",
  "result-too-high",
  "result-too-low",
  "temperature-too-high",
  "temperature-too-low",
  "read-interrupted",
  "general-fault",
  "time-fault",
] as const;
export type SensorStatusFlag = (typeof SENSOR_STATUS_FLAGS)[number];

const SAMPLE_TYPES: Record<number, string> = {
  1: "capillary-whole-blood",
  2: "capillary-plasma",
  3: "venous-whole-blood",
  4: "venous-plasma",
  5: "arterial-whole-blood",
  6: "arterial-plasma",
  7: "undetermined-whole-blood",
  8: "undetermined-plasma",
  9: "interstitial-fluid",
  10: "control-solution",
};
const SAMPLE_LOCATIONS: Record<number, string> = {
  1: "finger",
  2: "alternate-site-test",
  3: "earlobe",
  4: "control-solution",
  15: "not-available",
};

/** A coded field: the raw number is always kept; `name` is null where this build does not know it. */
export interface Coded {
  code: number;
  name: string | null;
}

export interface GlucoseMeasurement {
  sequence: number;
  baseTime: WallTime;
  timeOffsetMinutes: number | null;
  concentration: { value: Sfloat; unit: "kg/L" | "mol/L" } | null;
  /** Converted from either unit; null when absent or a special value. */
  mmolL: number | null;
  sampleType: Coded | null;
  sampleLocation: Coded | null;
  sensorStatus: { raw: number; flags: SensorStatusFlag[] } | null;
  contextFollows: boolean;
}

export const MGDL_PER_MMOLL = 18.016;

export function concentrationToMmolL(value: number, unit: "kg/L" | "mol/L"): number {
  const mmol = unit === "mol/L" ? value * 1000 : (value * 100_000) / MGDL_PER_MMOLL;
  return Math.round(mmol * 100) / 100;
}

export function sensorStatusFlags(raw: number): SensorStatusFlag[] {
  return SENSOR_STATUS_FLAGS.filter((_, bit) => (raw & (1 << bit)) !== 0);
}

export function decodeGlucoseMeasurement(bytes: Uint8Array): Decoded<GlucoseMeasurement> {
  return decodeWith("glucose measurement", () => {
    const r = new ByteReader(bytes);
    const flags = r.u8();
    const sequence = r.u16();
    const baseTime = readWallTime(r);
    const timeOffsetMinutes = flags & GLM_FLAG.timeOffset ? r.i16() : null;
    let concentration: GlucoseMeasurement["concentration"] = null;
    let sampleType: Coded | null = null;
    let sampleLocation: Coded | null = null;
    if (flags & GLM_FLAG.concentration) {
      concentration = { value: decodeSfloat(r.u16()), unit: flags & GLM_FLAG.molPerL ? "mol/L" : "kg/L" };
      const tl = r.u8();
      sampleType = { code: tl & 0x0f, name: SAMPLE_TYPES[tl & 0x0f] ?? null };
      sampleLocation = { code: tl >> 4, name: SAMPLE_LOCATIONS[tl >> 4] ?? null };
    }
    let sensorStatus: GlucoseMeasurement["sensorStatus"] = null;
    if (flags & GLM_FLAG.sensorStatus) {
      const raw = r.u16();
      sensorStatus = { raw, flags: sensorStatusFlags(raw) };
    }
    const mmolL =
      concentration?.value.kind === "value"
        ? concentrationToMmolL(concentration.value.value, concentration.unit)
        : null;
    return ok({
      sequence,
      baseTime,
      timeOffsetMinutes,
      concentration,
      mmolL,
      sampleType,
      sampleLocation,
      sensorStatus,
      contextFollows: (flags & GLM_FLAG.contextFollows) !== 0,
    });
  });
}

export interface GlucoseMeasurementInput {
  sequence: number;
  baseTime: WallTime;
  timeOffsetMinutes?: number;
  /** Value in the given unit, or a raw SFLOAT word (e.g. NRes). */
  concentration?: { value: number | { raw: number }; unit: "kg/L" | "mol/L" };
  sampleType?: number;
  sampleLocation?: number;
  sensorStatus?: number;
  contextFollows?: boolean;
}

export function encodeGlucoseMeasurement(m: GlucoseMeasurementInput): Uint8Array {
  let flags = 0;
  if (m.timeOffsetMinutes !== undefined) flags |= GLM_FLAG.timeOffset;
  if (m.concentration)
    flags |= GLM_FLAG.concentration | (m.concentration.unit === "mol/L" ? GLM_FLAG.molPerL : 0);
  if (m.sensorStatus !== undefined) flags |= GLM_FLAG.sensorStatus;
  if (m.contextFollows) flags |= GLM_FLAG.contextFollows;
  const w = new ByteWriter().u8(flags).u16(m.sequence);
  writeWallTime(w, m.baseTime);
  if (m.timeOffsetMinutes !== undefined) w.i16(m.timeOffsetMinutes);
  if (m.concentration) {
    const v = m.concentration.value;
    w.u16(typeof v === "number" ? encodeSfloat(v) : v.raw);
    w.u8(((m.sampleLocation ?? 1) << 4) | ((m.sampleType ?? 1) & 0x0f));
  }
  if (m.sensorStatus !== undefined) w.u16(m.sensorStatus);
  return w.bytes();
}

// ---- Glucose Measurement Context (0x2A34) ----

export const GLC_FLAG = {
  carbohydrate: 0x01,
  meal: 0x02,
  testerHealth: 0x04,
  exercise: 0x08,
  medication: 0x10,
  medicationLiters: 0x20,
  hba1c: 0x40,
  extended: 0x80,
} as const;

export const MEALS: Record<number, string> = {
  1: "preprandial",
  2: "postprandial",
  3: "fasting",
  4: "casual",
  5: "bedtime",
};

export interface GlucoseContext {
  sequence: number;
  extendedFlags: number | null;
  carbohydrate: { id: number; kg: Sfloat } | null;
  meal: Coded | null;
  testerHealth: { tester: number; health: number } | null;
  exercise: { durationSeconds: number; intensityPercent: number } | null;
  medication: { id: number; amount: Sfloat; unit: "kg" | "L" } | null;
  hba1cPercent: Sfloat | null;
}

export function decodeGlucoseContext(bytes: Uint8Array): Decoded<GlucoseContext> {
  return decodeWith("glucose measurement context", () => {
    const r = new ByteReader(bytes);
    const flags = r.u8();
    const sequence = r.u16();
    const extendedFlags = flags & GLC_FLAG.extended ? r.u8() : null;
    const carbohydrate = flags & GLC_FLAG.carbohydrate ? { id: r.u8(), kg: decodeSfloat(r.u16()) } : null;
    let meal: Coded | null = null;
    if (flags & GLC_FLAG.meal) {
      const code = r.u8();
      meal = { code, name: MEALS[code] ?? null };
    }
    let testerHealth: GlucoseContext["testerHealth"] = null;
    if (flags & GLC_FLAG.testerHealth) {
      const b = r.u8();
      testerHealth = { tester: b & 0x0f, health: b >> 4 };
    }
    const exercise =
      flags & GLC_FLAG.exercise ? { durationSeconds: r.u16(), intensityPercent: r.u8() } : null;
    const medication =
      flags & GLC_FLAG.medication
        ? {
            id: r.u8(),
            amount: decodeSfloat(r.u16()),
            unit: flags & GLC_FLAG.medicationLiters ? ("L" as const) : ("kg" as const),
          }
        : null;
    const hba1cPercent = flags & GLC_FLAG.hba1c ? decodeSfloat(r.u16()) : null;
    return ok({
      sequence,
      extendedFlags,
      carbohydrate,
      meal,
      testerHealth,
      exercise,
      medication,
      hba1cPercent,
    });
  });
}

export interface GlucoseContextInput {
  sequence: number;
  meal?: number;
  carbohydrate?: { id: number; kg: number };
  testerHealth?: { tester: number; health: number };
  exercise?: { durationSeconds: number; intensityPercent: number };
  hba1cPercent?: number;
}

export function encodeGlucoseContext(c: GlucoseContextInput): Uint8Array {
  let flags = 0;
  if (c.carbohydrate) flags |= GLC_FLAG.carbohydrate;
  if (c.meal !== undefined) flags |= GLC_FLAG.meal;
  if (c.testerHealth) flags |= GLC_FLAG.testerHealth;
  if (c.exercise) flags |= GLC_FLAG.exercise;
  if (c.hba1cPercent !== undefined) flags |= GLC_FLAG.hba1c;
  const w = new ByteWriter().u8(flags).u16(c.sequence);
  if (c.carbohydrate) w.u8(c.carbohydrate.id).u16(encodeSfloat(c.carbohydrate.kg));
  if (c.meal !== undefined) w.u8(c.meal);
  if (c.testerHealth) w.u8((c.testerHealth.health << 4) | (c.testerHealth.tester & 0x0f));
  if (c.exercise) w.u16(c.exercise.durationSeconds).u8(c.exercise.intensityPercent);
  if (c.hba1cPercent !== undefined) w.u16(encodeSfloat(c.hba1cPercent));
  return w.bytes();
}
