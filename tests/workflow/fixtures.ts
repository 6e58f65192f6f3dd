import type { BpReading, GlucoseReading, Person, RosterEntry } from "../../station/domain/schema.js";
import type {
  AssessmentOutcome,
  Env,
  Event,
  Model,
  Session,
  WorkflowConfig,
} from "../../station/workflow/types.js";
import { createUpdate } from "../../station/workflow/update.js";

// 510199194412213797 is in the synthetic demo roster (valid GB 11643 check digit, male, 1944-12-21).
export const PERSON: Person = {
  idNumber: "510199194412213797",
  name: "杨金花",
  sex: "male",
  birthDate: "1944-12-21",
  source: "card",
};
export const OTHER: Person = {
  ...PERSON,
  idNumber: "11010519491231002X",
  name: "李秀英",
  sex: "female",
  birthDate: "1949-12-31",
};
export const ROSTER: RosterEntry = {
  idNumber: PERSON.idNumber,
  name: PERSON.name,
  village: "演示一村",
  categories: ["registered-poor", "hypertension"],
  doctor: { name: "赵医生", phone: "0000" },
};

export const ENV: Env = { now: "2026-11-22T02:00:00.000Z", today: "2026-11-22" };

export const CONFIG: WorkflowConfig = {
  inactivityMs: 90_000,
  bpRepeatPauseMs: 60_000,
  bpRepeatAtSystolic: 140,
  bpRepeatAtDiastolic: 90,
  glucoseSkippable: true,
  resultMs: 120_000,
  saveRetryMs: 10_000,
};

export const RECORD_ID = "019ab5a0-0000-7000-8000-000000000001";

export function bp(systolic: number, diastolic: number): BpReading {
  return {
    kind: "bp",
    systolic,
    diastolic,
    mean: null,
    pulse: 70,
    unit: "mmHg",
    statusFlags: [],
    takenAt: ENV.now,
    source: "device",
  };
}

export function glucose(mmolL: number): GlucoseReading {
  return { kind: "glucose", mmolL, sampleType: "random", takenAt: ENV.now, source: "device" };
}

/** A stand-in assessor: records what it was asked, so tests can check what the workflow passed. */
export function fakeAssess(calls: Session[] = []) {
  return (s: Session): AssessmentOutcome => {
    calls.push(s);
    const last = s.bpReadings.at(-1);
    return {
      assessment: {
        bp: last
          ? {
              class: "normal",
              systolic: last.systolic,
              diastolic: last.diastolic,
              readingsAveraged: s.bpReadings.length,
            }
          : null,
        glucose: s.glucose
          ? { class: "normal", mmolL: s.glucose.mmolL, sampleType: s.glucose.sampleType }
          : null,
        referral: {
          urgent: (last?.systolic ?? 0) >= 180,
          reasons: (last?.systolic ?? 0) >= 180 ? ["bp-sbp-180"] : [],
        },
        adviceKeys: [],
        followUpDue: null,
        policyVersion: "test",
      },
      faults: [],
      villagerAction: { zh: "继续保持", en: "Keep it up" },
      doctorAlert: null,
      advice: [],
    };
  };
}

export const update = createUpdate({ config: CONFIG, assess: fakeAssess() });

export const identify = (person: Person = PERSON, roster: RosterEntry | null = ROSTER): Event => ({
  type: "identified",
  person,
  roster,
  recordId: RECORD_ID,
  operator: { kind: "self" },
});

/** Runs events in order from `model`, returning the last model and every effect. */
export function run(model: Model, events: Event[], u = update) {
  let m = model;
  const effects = [];
  for (const e of events) {
    const r = u(m, e, ENV);
    m = r.model;
    effects.push(...r.effects);
  }
  return { model: m, effects };
}

export const ui = (action: Extract<Event, { type: "ui" }>["action"]): Event => ({ type: "ui", action });
