/**
 * Projects the workflow model onto what a screen may show. This is the privacy boundary:
 * the full ID number, address and card details never leave the station process.
 */
import { maskIdNumber, maskName } from "../domain/id-number.js";
import type { BpReading } from "../domain/schema.js";
import type { BpView, PersonView, ResultView, ViewState } from "../protocol.js";
import type { AssessmentOutcome, Model, Session } from "./types.js";
import { bpVerdict, glucoseIsLow, glucoseVerdict, worst } from "./verdict.js";

const FREE_CHECKUP_CATEGORIES = new Set([
  "registered-poor",
  "subsistence",
  "destitute",
  "poor-disabled",
  "age65",
]);

export function personView(s: Session): PersonView {
  const categories = s.roster ? [...s.roster.categories] : [];
  return {
    // The villager sees their own name masked too: a queue stands behind the kiosk.
    name: maskName(s.person.name),
    maskedId: maskIdNumber(s.person.idNumber),
    sex: s.person.sex,
    age: s.age,
    categories,
    onRoster: s.roster !== null,
    freeCheckup: s.age >= 65 || categories.some((c) => FREE_CHECKUP_CATEGORIES.has(c)),
    doctor: s.roster?.doctor ?? null,
    assisted: s.assisted !== null,
  };
}

function bpView(r: BpReading): BpView {
  return {
    systolic: r.systolic,
    diastolic: r.diastolic,
    pulse: r.pulse ?? null,
    unit: r.unit,
    statusFlags: [...r.statusFlags],
  };
}

export function resultView(recordId: string, o: AssessmentOutcome): ResultView {
  const a = o.assessment;
  const reasons = a.referral.reasons;
  const bp = a.bp ? bpVerdict(a.bp.systolic, a.bp.diastolic, reasons) : null;
  const glucose = a.glucose ? glucoseVerdict(a.glucose.class, reasons) : null;
  return {
    recordId,
    verdicts: {
      bp,
      glucose,
      glucoseLow: a.glucose ? glucoseIsLow(a.glucose.class, reasons) : false,
      // A referral for a symptom alone is still danger, even with normal numbers.
      overall: a.referral.urgent ? "danger" : worst(bp, glucose),
    },
    bp: a.bp ? { ...a.bp } : null,
    glucose: a.glucose ? { ...a.glucose } : null,
    urgent: a.referral.urgent,
    referralReasons: [...a.referral.reasons],
    villagerAction: o.villagerAction,
    doctorAlert: o.doctorAlert,
    advice: o.advice,
    followUpDue: a.followUpDue,
    faults: o.faults,
  };
}

export function toView(model: Model, opts: { glucoseSkippable: boolean }): ViewState {
  const view = stepView(model, opts);
  return model.idleUntil ? { ...view, idle: { until: model.idleUntil } } : view;
}

function stepView(model: Model, opts: { glucoseSkippable: boolean }): ViewState {
  switch (model.step) {
    case "attract":
      return { step: "attract", notice: model.notice };
    case "identified":
      return { step: "identified", person: personView(model.session), notice: model.notice };
    case "consent":
      return { step: "consent", person: personView(model.session) };
    case "bp":
      return {
        step: "bp",
        person: personView(model.session),
        phase: model.phase,
        readings: model.session.bpReadings.map(bpView),
        repeat: model.session.bpReadings.length >= 1 && model.phase !== "done",
        restUntil: model.restUntil,
        fault: model.fault,
      };
    case "glucose":
      return {
        step: "glucose",
        person: personView(model.session),
        phase: model.phase,
        sampleType: model.session.sampleType,
        skippable: opts.glucoseSkippable,
        fault: model.fault,
      };
    case "saving":
      return { step: "saving", person: personView(model.session), error: model.error };
    case "result":
      return {
        step: "result",
        person: personView(model.session),
        result: resultView(model.session.recordId, model.outcome),
        print: model.print,
        printFault: model.printFault,
      };
    case "health-card":
      // The card already holds only what the villager may see (masked name, no ID number).
      return {
        step: "health-card",
        card: model.card,
        error: model.error,
        print: model.print,
        printFault: model.printFault,
        from: model.resume.step,
      };
  }
}
