/**
 * `health-station decode glucose-ble|racp <hex>`: one characteristic value → JSON.
 * Deterministic (no clock). Malformed input throws StationError with the reason.
 */
import { parseHex, unwrapOrThrow } from "../ble/bytes.js";
import { GLUCOSE_LIMITS, glucoseFault, recordWallTime, VOIDING_SENSOR_FLAGS } from "./gls-assess.js";
import { decodeGlucoseContext, decodeGlucoseMeasurement, MGDL_PER_MMOLL } from "./gls-codec.js";
import { decodeRacp } from "./racp.js";

export function decodeGlucoseBleHex(hex: string): unknown {
  const m = unwrapOrThrow("0x2A18 glucose measurement", decodeGlucoseMeasurement(parseHex(hex)));
  const faults = (m.sensorStatus?.flags ?? [])
    .filter((f) => VOIDING_SENSOR_FLAGS.includes(f))
    .map((f) => glucoseFault(f));
  const inRange =
    m.mmolL !== null && m.mmolL >= GLUCOSE_LIMITS.minMmolL && m.mmolL <= GLUCOSE_LIMITS.maxMmolL;
  return {
    characteristic: "0x2A18",
    measurement: m,
    recordTime: recordWallTime(m),
    mgdl: m.mmolL === null ? null : Math.round(m.mmolL * MGDL_PER_MMOLL),
    inStripRange: inRange,
    faults,
  };
}

export function decodeGlucoseContextHex(hex: string): unknown {
  return {
    characteristic: "0x2A34",
    context: unwrapOrThrow("0x2A34 glucose measurement context", decodeGlucoseContext(parseHex(hex))),
  };
}

export function decodeRacpHex(hex: string): unknown {
  return { characteristic: "0x2A52", message: unwrapOrThrow("0x2A52 RACP", decodeRacp(parseHex(hex))) };
}
