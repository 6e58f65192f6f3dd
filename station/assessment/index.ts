/**
 * The assessment entry point: turns one check-up's readings into a guideline-correct result,
 * an action for the villager, an alert for the doctor, advice texts and a follow-up date.
 * Pure: the policy pack is passed in; only loadDefaultPolicy reads a file (via load-policy.ts).
 */
import { ageOn } from "../domain/id-number.js";
import type { Assessment, BpReading, GlucoseReading } from "../domain/schema.js";
import { StationError } from "../util/errors.js";
import { type BpGrade, summariseBp } from "./bp.js";
import type { Action } from "./codes.js";
import { addDays, isIsoDate } from "./dates.js";
import { classifyGlucose, glucosePlausible, roundGlucose } from "./glucose.js";
import { loadPolicyFile, samplePolicyPath } from "./load-policy.js";
import { type PolicyPack, policyVersion } from "./policy-schema.js";
import { evaluateReferral } from "./referral.js";
import { fill, fillText, type LocalText, sayDate } from "./text.js";
import { bpTarget, chronicIntervalDays, isChronicPatient } from "./who.js";

export interface AssessInput {
  bpReadings: BpReading[];
  glucose: GlucoseReading | null;
  person: { birthDate: string; categories: string[] };
  symptoms?: string[];
  today: string;
}

export interface AssessmentResult {
  assessment: Assessment;
  faults: Array<{ code: string; message: string }>;
  villagerAction: LocalText;
  doctorAlert: LocalText | null;
  advice: Array<{ key: string; zh: string; en: string }>;
  /** Hypertension grade 0–3 behind the class (for isolated systolic, graded by SBP); null without BP. */
  bpGrade: BpGrade | null;
}

/** Average pulse above this is a "fast" advice (the specification's tachycardia limit, 100/min). */
const PULSE_FAST = 100;

export function assess(input: AssessInput, pack: PolicyPack): AssessmentResult {
  const { today, person } = input;
  if (!isIsoDate(today))
    throw new StationError("assessment-input", `today "${today}" is not a YYYY-MM-DD date`);
  if (!isIsoDate(person.birthDate))
    throw new StationError("assessment-input", `birthDate "${person.birthDate}" is not a YYYY-MM-DD date`);
  const age = ageOn(person.birthDate, today);
  const cats = person.categories;

  const { summary: bp, faults } = summariseBp(input.bpReadings);

  let glucose: Assessment["glucose"] = null;
  let glucoseValue: number | null = null;
  const g = input.glucose;
  if (g) {
    if (!glucosePlausible(g.mmolL)) {
      faults.push({ code: "glucose-implausible", message: `implausible glucose ${g.mmolL} mmol/L` });
    } else {
      glucoseValue = roundGlucose(g.mmolL);
      const cls = classifyGlucose(glucoseValue, g.sampleType);
      if (cls === null)
        faults.push({ code: "glucose-sample-unknown", message: `unknown sample type "${g.sampleType}"` });
      else glucose = { class: cls, mmolL: glucoseValue, sampleType: g.sampleType };
    }
  }

  const { findings, unknownSymptoms } = evaluateReferral(
    {
      sbp: bp?.systolic ?? null,
      dbp: bp?.diastolic ?? null,
      glucose: glucoseValue,
      symptoms: input.symptoms ?? [],
    },
    pack,
  );
  for (const code of unknownSymptoms)
    faults.push({
      code: "symptom-unknown",
      message: `unknown danger-symptom code "${code}"; referred anyway`,
    });
  const urgent = findings.length > 0;

  const chronic = isChronicPatient(pack, cats);
  const target = bpTarget(pack, cats, age);
  const aboveTarget = chronic && bp !== null && (bp.systolic >= target.sbp || bp.diastolic >= target.dbp);
  const bpAbnormal = bp !== null && bp.classification.rank >= 2;
  const glucoseAbnormal = glucose !== null && glucose.class !== "normal";

  const keys: string[] = [];
  if (urgent) keys.push("referral.urgent");
  if (bp) keys.push(`bp.${bp.classification.class}`);
  else if (faults.some((f) => f.code.startsWith("bp-"))) keys.push("bp.remeasure");
  if (aboveTarget) keys.push("bp.above-target");
  if (glucose) keys.push(`glucose.${glucose.class}`);
  else if (faults.some((f) => f.code.startsWith("glucose-"))) keys.push("glucose.remeasure");
  if (glucoseValue !== null && glucoseValue >= pack.thresholds.referral.glucoseHighAtLeast)
    keys.push("glucose.severe-high");
  if (bp?.pulse != null && bp.pulse > PULSE_FAST) keys.push("pulse.fast");
  // The monitor's own irregular-pulse flag (0x2A35 status bit 2): the reading stands, the doctor should listen.
  if (input.bpReadings.some((r) => r.statusFlags.includes("irregular-pulse"))) keys.push("pulse.irregular");
  const bpRaised = (bp !== null && bp.classification.rank >= 1) || cats.includes("hypertension");
  const sugarRaised = glucoseAbnormal || cats.includes("diabetes");
  if (bpRaised) keys.push("topic.salt");
  if (sugarRaised || bpAbnormal) keys.push("topic.diet");
  if (bpRaised || sugarRaised) keys.push("topic.exercise");
  if (chronic) keys.push("topic.medication");
  if (urgent || bpAbnormal || glucoseAbnormal || chronic) keys.push("topic.see-doctor");

  const fu = pack.followUp;
  const measured = bp !== null || glucose !== null;
  let followUpDue: string | null = null;
  if (urgent) followUpDue = addDays(today, fu.referralDays);
  else if (chronic && (aboveTarget || bpAbnormal || glucoseAbnormal))
    followUpDue = addDays(today, fu.uncontrolledDays);
  else if (chronic && measured) followUpDue = addDays(today, chronicIntervalDays(pack, cats));
  else if (bpAbnormal || glucoseAbnormal) followUpDue = addDays(today, fu.recheckDays);

  let action: Action;
  if (urgent) action = "urgent";
  else if (!measured && faults.length > 0) action = "remeasure";
  else if ((bpAbnormal || glucoseAbnormal || aboveTarget) && followUpDue) action = "recheck";
  else if (chronic && followUpDue) action = "followup";
  else action = "routine";

  const targetText = `${target.sbp}/${target.dbp} mmHg`;
  const advice = keys.map((key) => ({ key, ...fillText(pack.advice[key]!, { target: targetText }) }));
  const sep = pack.texts.phrases.separator!;
  const doctorAlert = urgent
    ? {
        zh: fill(pack.texts.phrases["alert-urgent"]!.zh, {
          reasons: findings.map((f) => f.text.zh).join(sep.zh),
          days: fu.referralDays,
        }),
        en: fill(pack.texts.phrases["alert-urgent"]!.en, {
          reasons: findings.map((f) => f.text.en).join(sep.en),
          days: fu.referralDays,
        }),
      }
    : null;

  return {
    assessment: {
      bp: bp
        ? {
            class: bp.classification.class,
            systolic: bp.systolic,
            diastolic: bp.diastolic,
            readingsAveraged: bp.readingsAveraged,
          }
        : null,
      glucose,
      referral: { urgent, reasons: findings.map((f) => f.reason) },
      adviceKeys: keys,
      followUpDue,
      policyVersion: policyVersion(pack),
    },
    faults,
    villagerAction: {
      zh: fill(pack.texts.actions[action]!.zh, { date: followUpDue ? sayDate(followUpDue, "zh") : "" }),
      en: fill(pack.texts.actions[action]!.en, { date: followUpDue ? sayDate(followUpDue, "en") : "" }),
    },
    doctorAlert,
    advice,
    bpGrade: bp ? bp.classification.grade : null,
  };
}

let cachedDefault: PolicyPack | null = null;

/** The bundled sample pack (示范县, fictional), read once. */
export function loadDefaultPolicy(): PolicyPack {
  cachedDefault ??= loadPolicyFile(samplePolicyPath());
  return cachedDefault;
}

export { classifyBp, MMHG_PER_KPA } from "./bp.js";
export { ADVICE_KEYS, DANGER_SYMPTOMS, TCM_TYPES } from "./codes.js";
export { explainEntitlements } from "./entitlements.js";
export { classifyGlucose } from "./glucose.js";
export { loadPolicyFile, readPolicyJson } from "./load-policy.js";
export { PolicyHolder, parsePolicyPack } from "./policy-holder.js";
export { PolicyPack } from "./policy-schema.js";
export { type ProgrammeVisit, visitFromRecord } from "./programme-visit.js";
export {
  byPriority,
  type Programme,
  type ProgrammeEntry,
  type ProgrammePerson,
  programmeEntries,
} from "./programmes.js";
export { scoreTcm, TCM_ITEMS, type TcmResult } from "./tcm.js";
export { computeVisitClass, VISIT_CLASSES, VisitClass } from "./visit-class.js";
