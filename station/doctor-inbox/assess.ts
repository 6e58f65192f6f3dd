/** The assessment of a corrected record: the same rules and policy a check-up gets (pure). */
import { assess } from "../assessment/index.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { Assessment, BpReading, CheckupRecord, GlucoseReading, Reading } from "../domain/schema.js";

export function assessCorrected(
  original: CheckupRecord,
  readings: readonly Reading[],
  person: CheckupRecord["person"],
  ctx: { pack: PolicyPack; categories: readonly string[]; day: string },
): Assessment {
  return assess(
    {
      bpReadings: readings.filter((r): r is BpReading => r.kind === "bp"),
      glucose: readings.find((r): r is GlucoseReading => r.kind === "glucose") ?? null,
      person: { birthDate: person.birthDate, categories: [...ctx.categories] },
      symptoms: original.schemaVersion === 1 ? [] : (original.assisted?.dangerSymptoms ?? []),
      // The day of the check-up, not of the correction: the villager's age and the policy then.
      today: ctx.day,
    },
    ctx.pack,
  ).assessment;
}
