/** Adapts a finished session to the assessment module (pure). */
import { assess, type PolicyPack } from "../assessment/index.js";
import type { AssessmentOutcome, Env, Session } from "../workflow/types.js";

export function assessSession(s: Session, env: Env, pack: PolicyPack): AssessmentOutcome {
  return assess(
    {
      bpReadings: s.bpReadings,
      glucose: s.glucose,
      person: { birthDate: s.person.birthDate, categories: s.roster ? [...s.roster.categories] : [] },
      symptoms: s.assisted?.dangerSymptoms ?? [],
      today: env.today,
    },
    pack,
  );
}
