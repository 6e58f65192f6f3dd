import { describe, expect, it } from "vitest";
import { promptFor } from "../../station/workflow/prompt.js";
import type { Model, Session } from "../../station/workflow/types.js";
import { ATTRACT, createUpdate } from "../../station/workflow/update.js";
import { toView } from "../../station/workflow/view.js";
import { bp, CONFIG, fakeAssess, glucose, identify, OTHER, PERSON, RECORD_ID, run, ui } from "./fixtures.js";

const toConsent = [identify(), ui({ type: "confirm" })];
/** Idle timer length: the warning shows for the last 15 s. */
const IDLE_MS = CONFIG.inactivityMs - 15_000;
const promptKey = (m: Model) => promptFor(toView(m, { glucoseSkippable: true })).key;
const toBp = [...toConsent, ui({ type: "consent", accept: true })];

describe("identification", () => {
  it("given attract, when a card is identified, then the person is shown and the session starts", () => {
    const { model, effects } = run(ATTRACT, [identify()]);
    expect(model.step).toBe("identified");
    if (model.step !== "identified") return;
    expect(model.session.person.idNumber).toBe(PERSON.idNumber);
    expect(model.session.recordId).toBe(RECORD_ID);
    expect(model.session.age).toBe(81);
    expect(effects).toContainEqual({ type: "set-timer", name: "inactivity", ms: IDLE_MS });
  });

  it("given a rejected card, then attract shows a notice that clears later", () => {
    const fault = { code: "card-expired", message: { zh: "过期", en: "expired" }, retryable: false };
    const r = run(ATTRACT, [{ type: "card-rejected", fault }]);
    expect(r.model).toEqual({ step: "attract", notice: fault });
    const cleared = run(r.model, [{ type: "timer", name: "notice" }]);
    expect(cleared.model).toEqual(ATTRACT);
  });

  it("'not me' clears the person at once", () => {
    expect(run(ATTRACT, [identify(), ui({ type: "not-me" })]).model).toEqual(ATTRACT);
  });

  it("a second person's card during a measurement is ignored, never mixed into the session", () => {
    const { model } = run(ATTRACT, [
      ...toBp,
      { type: "bp-reading", reading: bp(120, 80) },
      identify(OTHER, null),
    ]);
    expect(model.step).toBe("bp");
    if (model.step === "bp") expect(model.session.person.idNumber).toBe(PERSON.idNumber);
  });

  it("a new card on the result screen starts a fresh session for the new person", () => {
    const done = run(ATTRACT, [
      ...toBp,
      { type: "bp-reading", reading: bp(120, 80) },
      ui({ type: "next" }),
      ui({ type: "skip" }),
      { type: "saved", recordId: RECORD_ID },
    ]);
    expect(done.model.step).toBe("result");
    const { model } = run(done.model, [identify(OTHER, null)]);
    expect(model.step).toBe("identified");
    if (model.step === "identified") {
      expect(model.session.person.idNumber).toBe(OTHER.idNumber);
      expect(model.session.bpReadings).toEqual([]);
    }
  });
});

describe("consent", () => {
  it("declining returns to attract without a record", () => {
    const { model, effects } = run(ATTRACT, [...toConsent, ui({ type: "consent", accept: false })]);
    expect(model).toEqual(ATTRACT);
    expect(effects.some((e) => e.type === "save")).toBe(false);
  });
  it("accepting records the consent time and asks for blood pressure", () => {
    const { model } = run(ATTRACT, toBp);
    expect(model.step).toBe("bp");
    if (model.step === "bp") {
      expect(model.phase).toBe("ready");
      expect(model.session.consentAt).toBe("2026-11-22T02:00:00.000Z");
    }
  });
  it("back from consent returns to the identity screen", () => {
    expect(run(ATTRACT, [...toConsent, ui({ type: "back" })]).model.step).toBe("identified");
  });
});

describe("blood pressure", () => {
  it("a normal reading needs no repeat", () => {
    const { model } = run(ATTRACT, [
      ...toBp,
      { type: "bp-measuring" },
      { type: "bp-reading", reading: bp(118, 76) },
    ]);
    expect(model).toMatchObject({ step: "bp", phase: "done" });
  });

  it("a high first reading is repeated after a pause and both are kept for averaging", () => {
    const first = run(ATTRACT, [...toBp, { type: "bp-reading", reading: bp(152, 94) }]);
    expect(first.model).toMatchObject({ step: "bp", phase: "rest", restUntil: "2026-11-22T02:01:00.000Z" });
    expect(first.effects).toContainEqual({ type: "set-timer", name: "bp-rest", ms: CONFIG.bpRepeatPauseMs });
    // A reading during the rest is not accepted: the pause is the point.
    const early = run(first.model, [{ type: "bp-reading", reading: bp(150, 92) }]);
    expect(early.model).toBe(first.model);
    const second = run(first.model, [
      { type: "timer", name: "bp-rest" },
      { type: "bp-reading", reading: bp(146, 90) },
    ]);
    expect(second.model).toMatchObject({ step: "bp", phase: "done" });
    if (second.model.step === "bp")
      expect(second.model.session.bpReadings.map((r) => r.systolic)).toEqual([152, 146]);
  });

  it("the repeat threshold applies to the diastolic alone", () => {
    expect(run(ATTRACT, [...toBp, { type: "bp-reading", reading: bp(130, 90) }]).model).toMatchObject({
      phase: "rest",
    });
    expect(run(ATTRACT, [...toBp, { type: "bp-reading", reading: bp(139, 89) }]).model).toMatchObject({
      phase: "done",
    });
  });

  it("the villager may skip the repeat and keep one reading", () => {
    const { model } = run(ATTRACT, [
      ...toBp,
      { type: "bp-reading", reading: bp(152, 94) },
      ui({ type: "skip" }),
    ]);
    expect(model).toMatchObject({ step: "bp", phase: "done" });
  });

  it("a device fault is shown with a retry that goes back to ready", () => {
    const fault = { code: "cuff-loose", message: { zh: "袖带松", en: "cuff loose" }, retryable: true };
    const f = run(ATTRACT, [...toBp, { type: "bp-measuring" }, { type: "bp-fault", fault }]);
    expect(f.model).toMatchObject({ step: "bp", phase: "fault", fault });
    expect(run(f.model, [ui({ type: "retry" })]).model).toMatchObject({
      step: "bp",
      phase: "ready",
      fault: null,
    });
  });

  it("'measure again' on the done screen discards the readings", () => {
    const { model } = run(ATTRACT, [
      ...toBp,
      { type: "bp-reading", reading: bp(118, 76) },
      ui({ type: "retry" }),
    ]);
    expect(model).toMatchObject({ step: "bp", phase: "ready" });
    if (model.step === "bp") expect(model.session.bpReadings).toEqual([]);
  });
});

describe("glucose", () => {
  const toGlucose = [...toBp, { type: "bp-reading" as const, reading: bp(118, 76) }, ui({ type: "next" })];

  it("asks the sample type first, then waits for the meter", () => {
    const a = run(ATTRACT, toGlucose);
    expect(a.model).toMatchObject({ step: "glucose", phase: "sample-type" });
    const b = run(a.model, [ui({ type: "sample-type", sampleType: "fasting" })]);
    expect(b.model).toMatchObject({ step: "glucose", phase: "waiting" });
  });

  it("the villager's sample type wins over the meter's flag", () => {
    const calls: Session[] = [];
    const u = createUpdate({ config: CONFIG, assess: fakeAssess(calls) });
    const { model } = run(
      ATTRACT,
      [
        ...toGlucose,
        ui({ type: "sample-type", sampleType: "fasting" }),
        { type: "glucose-reading", reading: glucose(6.5) },
      ],
      u,
    );
    expect(model.step).toBe("saving");
    expect(calls[0]?.glucose).toMatchObject({ mmolL: 6.5, sampleType: "fasting" });
  });

  it("a reading that arrives before the answer is kept and used once answered", () => {
    const calls: Session[] = [];
    const u = createUpdate({ config: CONFIG, assess: fakeAssess(calls) });
    const { model } = run(
      ATTRACT,
      [
        ...toGlucose,
        { type: "glucose-reading", reading: glucose(7.2) },
        ui({ type: "sample-type", sampleType: "postprandial" }),
      ],
      u,
    );
    expect(model.step).toBe("saving");
    expect(calls[0]?.glucose).toMatchObject({ mmolL: 7.2, sampleType: "postprandial" });
  });

  it("can be skipped", () => {
    const { model, effects } = run(ATTRACT, [...toGlucose, ui({ type: "skip" })]);
    expect(model.step).toBe("saving");
    expect(effects.some((e) => e.type === "save")).toBe(true);
  });

  it("cannot be skipped when the county turns skipping off", () => {
    const u = createUpdate({ config: { ...CONFIG, glucoseSkippable: false }, assess: fakeAssess() });
    expect(run(ATTRACT, [...toGlucose, ui({ type: "skip" })], u).model).toMatchObject({ step: "glucose" });
  });

  it("back walks to the sample question, then to the blood-pressure result", () => {
    const w = run(ATTRACT, [...toGlucose, ui({ type: "sample-type", sampleType: "random" })]);
    const b1 = run(w.model, [ui({ type: "back" })]);
    expect(b1.model).toMatchObject({ step: "glucose", phase: "sample-type" });
    expect(run(b1.model, [ui({ type: "back" })]).model).toMatchObject({ step: "bp", phase: "done" });
  });

  it("a meter fault while waiting offers a retry", () => {
    const fault = {
      code: "sample-insufficient",
      message: { zh: "血量不足", en: "too little blood" },
      retryable: true,
    };
    const f = run(ATTRACT, [
      ...toGlucose,
      ui({ type: "sample-type", sampleType: "random" }),
      { type: "glucose-fault", fault },
    ]);
    expect(f.model).toMatchObject({ phase: "fault" });
    const r = run(f.model, [ui({ type: "retry" })]);
    expect(promptKey(r.model)).toBe("glucose-ready");
    expect(r.model).toMatchObject({ phase: "waiting" });
    expect(r.effects).toContainEqual({ type: "announce" });
  });
});

describe("saving and the result", () => {
  const toSaving = [
    ...toBp,
    { type: "bp-reading" as const, reading: bp(118, 76) },
    ui({ type: "next" }),
    ui({ type: "skip" }),
  ];

  it("saves once, then shows the result and prints", () => {
    const s = run(ATTRACT, toSaving);
    expect(s.effects.filter((e) => e.type === "save")).toHaveLength(1);
    const r = run(s.model, [{ type: "saved", recordId: RECORD_ID }]);
    expect(r.model).toMatchObject({ step: "result", print: "printing" });
    expect(r.effects.some((e) => e.type === "print")).toBe(true);
    expect(r.effects).toContainEqual({ type: "announce" });
    expect(promptKey(r.model)).toBe("result-normal");
  });

  it("a high-normal result is announced as raised, agreeing with the advice on screen", () => {
    const base = fakeAssess();
    const u = createUpdate({
      config: CONFIG,
      assess: (sess) => {
        const o = base(sess);
        return {
          ...o,
          assessment: {
            ...o.assessment,
            bp: { class: "high-normal", systolic: 132, diastolic: 84, readingsAveraged: 1 },
          },
        };
      },
    });
    const r = run(ATTRACT, [...toSaving, { type: "saved", recordId: RECORD_ID }], u);
    expect(promptKey(r.model)).toBe("result-raised");
  });

  it("an urgent referral alerts the doctor and sounds the alarm", () => {
    const s = run(ATTRACT, [
      ...toBp,
      { type: "bp-reading", reading: bp(186, 112) },
      { type: "timer", name: "bp-rest" },
      { type: "bp-reading", reading: bp(184, 110) },
      ui({ type: "next" }),
      ui({ type: "skip" }),
      { type: "saved", recordId: RECORD_ID },
    ]);
    expect(s.effects).toContainEqual({
      type: "alert-doctor",
      reason: "urgent-referral",
      recordId: RECORD_ID,
    });
    expect(s.effects).toContainEqual({ type: "buzz", pattern: "alert" });
    expect(promptKey(s.model)).toBe("result-urgent");
  });

  it("a failed save keeps the check-up on screen, retries by itself, and never times out", () => {
    const fault = { code: "disk-full", message: { zh: "满", en: "full" }, retryable: true };
    const s = run(ATTRACT, [...toSaving, { type: "save-failed", fault }]);
    expect(s.model).toMatchObject({ step: "saving", error: fault });
    expect(s.effects).toContainEqual({ type: "set-timer", name: "save-retry", ms: CONFIG.saveRetryMs });
    expect(run(s.model, [{ type: "timer", name: "inactivity" }]).model.step).toBe("saving");
    expect(run(s.model, [ui({ type: "cancel" })]).model.step).toBe("saving");
    const retry = run(s.model, [{ type: "timer", name: "save-retry" }]);
    expect(retry.effects.filter((e) => e.type === "save")).toHaveLength(1);
    // The retry saves the same session, so the same record id: never a duplicate.
    const saveEffect = retry.effects.find((e) => e.type === "save");
    expect(saveEffect?.type === "save" && saveEffect.session.recordId).toBe(RECORD_ID);
  });

  it("a stale 'saved' for another record is ignored", () => {
    const s = run(ATTRACT, toSaving);
    expect(run(s.model, [{ type: "saved", recordId: "019ab5a0-0000-7000-8000-00000000ffff" }]).model).toBe(
      s.model,
    );
  });

  it("print failure is shown and reprint is possible", () => {
    const fault = { code: "paper-out", message: { zh: "缺纸", en: "paper out" }, retryable: true };
    const r = run(ATTRACT, [
      ...toSaving,
      { type: "saved", recordId: RECORD_ID },
      { type: "print-failed", fault },
    ]);
    expect(r.model).toMatchObject({ step: "result", print: "failed", printFault: fault });
    const again = run(r.model, [ui({ type: "print" })]);
    expect(again.model).toMatchObject({ print: "printing" });
    expect(again.effects.some((e) => e.type === "print")).toBe(true);
  });

  it("finish returns to attract", () => {
    const r = run(ATTRACT, [...toSaving, { type: "saved", recordId: RECORD_ID }, ui({ type: "finish" })]);
    expect(r.model).toEqual(ATTRACT);
  });
});

describe("inactivity and cancel", () => {
  const steps: Array<[string, Model]> = [
    ["identified", run(ATTRACT, [identify()]).model],
    ["consent", run(ATTRACT, toConsent).model],
    ["bp", run(ATTRACT, toBp).model],
    [
      "glucose",
      run(ATTRACT, [...toBp, { type: "bp-reading", reading: bp(118, 76) }, ui({ type: "next" })]).model,
    ],
  ];
  it.each(steps)(
    "inactivity on %s warns first, then returns to attract with no personal data left",
    (_name, model) => {
      const warned = run(model, [{ type: "timer", name: "inactivity" }]);
      expect(warned.model).toMatchObject({ step: model.step, idleUntil: "2026-11-22T02:00:15.000Z" });
      expect(warned.effects).toContainEqual({ type: "set-timer", name: "inactivity", ms: 15_000 });
      expect(promptKey(warned.model)).toBe("still-there");
      const r = run(warned.model, [{ type: "timer", name: "inactivity" }]);
      expect(r.model).toEqual(ATTRACT);
      expect(JSON.stringify(r.model)).not.toContain(PERSON.name);
      expect(r.effects).toContainEqual({ type: "clear-all-timers" });
    },
  );
  it.each(steps)("cancel on %s returns to attract", (_name, model) => {
    expect(run(model, [ui({ type: "cancel" })]).model).toEqual(ATTRACT);
  });
  it("a touch keeps the session alive", () => {
    const m = run(ATTRACT, toConsent).model;
    const r = run(m, [ui({ type: "touch" })]);
    expect(r.model).toBe(m);
    expect(r.effects).toEqual([{ type: "set-timer", name: "inactivity", ms: IDLE_MS }]);
  });
  it("a touch during the warning keeps the session and takes the warning down", () => {
    const warned = run(run(ATTRACT, toConsent).model, [{ type: "timer", name: "inactivity" }]).model;
    const r = run(warned, [ui({ type: "touch" })]);
    expect(r.model.step).toBe("consent");
    expect(r.model.idleUntil).toBeUndefined();
    expect(r.effects).toContainEqual({ type: "set-timer", name: "inactivity", ms: IDLE_MS });
    expect(promptKey(r.model)).toBe("consent");
  });
  it("the result screen warns too, and a touch keeps it for another full period", () => {
    const result = run(ATTRACT, [
      ...toBp,
      { type: "bp-reading", reading: bp(118, 76) },
      ui({ type: "next" }),
      ui({ type: "skip" }),
      { type: "saved", recordId: RECORD_ID },
    ]);
    expect(result.effects).toContainEqual({
      type: "set-timer",
      name: "result",
      ms: CONFIG.resultMs - 15_000,
    });
    const warned = run(result.model, [{ type: "timer", name: "result" }]);
    expect(warned.effects).toContainEqual({ type: "clear-timer", name: "inactivity" });
    expect(warned.model).toMatchObject({ step: "result", idleUntil: "2026-11-22T02:00:15.000Z" });
    const touched = run(warned.model, [ui({ type: "touch" })]);
    expect(touched.model.idleUntil).toBeUndefined();
    expect(touched.effects).toContainEqual({
      type: "set-timer",
      name: "result",
      ms: CONFIG.resultMs - 15_000,
    });
    expect(run(warned.model, [{ type: "timer", name: "result" }]).model).toEqual(ATTRACT);
  });
  it("a device event that is not a touch leaves the warning up", () => {
    const warned = run(run(ATTRACT, toBp).model, [{ type: "timer", name: "inactivity" }]).model;
    expect(run(warned, [{ type: "printed" }]).model.idleUntil).toBe("2026-11-22T02:00:15.000Z");
  });
  it("the help button alerts the doctor from any step", () => {
    const r = run(run(ATTRACT, toBp).model, [ui({ type: "help" })]);
    expect(r.effects).toContainEqual({ type: "alert-doctor", reason: "help", recordId: RECORD_ID });
  });
});
