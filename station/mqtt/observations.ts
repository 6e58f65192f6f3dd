/**
 * LOINC-coded observations derived from a record's readings, and the record message built from
 * them (docs/mqtt-api.md has the code table and the FHIR R4 Observation mapping). Pure: no I/O.
 *
 * Codes were checked against public sources:
 * - 85354-9 BP panel, 8480-6 systolic, 8462-4 diastolic, 8867-4 heart rate: FHIR R4/R5 value set
 *   observation-vitalsignresult (hl7.org/fhir/valueset-observation-vitalsignresult.html).
 * - 8478-0 "Mean blood pressure": FHIR example observation-example-mbp.
 * - 14743-9 "Glucose [Moles/volume] in Capillary blood by Glucometer" (LOINCDB row quoted in
 *   gist.github.com/bewest/4965993; healthassure.in LOINC code page).
 * - 14770-2 "Fasting glucose [Moles/volume] in Capillary blood by Glucometer" (component
 *   Glucose^post CFst, system BldC, method Glucometer; healthassure.in LOINC code page).
 * - 14760-3 "Glucose [Moles/volume] in Capillary blood --2 hours post meal" (Glucose^2H post meal,
 *   BldC). No "by Glucometer" variant of the 2 h term could be confirmed, so this one carries no
 *   method axis; the meter is named in the observation's device instead.
 * - A random sample has no challenge-specific code: it uses the generic 14743-9 (LOINC's own
 *   synonyms for it list "Random").
 */
import type { BpReading, CheckupRecord, GlucoseReading } from "../domain/schema.js";
import { type Observation, RecordMessage } from "./contract.js";

export const LOINC_SYSTEM = "http://loinc.org";

interface Code {
  system: typeof LOINC_SYSTEM;
  code: string;
  display: string;
}
const loinc = (code: string, display: string): Code => ({ system: LOINC_SYSTEM, code, display });

export const LOINC = {
  bpPanel: loinc("85354-9", "Blood pressure panel with all children optional"),
  systolic: loinc("8480-6", "Systolic blood pressure"),
  diastolic: loinc("8462-4", "Diastolic blood pressure"),
  meanBp: loinc("8478-0", "Mean blood pressure"),
  heartRate: loinc("8867-4", "Heart rate"),
  glucoseCapillary: loinc("14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer"),
  glucoseCapillaryFasting: loinc(
    "14770-2",
    "Fasting glucose [Moles/volume] in Capillary blood by Glucometer",
  ),
  glucoseCapillary2hPostMeal: loinc(
    "14760-3",
    "Glucose [Moles/volume] in Capillary blood --2 hours post meal",
  ),
} as const;

/** UCUM unit codes. */
export const UCUM = { mmHg: "mm[Hg]", perMin: "/min", mmolL: "mmol/L" } as const;

/** 1 kPa = 760 / 101.325 mmHg (the standard atmosphere defines both). */
const MMHG_PER_KPA = 760 / 101.325;

/** mmHg to one decimal: a converted kPa value must not pretend to more precision than it has. */
function toMmHg(value: number, unit: string): number | null {
  if (unit === "mmHg") return value;
  if (unit === "kPa") return Math.round(value * MMHG_PER_KPA * 10) / 10;
  return null;
}

export function glucoseCode(sampleType: string): Code {
  if (sampleType === "fasting") return LOINC.glucoseCapillaryFasting;
  if (sampleType === "postprandial") return LOINC.glucoseCapillary2hPostMeal;
  // "random", and any sample type this build does not know: the generic capillary code is still true.
  return LOINC.glucoseCapillary;
}

function bpObservations(r: BpReading, readingIndex: number): Observation[] {
  const sys = toMmHg(r.systolic, r.unit);
  const dia = toMmHg(r.diastolic, r.unit);
  // A unit this build does not know cannot be coded honestly; the raw reading still travels in the record.
  if (sys === null || dia === null) return [];
  const mean = r.mean == null ? null : toMmHg(r.mean, r.unit);
  const base = { readingIndex, effective: r.takenAt, method: r.source };
  const out: Observation[] = [
    {
      ...base,
      code: LOINC.bpPanel,
      components: [
        { code: LOINC.systolic, value: sys, unit: UCUM.mmHg },
        { code: LOINC.diastolic, value: dia, unit: UCUM.mmHg },
        ...(mean === null ? [] : [{ code: LOINC.meanBp, value: mean, unit: UCUM.mmHg }]),
      ],
    },
  ];
  if (r.pulse != null)
    out.push({
      ...base,
      code: LOINC.heartRate,
      components: [{ code: LOINC.heartRate, value: r.pulse, unit: UCUM.perMin }],
    });
  return out;
}

function glucoseObservation(r: GlucoseReading, readingIndex: number): Observation {
  const code = glucoseCode(r.sampleType);
  return {
    readingIndex,
    code,
    components: [{ code, value: r.mmolL, unit: UCUM.mmolL }],
    effective: r.takenAt,
    method: r.source,
  };
}

/** Observations in reading order; a BP reading gives a panel plus, when it has a pulse, a heart rate. */
export function toObservations(record: CheckupRecord): Observation[] {
  return record.readings.flatMap((r, i) =>
    r.kind === "bp" ? bpObservations(r, i) : [glucoseObservation(r, i)],
  );
}

export interface BuildOptions {
  county: string;
  now: Date;
}

/** The message for hs/v1/{county}/{station}/record. Throws a ZodError when the result breaks the contract. */
export function buildRecordMessage(record: CheckupRecord, opts: BuildOptions): RecordMessage {
  return RecordMessage.parse({
    // The message version follows the record's: a v1 record is sent exactly as before.
    v: record.schemaVersion,
    type: "checkup-record",
    county: opts.county,
    stationId: record.stationId,
    sentAt: opts.now.toISOString(),
    record,
    observations: toObservations(record),
  });
}
