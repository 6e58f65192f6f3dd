/**
 * Blood Pressure Measurement (0x2A35) and Intermediate Cuff Pressure (0x2A36), service
 * 0x1810. Both share one layout: flags, three SFLOATs, then optional timestamp, pulse,
 * user id and measurement status. Pure: bytes in, typed result out, never throws.
 */
import { ByteReader, ByteWriter, type Decoded, decodeWith, ok } from "../ble/bytes.js";
import { decodeSfloat, encodeSfloat, type Sfloat } from "../ble/sfloat.js";
import type { WallTime } from "../ble/time.js";

export const BPM_FLAG = { kPa: 0x01, timestamp: 0x02, pulse: 0x04, userId: 0x08, status: 0x10 } as const;

export const BPM_STATUS_BIT = {
  bodyMovement: 0x0001,
  cuffLoose: 0x0002,
  irregularPulse: 0x0004,
  pulseRangeMask: 0x0018,
  improperPosition: 0x0020,
} as const;

export type PulseRange = "within" | "above-upper" | "below-lower" | "reserved";

export interface BpmStatus {
  bodyMovement: boolean;
  cuffLoose: boolean;
  irregularPulse: boolean;
  pulseRange: PulseRange;
  improperPosition: boolean;
  raw: number;
}

export interface BpMeasurement {
  unit: "mmHg" | "kPa";
  systolic: Sfloat;
  diastolic: Sfloat;
  mean: Sfloat;
  timestamp: WallTime | null;
  pulse: Sfloat | null;
  /** null when absent or 255 ("unknown user"). */
  userId: number | null;
  status: BpmStatus | null;
}

/** 0x2A36: the cuff pressure rides in the systolic slot; the other two are NaN. */
export interface IntermediateCuffPressure {
  unit: "mmHg" | "kPa";
  cuffPressure: Sfloat;
  timestamp: WallTime | null;
  pulse: Sfloat | null;
  userId: number | null;
  status: BpmStatus | null;
}

const PULSE_RANGES: readonly PulseRange[] = ["within", "above-upper", "below-lower", "reserved"];

export function decodeBpmStatus(raw: number): BpmStatus {
  return {
    bodyMovement: (raw & BPM_STATUS_BIT.bodyMovement) !== 0,
    cuffLoose: (raw & BPM_STATUS_BIT.cuffLoose) !== 0,
    irregularPulse: (raw & BPM_STATUS_BIT.irregularPulse) !== 0,
    pulseRange: PULSE_RANGES[(raw & BPM_STATUS_BIT.pulseRangeMask) >> 3]!,
    improperPosition: (raw & BPM_STATUS_BIT.improperPosition) !== 0,
    raw,
  };
}

export function readWallTime(r: ByteReader): WallTime {
  return { year: r.u16(), month: r.u8(), day: r.u8(), hours: r.u8(), minutes: r.u8(), seconds: r.u8() };
}

export function writeWallTime(w: ByteWriter, t: WallTime): void {
  w.u16(t.year).u8(t.month).u8(t.day).u8(t.hours).u8(t.minutes).u8(t.seconds);
}

export function decodeBpMeasurement(bytes: Uint8Array): Decoded<BpMeasurement> {
  return decodeWith("blood pressure measurement", () => {
    const r = new ByteReader(bytes);
    const flags = r.u8();
    const systolic = decodeSfloat(r.u16());
    const diastolic = decodeSfloat(r.u16());
    const mean = decodeSfloat(r.u16());
    const timestamp = flags & BPM_FLAG.timestamp ? readWallTime(r) : null;
    const pulse = flags & BPM_FLAG.pulse ? decodeSfloat(r.u16()) : null;
    let userId: number | null = null;
    if (flags & BPM_FLAG.userId) {
      const id = r.u8();
      userId = id === 255 ? null : id;
    }
    const status = flags & BPM_FLAG.status ? decodeBpmStatus(r.u16()) : null;
    // Reserved flag bits and trailing bytes are ignored: later profile versions may add fields.
    const unit = flags & BPM_FLAG.kPa ? "kPa" : "mmHg";
    return ok({ unit, systolic, diastolic, mean, timestamp, pulse, userId, status });
  });
}

export function decodeIntermediateCuffPressure(bytes: Uint8Array): Decoded<IntermediateCuffPressure> {
  const r = decodeBpMeasurement(bytes);
  if (!r.ok) return r;
  const { unit, systolic, timestamp, pulse, userId, status } = r.value;
  return ok({ unit, cuffPressure: systolic, timestamp, pulse, userId, status });
}

/** A number, or a raw SFLOAT word (to send NRes or a chosen exponent from a simulator). */
export type SfloatInput = number | { raw: number };

export interface BpMeasurementInput {
  unit: "mmHg" | "kPa";
  systolic: SfloatInput;
  diastolic: SfloatInput;
  mean: SfloatInput;
  timestamp?: WallTime;
  pulse?: SfloatInput;
  /** 255 = unknown user. */
  userId?: number;
  /** Raw status word (see BPM_STATUS_BIT). */
  status?: number;
}

const sf = (v: SfloatInput): number => (typeof v === "number" ? encodeSfloat(v) : v.raw);

export function encodeBpMeasurement(m: BpMeasurementInput): Uint8Array {
  let flags = m.unit === "kPa" ? BPM_FLAG.kPa : 0;
  if (m.timestamp) flags |= BPM_FLAG.timestamp;
  if (m.pulse !== undefined) flags |= BPM_FLAG.pulse;
  if (m.userId !== undefined) flags |= BPM_FLAG.userId;
  if (m.status !== undefined) flags |= BPM_FLAG.status;
  const w = new ByteWriter().u8(flags).u16(sf(m.systolic)).u16(sf(m.diastolic)).u16(sf(m.mean));
  if (m.timestamp) writeWallTime(w, m.timestamp);
  if (m.pulse !== undefined) w.u16(sf(m.pulse));
  if (m.userId !== undefined) w.u8(m.userId);
  if (m.status !== undefined) w.u16(m.status);
  return w.bytes();
}

export function encodeIntermediateCuffPressure(
  cuffPressure: number,
  unit: "mmHg" | "kPa" = "mmHg",
  extra: Omit<BpMeasurementInput, "unit" | "systolic" | "diastolic" | "mean"> = {},
): Uint8Array {
  return encodeBpMeasurement({
    ...extra,
    unit,
    systolic: cuffPressure,
    diastolic: Number.NaN,
    mean: Number.NaN,
  });
}
