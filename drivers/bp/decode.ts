/**
 * `health-station decode bp-ble <hex>`: one 0x2A35 value → JSON a technician can read.
 * Deterministic (no clock): shows the raw fields, the mmHg view, flags, plausibility.
 */
import { parseHex, unwrapOrThrow } from "../ble/bytes.js";
import { bpStatusFlags, bpStatusGuidance, checkPlausible } from "./bp-assess.js";
import { decodeBpMeasurement } from "./bpm-codec.js";

export function decodeBpBleHex(hex: string): unknown {
  const measurement = unwrapOrThrow("0x2A35 blood pressure measurement", decodeBpMeasurement(parseHex(hex)));
  const p = checkPlausible(measurement);
  const statusFlags = bpStatusFlags(measurement.status);
  return {
    characteristic: "0x2A35",
    measurement,
    mmHg: p.ok ? { systolic: p.systolic, diastolic: p.diastolic, mean: p.mean, pulse: p.pulse } : null,
    statusFlags,
    guidance: bpStatusGuidance(statusFlags),
    fault: p.ok ? null : p.fault,
  };
}
