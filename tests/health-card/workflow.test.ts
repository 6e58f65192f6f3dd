import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { buildHealthCard } from "../../station/health-card/card.js";
import { healthCardRefusal, withHealthCard } from "../../station/health-card/workflow.js";
import type { Event, Model } from "../../station/workflow/types.js";
import { ATTRACT, createUpdate } from "../../station/workflow/update.js";
import { toView } from "../../station/workflow/view.js";
import {
  bp,
  CONFIG,
  ENV,
  fakeAssess,
  identify,
  PERSON,
  RECORD_ID,
  ROSTER,
  run,
  ui,
} from "../workflow/fixtures.js";

const deps = { config: CONFIG, assess: fakeAssess() };
const update = withHealthCard(createUpdate(deps), deps);
const go = (m: Model, events: Event[]) => run(m, events, update);

const card = buildHealthCard(
  {
    person: PERSON,
    roster: ROSTER,
    visits: [
      {
        id: "v1",
        version: 1,
        source: "station",
        date: "2026-05-01",
        takenAt: "2026-05-01T02:00:00.000Z",
        kind: "checkup",
        bp: { systolic: 158, diastolic: 96, readingsAveraged: 2, class: "grade1" },
        glucose: null,
        urgentReferral: false,
        followUpDue: null,
        rejected: null,
      },
    ],
  },
  loadDefaultPolicy(),
  ENV.today,
);
const manual: Event = { ...identify(), operator: { kind: "doctor", doctorId: "clinic" } } as Event;
const manualPerson: Event = {
  type: "identified",
  person: { ...PERSON, source: "manual" },
  roster: ROSTER,
  recordId: RECORD_ID,
  operator: { kind: "doctor", doctorId: "clinic" },
};

function opened() {
  const r = go(ATTRACT, [identify(), ui({ type: "health-card" })]);
  expect(r.model.step).toBe("health-card");
  return r;
}

describe("opening the health card", () => {
  it("opens for the person whose card was just read, and asks the runtime to load it", () => {
    const { effects } = opened();
    expect(effects).toContainEqual(expect.objectContaining({ type: "load-health-card" }));
    expect(effects).toContainEqual({ type: "set-timer", name: "inactivity", ms: CONFIG.inactivityMs });
  });

  it("never opens for a manually entered ID (doctor-typed), whatever the person record says", () => {
    for (const ev of [manual, manualPerson]) {
      const r = go(ATTRACT, [ev, ui({ type: "health-card" })]);
      expect(r.model.step).toBe("identified");
      expect(r.effects).not.toContainEqual(expect.objectContaining({ type: "load-health-card" }));
      expect(healthCardRefusal(r.model)?.code).toBe("health-card-needs-card");
    }
  });

  it("does not open once the card was lifted, and opens again when it is put back", () => {
    const lifted = go(ATTRACT, [identify(), { type: "card-removed" }, ui({ type: "health-card" })]);
    expect(lifted.model.step).toBe("identified");
    expect(lifted.effects).toContainEqual({ type: "buzz", pattern: "prompt" });
    const back = go(lifted.model, [identify(), ui({ type: "health-card" })]);
    expect(back.model.step).toBe("health-card");
  });

  it("is offered after a result too, and back returns to that result with its timer", () => {
    const done = go(ATTRACT, [
      identify(),
      ui({ type: "confirm" }),
      ui({ type: "consent", accept: true }),
      { type: "bp-reading", reading: bp(120, 78) },
      ui({ type: "next" }),
      ui({ type: "skip" }),
      { type: "saved", recordId: RECORD_ID },
    ]);
    expect(done.model.step).toBe("result");
    const open = go(done.model, [ui({ type: "health-card" })]);
    expect(open.model.step).toBe("health-card");
    expect(open.effects).toContainEqual({ type: "clear-timer", name: "result" });
    const back = go(open.model, [ui({ type: "back" })]);
    expect(back.model.step).toBe("result");
    expect(back.effects).toContainEqual({ type: "set-timer", name: "result", ms: CONFIG.resultMs });
  });

  it("does not open in the middle of a check-up", () => {
    const r = go(ATTRACT, [identify(), ui({ type: "confirm" }), ui({ type: "health-card" })]);
    expect(r.model.step).toBe("consent");
  });
});

describe("closing the health card", () => {
  function loaded() {
    const { model } = opened();
    const r = go(model, [{ type: "health-card-ready", recordId: RECORD_ID, card }]);
    expect(toView(r.model, { glucoseSkippable: true })).toMatchObject({
      step: "health-card",
      card: { tags: ["age65", "registered-poor", "hypertension"] },
    });
    return r;
  }

  it("closes when the card is lifted, and nothing of it is left in the state sent to the screen", () => {
    const { model } = loaded();
    const r = go(model, [{ type: "card-removed" }]);
    expect(r.model).toEqual(ATTRACT);
    expect(r.effects).toContainEqual({ type: "clear-all-timers" });
    const sent = JSON.stringify(toView(r.model, { glucoseSkippable: true }));
    for (const secret of [
      "杨",
      "hypertension",
      "registered-poor",
      "赵医生",
      "158",
      PERSON.idNumber.slice(-4),
    ])
      expect(sent).not.toContain(secret);
  });

  it("closes on inactivity, after the 还在吗？ warning", () => {
    const { model } = loaded();
    const warned = go(model, [{ type: "timer", name: "inactivity" }]);
    expect(warned.model).toMatchObject({ step: "health-card", idleUntil: expect.any(String) });
    const r = go(warned.model, [{ type: "timer", name: "inactivity" }]);
    expect(r.model).toEqual(ATTRACT);
  });

  it("asks the station to speak the view's prompt once the card is loaded (prompt.ts: the first page)", () => {
    const { effects } = loaded();
    expect(effects).toContainEqual({ type: "announce" });
  });

  it("prints the health-card slip once per press, and a stale load is ignored", () => {
    const { model } = loaded();
    const p = go(model, [ui({ type: "health-card-print" }), ui({ type: "health-card-print" })]);
    expect(p.effects.filter((e) => e.type === "print-health-card")).toHaveLength(1);
    const stale = go(opened().model, [{ type: "health-card-ready", recordId: "other", card }]);
    expect(stale.model.step === "health-card" && stale.model.card).toBeNull();
  });
});
