/**
 * The words a villager hears and sees: verdicts scale with severity, every referred value is
 * danger, fault prompts speak the fault's own reason, and every prompt key has both languages
 * with the same placeholders. Uses the real assessment (sample county pack), not a stand-in.
 */
import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import type { ViewState } from "../../station/protocol.js";
import { assessSession } from "../../station/runtime/assess-session.js";
import { faultFor } from "../../station/runtime/fault-text.js";
import { promptFor } from "../../station/workflow/prompt.js";
import { buildSlip } from "../../station/workflow/slip.js";
import type { Model } from "../../station/workflow/types.js";
import { createUpdate } from "../../station/workflow/update.js";
import { bpVerdict, glucoseVerdict } from "../../station/workflow/verdict.js";
import { toView } from "../../station/workflow/view.js";
import { VOICE } from "../../station/workflow/voice.js";
import { bp, CONFIG, identify, RECORD_ID, run, ui } from "./fixtures.js";

const pack = loadDefaultPolicy();
const real = createUpdate({ config: CONFIG, assess: (s, env) => assessSession(s, env, pack) });
const view = (m: Model) => toView(m, { glucoseSkippable: true });
const toBp = [identify(), ui({ type: "confirm" }), ui({ type: "consent", accept: true })];

function resultFor(sbp: number, dbp: number, mmolL: number | null, sampleType = "random") {
  const events = [...toBp, { type: "bp-reading" as const, reading: bp(sbp, dbp) }];
  if (sbp >= 140 || dbp >= 90) events.push(ui({ type: "skip" }));
  events.push(ui({ type: "next" }));
  if (mmolL === null) events.push(ui({ type: "skip" }));
  else
    events.push(ui({ type: "sample-type", sampleType: sampleType as "random" }), {
      type: "glucose-reading",
      reading: {
        kind: "glucose",
        mmolL,
        sampleType: "random",
        takenAt: "2026-11-22T02:00:00Z",
        source: "device",
      },
    });
  events.push({ type: "saved", recordId: RECORD_ID });
  const v = view(run({ step: "attract", notice: null }, events, real).model);
  if (v.step !== "result") throw new Error(`expected result, got ${v.step}`);
  return v;
}

describe("verdicts", () => {
  it.each([
    [118, 76, "normal"],
    [132, 84, "raised"],
    [152, 94, "raised"],
    [165, 95, "high"],
    [150, 105, "high"],
    [186, 112, "danger"],
    [182, 80, "danger"],
  ])("BP %i/%i is %s", (s, d, verdict) => {
    expect(bpVerdict(s, d, [])).toBe(verdict);
  });

  it("a county that refers earlier makes that value danger too", () => {
    expect(bpVerdict(172, 95, ["sbp-severe"])).toBe("danger");
    expect(glucoseVerdict("diabetes-range", ["glucose-severe-high"])).toBe("danger");
  });

  it("186/112 with glucose 18.5 is danger for both, spoken as urgent, and carries no diagnosis", () => {
    const v = resultFor(186, 112, 18.5);
    expect(v.result.verdicts).toMatchObject({ bp: "danger", glucose: "danger", overall: "danger" });
    const p = promptFor(v);
    expect(p.key).toBe("result-urgent");
    expect(p.params).toEqual({ bp: "danger", glucose: "danger" });
    expect(p.text.zh).toContain("血压危险");
    expect(p.text.zh).toContain("血糖危险");
    expect(p.text.zh).not.toMatch(/高血压|糖尿病|≥/);
  });

  it("low glucose is danger and the prompt says to eat sugar", () => {
    const v = resultFor(118, 76, 3.2);
    expect(v.result.verdicts).toMatchObject({ glucose: "danger", glucoseLow: true });
    const p = promptFor(v);
    expect(p.key).toBe("result-urgent-low");
    expect(p.text.zh).toContain("糖");
  });

  it("a normal result says normal; a raised one asks for a recheck", () => {
    expect(promptFor(resultFor(118, 76, 5.4, "fasting")).key).toBe("result-normal");
    const raised = resultFor(118, 76, 6.5, "fasting");
    expect(raised.result.verdicts.glucose).toBe("raised");
    expect(promptFor(raised).key).toBe("result-raised");
    expect(promptFor(resultFor(165, 95, null)).text.zh).toContain("血糖没有测");
  });
});

describe("prompts follow the view", () => {
  it("the repeat prompt after 186/112 says very high, after 152/94 raised", () => {
    const high = view(
      run({ step: "attract", notice: null }, [...toBp, { type: "bp-reading", reading: bp(186, 112) }], real)
        .model,
    );
    expect(promptFor(high).key).toBe("bp-repeat-very-high");
    expect(promptFor(high).text.zh).toContain("很高");
    const raised = view(
      run({ step: "attract", notice: null }, [...toBp, { type: "bp-reading", reading: bp(152, 94) }], real)
        .model,
    );
    expect(promptFor(raised).key).toBe("bp-repeat");
    expect(promptFor(raised).text.zh).not.toContain("有点高");
  });

  it("a fault prompt speaks the fault's own words (the screen shows the same), under its own key", () => {
    const fault = faultFor("bp", { code: "cuff-loose", message: "x", retryable: true });
    expect(fault.message.zh).toContain("袖带太松");
    const v = view(
      run({ step: "attract", notice: null }, [...toBp, { type: "bp-fault", fault }], real).model,
    );
    expect(promptFor(v)).toEqual({ key: "bp-fault-cuff-loose", params: {}, text: fault.message });
    expect(VOICE["bp-fault-cuff-loose"]).toEqual(fault.message);
  });

  it("a fault with words of the device's own (not in the table) is spoken as the general fault", () => {
    const fault = faultFor("glucose", {
      code: "vendor-17",
      message: "x",
      retryable: true,
      guidance: { zh: "请换试纸。", en: "Change the strip." },
    });
    const v = view(
      run(
        { step: "attract", notice: null },
        [
          ...toBp,
          { type: "bp-reading", reading: bp(118, 76) },
          ui({ type: "next" }),
          ui({ type: "sample-type", sampleType: "random" }),
          { type: "glucose-fault", fault },
        ],
        real,
      ).model,
    );
    expect(promptFor(v)).toEqual({ key: "glucose-fault", params: {}, text: fault.message });
  });

  it("an unreadable card: voice and screen say the same thing", () => {
    for (const code of ["card-text-invalid", "read-failed"]) {
      const fault = faultFor("card-reader", { code, message: "x", retryable: true });
      const v = view(run({ step: "attract", notice: null }, [{ type: "card-rejected", fault }], real).model);
      const p = promptFor(v);
      expect(v.step === "attract" && v.notice?.message).toEqual(p.text);
      // The recorded prompt for that key says those very words.
      expect(VOICE[p.key]).toEqual(p.text);
    }
  });

  it("every screen step has a prompt key with text in both languages", () => {
    const states: ViewState[] = [];
    let m: Model = { step: "attract", notice: null };
    for (const e of [...toBp, { type: "bp-reading" as const, reading: bp(118, 76) }, ui({ type: "next" })]) {
      m = real(m, e, { now: "2026-11-22T02:00:00.000Z", today: "2026-11-22" }).model;
      states.push(view(m));
    }
    for (const s of states) {
      const p = promptFor(s);
      expect(VOICE).toHaveProperty(p.key);
      expect(p.text.zh.length).toBeGreaterThan(0);
      expect(p.text.en.length).toBeGreaterThan(0);
    }
  });
});

describe("the slip", () => {
  it("carries the referral text and the verdicts the screen shows, with the average marked", () => {
    const events = [
      ...toBp,
      { type: "bp-reading" as const, reading: bp(186, 112) },
      { type: "timer" as const, name: "bp-rest" as const },
      { type: "bp-reading" as const, reading: bp(184, 110) },
      ui({ type: "next" }),
      ui({ type: "skip" }),
      { type: "saved" as const, recordId: RECORD_ID },
    ];
    const m = run({ step: "attract", notice: null }, events, real).model;
    if (m.step !== "result") throw new Error(m.step);
    const slip = buildSlip(m.session, m.outcome, {
      clinicName: "c",
      stationId: "s",
      localTime: "2026-11-22 10:00",
      doctor: { name: "赵医生", phone: "0" },
    });
    const text = slip.lines.map((l) => l.text).join("\n");
    expect(text).toContain("危险（2次测量的平均值）");
    expect(text).toContain("转诊说明：紧急转诊");
    expect(text).toContain(`记录号 ${RECORD_ID.slice(-12)}`);
  });
});

describe("the voice table", () => {
  it("has zh and en for every key, with the same placeholders", () => {
    for (const [key, t] of Object.entries(VOICE)) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(t.zh), key).toEqual(names(t.en));
      expect(t.zh, key).not.toMatch(/收缩压|舒张压|≥|mmHg/);
      // Printing may fail after the result is announced: no prompt promises a slip.
      if (key.startsWith("result-")) expect(`${t.zh} ${t.en}`, key).not.toMatch(/小票|slip/);
    }
  });
});
