import type { BpReading, GlucoseReading } from "../../station/domain/schema.js";

export function bp(systolic: number, diastolic: number, extra: Partial<BpReading> = {}): BpReading {
  return {
    kind: "bp",
    systolic,
    diastolic,
    unit: "mmHg",
    statusFlags: [],
    takenAt: "2024-05-01T08:00:00+08:00",
    source: "device",
    ...extra,
  };
}

export function glu(mmolL: number, sampleType: GlucoseReading["sampleType"] = "fasting"): GlucoseReading {
  return { kind: "glucose", mmolL, sampleType, takenAt: "2024-05-01T08:05:00+08:00", source: "device" };
}

export const TODAY = "2024-05-01";
export const ADULT = { birthDate: "1970-06-15", categories: [] as string[] };

/** Sets a value at a dotted path in a raw JSON object, to break a pack on purpose. */
export function edit(raw: unknown, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = raw as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys.at(-1)!] = value;
}
