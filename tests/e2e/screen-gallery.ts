/**
 * Every screen state the kiosk can draw, including the rare and fault ones a live check-up
 * cannot reach on demand (saving, a failed save, each device fault text, a result with nothing
 * measured). The e2e test feeds them to a real kiosk page through a mocked WebSocket and checks
 * the layout of each in both languages at both sizes.
 */
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import { BP_GUIDANCE } from "../../drivers/bp/bp-assess.js";
import { GLUCOSE_GUIDANCE } from "../../drivers/glucose/gls-assess.js";
import { FAULT_TEXT as CARD_TEXT } from "../../drivers/idcard/card.js";
import type { FaultView, PersonView, ResultView, ServerMessage, ViewState } from "../../station/protocol.js";
import { promptFor, voiceParams } from "../../station/workflow/prompt.js";
import { type Kiosks, SIZES } from "./kiosk-driver.js";

const person: PersonView = {
  name: "欧阳*花",
  maskedId: "510199********3797",
  sex: "female",
  age: 81,
  categories: ["registered-poor", "hypertension", "diabetes"],
  onRoster: true,
  freeCheckup: true,
  doctor: { name: "赵医生（演示）", phone: "0000-0000002" },
};

const fault = (code: string, t: { zh: string; en: string }): FaultView => ({
  code,
  message: { zh: t.zh, en: t.en },
  retryable: true,
});

const reading = (systolic: number, diastolic: number) => ({
  systolic,
  diastolic,
  pulse: 96,
  unit: "mmHg",
  statusFlags: [],
});

function result(over: Partial<ResultView>): ResultView {
  return {
    recordId: "019ad0c4-0000-7000-8000-000000000001",
    verdicts: { bp: "raised", glucose: "normal", glucoseLow: false, overall: "raised" },
    bp: { class: "grade1", systolic: 152, diastolic: 94, readingsAveraged: 2 },
    glucose: { class: "normal", mmolL: 5.4, sampleType: "postprandial" },
    urgent: false,
    referralReasons: [],
    villagerAction: {
      zh: "您的结果偏高。请在2026年12月15日以前再来复查。",
      en: "Your result is high. Please come back for a recheck by 15 Dec 2026.",
    },
    doctorAlert: null,
    advice: [],
    followUpDue: "2026-12-15",
    faults: [],
    ...over,
  };
}

const urgentAction = {
  zh: "您需要马上看医生。请不要自己回家。请现在告诉村医，或打120。",
  en: "You need a doctor now. Do not go home alone. Tell the village doctor now, or call 120.",
};

const bp = (phase: "ready" | "measuring" | "rest" | "fault" | "done", over: Record<string, unknown> = {}) =>
  ({
    step: "bp",
    person,
    phase,
    readings: [],
    repeat: false,
    restUntil: null,
    fault: null,
    ...over,
  }) as ViewState;

const glucose = (phase: "sample-type" | "waiting" | "fault", f: FaultView | null = null): ViewState => ({
  step: "glucose",
  person,
  phase,
  sampleType: phase === "sample-type" ? null : "fasting",
  skippable: true,
  fault: f,
});

export function galleryStates(): Array<{ name: string; view: ViewState }> {
  // A rest that will not end while this state is on screen, but looks like a real one.
  const far = new Date(Date.now() + 60_000).toISOString();
  const states: Array<{ name: string; view: ViewState }> = [
    { name: "attract", view: { step: "attract", notice: null } },
    ...Object.entries(CARD_TEXT).map(([code, t]) => ({
      name: `card-${code}`,
      view: { step: "attract", notice: fault(code, t) } as ViewState,
    })),
    { name: "identified", view: { step: "identified", person, notice: null } },
    {
      name: "identified-not-free",
      view: { step: "identified", person: { ...person, freeCheckup: false }, notice: null },
    },
    { name: "consent", view: { step: "consent", person } },
    { name: "bp-measuring", view: bp("measuring") },
    { name: "bp-ready-repeat", view: bp("ready", { repeat: true, readings: [reading(186, 112)] }) },
    { name: "bp-rest-very-high", view: bp("rest", { readings: [reading(186, 112)], restUntil: far }) },
    { name: "bp-done-two", view: bp("done", { readings: [reading(186, 112), reading(184, 110)] }) },
    ...Object.entries(BP_GUIDANCE).map(([code, t]) => ({
      name: `bp-fault-${code}`,
      view: bp("fault", { fault: fault(code, t), readings: [reading(152, 94)] }),
    })),
    ...Object.entries(GLUCOSE_GUIDANCE).map(([code, t]) => ({
      name: `glucose-fault-${code}`,
      view: glucose("fault", fault(code, t)),
    })),
    { name: "saving", view: { step: "saving", person, error: null } },
    {
      name: "saving-failed",
      view: {
        step: "saving",
        person,
        error: fault("save-failed", {
          zh: "结果保存失败，正在重试。请找医生。",
          en: "Saving failed; retrying. Please call the doctor.",
        }),
      },
    },
    {
      name: "result-nothing-measured",
      view: {
        step: "result",
        person,
        result: result({
          bp: null,
          glucose: null,
          verdicts: { bp: null, glucose: null, glucoseLow: false, overall: "normal" },
          villagerAction: {
            zh: "机器这次没有量准。请休息一下，再量一次。",
            en: "The machine did not get a good reading. Rest a moment and measure again.",
          },
          followUpDue: null,
        }),
        print: "printing",
        printFault: null,
      },
    },
    {
      name: "result-both-danger-print-failed",
      view: {
        step: "result",
        person,
        result: result({
          bp: { class: "grade3", systolic: 186, diastolic: 112, readingsAveraged: 2 },
          glucose: { class: "diabetes-range", mmolL: 18.5, sampleType: "postprandial" },
          verdicts: { bp: "danger", glucose: "danger", glucoseLow: false, overall: "danger" },
          urgent: true,
          referralReasons: ["sbp-severe", "dbp-severe", "glucose-severe-high"],
          villagerAction: urgentAction,
        }),
        print: "failed",
        printFault: fault("paper-out", {
          zh: "打印机没纸了，请找医生换纸。",
          en: "The printer is out of paper.",
        }),
      },
    },
    {
      name: "result-very-high-raised",
      view: {
        step: "result",
        person,
        result: result({
          bp: { class: "grade2", systolic: 168, diastolic: 102, readingsAveraged: 2 },
          glucose: { class: "impaired-fasting", mmolL: 6.5, sampleType: "fasting" },
          verdicts: { bp: "high", glucose: "raised", glucoseLow: false, overall: "high" },
        }),
        print: "printed",
        printFault: null,
      },
    },
  ];
  return states.map((s) => ({ name: s.name, view: { ...s.view, prompt: promptFor(s.view) } }));
}

/** Messages a station would send for this view: the view and its announcement. */
export function messagesFor(view: ViewState): ServerMessage[] {
  const p = view.prompt!;
  const vp = voiceParams(p);
  return [
    { topic: "workflow/state", payload: view },
    {
      topic: "voice",
      payload: { key: p.key, text: p.text, at: new Date().toISOString(), ...(vp ? { params: vp } : {}) },
    },
  ];
}

/** What the kiosk needs before it draws anything. */
export const BOOT: ServerMessage[] = [
  {
    topic: "station/info",
    payload: {
      stationId: "gallery",
      clinicName: "示范县某某村卫生室（演示）",
      doctor: { name: "王医生", phone: "0000-0000000" },
      version: "test",
      simulated: true,
    },
  },
  {
    topic: "devices/status",
    payload: {
      cardReader: { state: "connected", since: "x" },
      bp: { state: "connected", since: "x" },
      glucose: { state: "connected", since: "x" },
      // A printer problem keeps the status strip at its longest.
      printer: { state: "error", code: "paper-out", since: "x" },
      peripherals: { state: "connected", since: "x" },
    },
  },
  {
    topic: "help/status",
    payload: { waiting: [{ id: "1", at: "x", step: "bp", screen: "bp:fault", source: "button" }] },
  },
];

/**
 * Feeds every gallery state to a fresh page per size through a stand-in station on the page's
 * WebSocket (it acks every action), and checks each in zh and en: shown and spoken key and
 * params agree, and the layout passes `Kiosks.check`.
 */
export async function walkGallery(browser: Browser, url: string, kiosks: Kiosks): Promise<void> {
  const states = galleryStates();
  for (const [i, size] of SIZES.entries()) {
    const context = await browser.newContext({ viewport: size, locale: "zh-CN", hasTouch: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => kiosks.pageErrors.push(e.message));
    // A stand-in station on the page's WebSocket: it answers every action, and sends the state.
    let send: (m: unknown) => void = () => {};
    await page.routeWebSocket(/\/ws$/, (ws) => {
      send = (m) => ws.send(JSON.stringify(m));
      ws.onMessage((raw) => {
        const m = JSON.parse(String(raw)) as { transaction?: string };
        if (m.transaction) send({ topic: "ack", payload: { transaction: m.transaction } });
      });
      for (const m of BOOT) send(m);
    });
    await page.goto(`${url}/`);
    await page.waitForSelector('[data-testid="connecting"]', { state: "detached" });
    for (const { name, view } of states) {
      for (const m of messagesFor(view)) send(m);
      // Shown and spoken key and params both, since neighbouring states share a key.
      const want = { key: view.prompt!.key, params: JSON.stringify(view.prompt!.params) };
      await page.waitForFunction(
        `(() => { const k = document.querySelector(".kiosk"); return k && k.getAttribute("data-voice-key") === ${JSON.stringify(want.key)} && k.getAttribute("data-spoken-key") === ${JSON.stringify(want.key)} && k.getAttribute("data-voice-params") === ${JSON.stringify(want.params)}; })()`,
      );
      await kiosks.check(page, i, `gallery/${name}`);
      // Very high but not referred: the screen's instruction is the voice's, not "偏高".
      if (name === "result-very-high-raised")
        expect(await page.textContent('[data-testid="villager-action"]')).toContain("请今天就告诉医生");
      await page.click('[data-testid="lang"]');
      await page.waitForSelector('.kiosk[lang="en"]');
      await kiosks.check(page, i, `gallery/${name}-en`);
      await page.click('[data-testid="lang"]');
      await page.waitForSelector('.kiosk[lang="zh-CN"]');
    }
    await context.close();
  }
  expect(kiosks.pageErrors).toEqual([]);
}
