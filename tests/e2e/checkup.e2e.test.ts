/**
 * End to end: the real station (child process, simulated devices) and the real kiosk UI in
 * Debian's Chromium. A villager is identified by the simulated card reader, goes through the
 * screens by touch, and the record is found on disk. Screens are captured at 800×480 and
 * 1280×800 into test-results/screens/ and checked for off-screen buttons.
 */

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { maskIdNumber } from "../../station/domain/id-number.js";
import type { ViewState } from "../../station/protocol.js";
import { projectRoot } from "../../station/util/project-root.js";
import { rawRecords } from "../lib/raw-records.js";
import { Kiosks, launchChromium, shotPath } from "./kiosk-driver.js";
import { walkGallery } from "./screen-gallery.js";
import { E2E_DOCTOR, ensureUiBuilt, type RunningStation, startStation } from "./station-process.js";

/** As /api/sim/roster lists them, plus the full number from the demo roster file for the keypad. */
interface Villager {
  ref: string;
  maskedId: string;
  idNumber: string;
  name: string;
  village: string;
  categories: string[];
  age: number;
}

let station: RunningStation;
let browser: Browser;
let kiosks: Kiosks;
let villagers: Villager[];

/** How many times the archive's JSONL segments hold this record id. */
async function archiveCopies(archiveDir: string, recordId: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(archiveDir)) {
    if (!f.endsWith(".jsonl")) continue;
    for (const line of (await readFile(join(archiveDir, f), "utf8")).split("\n"))
      if (line.includes(`"id":"${recordId}"`)) n++;
  }
  return n;
}

async function findRecord(dataDir: string, recordId: string): Promise<Record<string, unknown> | null> {
  return (await rawRecords(dataDir)).get(recordId) ?? null;
}

async function tap(testId: string): Promise<void> {
  await kiosks.main.click(`[data-testid="${testId}"]`);
}

async function swipeCard(v: Villager): Promise<void> {
  await kiosks.post("/api/sim/card", { ref: v.ref });
  await kiosks.waitFor("identified");
  await kiosks.post("/api/sim/card/remove", {});
}

beforeAll(async () => {
  // Chromium first: a missing browser must fail loudly with the setup hint, not skip.
  browser = await launchChromium();
  ensureUiBuilt();
  // Idle warning after 21 s untouched (36 s timeout, last 15 s warned), so the walk can see it.
  station = await startStation({ inactivitySeconds: 36 });
  kiosks = await Kiosks.open(browser, station.url);
  const listed = await kiosks.get<Omit<Villager, "idNumber">[]>("/api/sim/roster?q=&limit=20");
  expect(JSON.stringify(listed)).not.toMatch(/\d{17}[\dX]/);
  // A ref is the villager's place in the roster file, the only place a full number comes from.
  const file = JSON.parse(await readFile(join(projectRoot(), "station/data/demo-roster.json"), "utf8")) as {
    people: Array<{ idNumber: string }>;
  };
  villagers = listed.map((v) => ({ ...v, idNumber: file.people[Number(v.ref.slice(1))]!.idNumber }));
  for (const v of villagers) expect(maskIdNumber(v.idNumber)).toBe(v.maskedId);
  expect(villagers.length).toBeGreaterThan(3);
}, 180_000);

afterAll(async () => {
  await kiosks?.close();
  await browser?.close();
  await station?.stop();
});

beforeEach(async () => {
  // A keypad left open is UI-only state: close it so each test starts at the attract screen.
  for (const page of kiosks.pages)
    if (await page.isVisible('[data-screen="keypad"]')) await page.click('[data-testid="cancel"]');
  await kiosks.post("/api/sim/action", { type: "cancel" });
  await kiosks.waitFor("attract");
});

describe("kiosk end to end", () => {
  it("does a full check-up by touch and the record with its readings is on disk", async () => {
    // Nothing has been announced since the page loaded, so only the layout is checked here.
    await kiosks.capture("01-attract", undefined, { voice: false });
    const villager = villagers[0]!;
    await swipeCard(villager);
    const shownName = await kiosks.main.textContent('[data-testid="person-name"]');
    expect(shownName).toContain("您好");
    await kiosks.capture("02-identified");

    await tap("confirm");
    await kiosks.waitFor("consent");
    await kiosks.capture("03-consent");
    await tap("agree");
    await kiosks.waitFor("bp-ready");
    await kiosks.capture("04-bp-ready");

    // A high first reading asks for a rest and a second reading.
    await kiosks.post("/api/sim/bp", { profile: "high" });
    await kiosks.waitFor("bp-rest");
    await kiosks.capture("05-bp-rest");
    await kiosks.waitFor("bp-ready");
    await kiosks.capture("06-bp-ready-repeat");
    await kiosks.post("/api/sim/bp", { profile: "normal" });
    await kiosks.waitFor("bp-done");
    await kiosks.capture("07-bp-done");
    const bpState = await kiosks.get<Extract<ViewState, { step: "bp" }>>("/api/state");
    expect(bpState.readings.map((r) => [r.systolic, r.diastolic])).toEqual([
      [152, 94],
      [118, 76],
    ]);
    expect(await kiosks.main.locator('[data-testid="bp-reading"]').count()).toBe(2);

    await tap("next");
    await kiosks.waitFor("glucose-sample-type");
    await kiosks.capture("08-glucose-sample-type");
    await tap("sample-fasting");
    await kiosks.waitFor("glucose-waiting");
    await kiosks.capture("09-glucose-waiting");
    await kiosks.post("/api/sim/glucose", { profile: "normal" });
    await kiosks.waitFor("result");
    await kiosks.main.waitForSelector('[data-testid="print-status"]:not(:has-text("打印中"))');
    await kiosks.capture("10-result");

    const recordId = await kiosks.main.getAttribute("[data-record-id]", "data-record-id");
    expect(recordId).toMatch(/^[0-9a-f-]{36}$/);
    const record = await findRecord(station.dataDir, recordId!);
    expect(record, `record ${recordId} under ${station.dataDir}/records`).not.toBeNull();
    const readings = record!.readings as Array<Record<string, unknown>>;
    expect(readings.filter((r) => r.kind === "bp").map((r) => [r.systolic, r.diastolic])).toEqual([
      [152, 94],
      [118, 76],
    ]);
    expect(readings.find((r) => r.kind === "glucose")).toMatchObject({ mmolL: 5.4, sampleType: "fasting" });

    // The record reaches the (embedded) county archive exactly once, and the kiosk says so.
    await kiosks.main.waitForSelector(
      '[data-testid="upload-status"][data-pending="0"]:has-text("已上传县平台")',
    );
    expect(await archiveCopies(station.archiveDir, recordId!)).toBe(1);

    await tap("finish");
    await kiosks.waitFor("attract");
    expect(await kiosks.main.content()).not.toContain(recordId!);
    expect(kiosks.pageErrors).toEqual([]);
    // No favicon (or any other) request failed.
    expect(kiosks.failedRequests).toEqual([]);
  }, 90_000);

  it("shows an urgent result with the red banner and the doctor's note", async () => {
    await swipeCard(villagers[1]!);
    await tap("confirm");
    await kiosks.waitFor("consent");
    await tap("agree");
    await kiosks.waitFor("bp-ready");
    await kiosks.post("/api/sim/bp", { profile: "urgent" });
    await kiosks.waitFor("bp-rest");
    await tap("skip");
    await kiosks.waitFor("bp-done");
    await tap("next");
    await kiosks.waitFor("glucose-sample-type");
    await tap("sample-random");
    await kiosks.waitFor("glucose-waiting");
    await kiosks.post("/api/sim/glucose", { profile: "error" });
    await kiosks.waitFor("glucose-fault");
    await kiosks.capture("11-glucose-fault");
    await tap("retry");
    await kiosks.waitFor("glucose-waiting");
    // The printer is unplugged, so the slip fails and can be printed again once it is back.
    await kiosks.post("/api/sim/device", { name: "printer", plugged: false });
    await kiosks.post("/api/sim/glucose", { profile: "high" });
    await kiosks.waitFor("result");
    expect(await kiosks.main.textContent('[data-testid="urgent"]')).toContain("请马上找医生");
    // 186/112 caused the referral: danger, in words and shape, not a diagnosis.
    expect(await kiosks.main.getAttribute('[data-testid="result-bp"]', "data-verdict")).toBe("danger");
    expect(await kiosks.main.textContent('[data-testid="result-bp-word"]')).toBe("危险");
    await kiosks.main.waitForSelector('[data-testid="print-status"]:has-text("打印失败")');
    await kiosks.capture("12-result-urgent-print-failed");
    await kiosks.post("/api/sim/device", { name: "printer", plugged: true });
    // The real printer driver reconnects with backoff; reprint once the status strip shows it back.
    // (The strip hides a device that is fine, so wait for its state, not for it to show.)
    await kiosks.main.waitForSelector('[data-device="printer"][data-state="connected"]', {
      state: "attached",
      timeout: 20_000,
    });
    await tap("reprint");
    await kiosks.main.waitForSelector('[data-testid="print-status"]:has-text("已打印")');
    // After a failed print nothing may say "take your slip"; the result prompt never does.
    expect(await kiosks.shownKey()).toBe("result-urgent");
  }, 60_000);

  it("redraws the same screen at once after a reload mid-check-up", async () => {
    await swipeCard(villagers[2]!);
    await tap("confirm");
    await kiosks.waitFor("consent");
    await tap("agree");
    await kiosks.waitFor("bp-ready");
    await kiosks.post("/api/sim/bp", { profile: "error" });
    await kiosks.waitFor("bp-fault");
    await kiosks.capture("13-bp-fault");
    await kiosks.main.reload();
    // No device event or touch happens here: only the server's replay can draw this screen.
    await kiosks.main.waitForSelector('[data-screen="bp-fault"]', { timeout: 5_000 });
    expect(await kiosks.main.textContent('[data-testid="fault"]')).not.toBe("");
    expect(await kiosks.get<ViewState>("/api/state")).toMatchObject({ step: "bp", phase: "fault" });
  }, 60_000);

  it("leaves no personal detail in the page after cancel", async () => {
    const villager = villagers[3]!;
    await swipeCard(villager);
    const state = await kiosks.get<Extract<ViewState, { step: "identified" }>>("/api/state");
    await tap("confirm");
    await kiosks.waitFor("consent");
    await tap("cancel");
    await kiosks.waitFor("attract");
    for (const page of kiosks.pages) {
      const html = await page.content();
      expect(html).not.toContain(state.person.name);
      expect(html).not.toContain(state.person.maskedId);
      expect(html).not.toContain(villager.name);
      expect(html).not.toContain(villager.idNumber);
    }
  }, 60_000);

  it("lets a signed-in doctor enter an ID by keypad, and explains an unplugged device", async () => {
    const villager = villagers[4]!;
    // Manual entry is a doctor's act now: sign in on the small screen (its own session cookie).
    await tap("manual-entry");
    await kiosks.main.waitForSelector('[data-screen="doctor-names"]');
    await kiosks.main.click(`[data-doctor="${E2E_DOCTOR.id}"]`);
    for (const ch of E2E_DOCTOR.pin) await kiosks.main.click(`[data-pin="${ch}"]`);
    await tap("pin-ok");
    await kiosks.main.waitForSelector('[data-screen="doctor-home"]');
    await tap("day-random");
    await tap("doc-manual-id");
    await tap("reason-card-forgotten");
    await kiosks.main.waitForSelector('[data-screen="keypad"]');
    for (const ch of villager.idNumber) await kiosks.main.click(`[data-key="${ch}"]`);
    await kiosks.main.screenshot({ path: await shotPath(0, "14-keypad") });
    await tap("keypad-submit");
    await kiosks.waitFor("identified");
    await tap("doc-consent");
    await kiosks.waitFor("bp-ready");
    await kiosks.post("/api/sim/device", { name: "bp", plugged: false });
    await kiosks.waitFor("device-missing");
    expect(await kiosks.main.textContent('[data-testid="device-missing"]')).toContain(
      "血压计现在用不了。请找医生来看一下。",
    );
    // The doctor's strip is on screen here: it is denser than the villager's screens (smaller
    // type and buttons, checked by tests/e2e/doctor.e2e.test.ts), so no kiosk layout check.
    await kiosks.main.screenshot({ path: await shotPath(0, "15-device-missing") });
    await kiosks.post("/api/sim/device", { name: "bp", plugged: true });
    await kiosks.waitFor("bp-ready");
    // Signing out sends the doctor's check-up away at once.
    await tap("doc-sign-out");
    await kiosks.waitFor("attract");
  }, 60_000);

  it("covers the screen with 连接中… while the station cannot be reached", async () => {
    const page = await kiosks.main.context().newPage();
    // Every WebSocket attempt is refused, so the client keeps retrying behind the overlay.
    await page.routeWebSocket(/\/ws$/, (ws) => ws.close());
    await page.goto(`${station.url}/`);
    await page.waitForSelector('[data-testid="connecting"]');
    expect(await page.textContent('[data-testid="connecting"]')).toContain("连接中…");
    expect(await page.isVisible('[data-screen="attract"]')).toBe(false);
    await page.screenshot({ path: await shotPath(0, "18-connecting") });
    await page.close();
  });

  it("shows a card notice on the attract screen and the simulator page", async () => {
    await kiosks.post("/api/sim/card", { fault: "expired" });
    await kiosks.main.waitForSelector('[data-testid="notice"]');
    await kiosks.capture("16-attract-notice");
    await kiosks.post("/api/sim/card/remove", {});
    expect(await kiosks.main.isVisible('[data-testid="demo-banner"]')).toBe(true);
    const sim = await kiosks.pages[1]!.context().newPage();
    await sim.goto(`${station.url}/sim`);
    await sim.waitForSelector('[data-testid="sim-swipe"]');
    await sim.waitForSelector('[data-testid="sim-step"]:has-text("attract")');
    await sim.screenshot({ path: await shotPath(1, "17-sim") });
    await sim.close();
  }, 60_000);

  it("walks the other screens and fault states, in zh and en at both sizes, truthfully worded", async () => {
    // An unreadable card: the screen and the voice say the same words.
    await kiosks.post("/api/sim/card", { fault: "unreadable" });
    await kiosks.main.waitForSelector('[data-testid="notice"]');
    await kiosks.capture("20-attract-unreadable");
    expect(await kiosks.shownKey()).toBe("card-rejected");
    await kiosks.post("/api/sim/card/remove", {});

    const villager = villagers[5]!;
    await swipeCard(villager);
    // Privacy: masked name, age, free or not; never a welfare category or a condition.
    for (const page of kiosks.pages) {
      const text = (await page.textContent("main")) ?? "";
      for (const word of ["建档立卡", "贫困", "低保", "特困", "残疾", "高血压", "糖尿病", villager.name])
        expect(text, `identified screen shows "${word}"`).not.toContain(word);
      expect(text).toContain(`${villager.age}岁`);
    }
    await kiosks.capture("21-identified-private");

    // Help on screen: "已通知医生" at once; the request waits on the status strip for the doctor.
    await tap("help");
    await kiosks.main.waitForSelector('[data-testid="help-called"]', { timeout: 1_000 });
    await kiosks.pages[1]!.waitForSelector('[data-testid="help-called"]');
    await kiosks.capture("22-help-called");
    await kiosks.main.waitForSelector('[data-testid="help-waiting"]');
    // Kept durably, with where it came from, until a doctor clears it.
    const help = JSON.parse(await readFile(join(station.dataDir, "help-requests.json"), "utf8")) as {
      requests: Array<{ step: string; screen: string; source: string }>;
    };
    expect(help.requests.at(-1)).toMatchObject({
      step: "identified",
      screen: "identified",
      source: "screen",
    });
    for (const page of kiosks.pages) await page.click('[data-testid="help-ok"]');

    await tap("confirm");
    await kiosks.waitFor("consent");
    await tap("agree");
    await kiosks.waitFor("bp-ready");

    // 186/112 first: the rest prompt says "very high", not "a little high".
    await kiosks.post("/api/sim/bp", { profile: "urgent" });
    await kiosks.waitFor("bp-rest");
    expect(await kiosks.shownKey()).toBe("bp-repeat-very-high");
    expect(await kiosks.main.textContent('[data-screen="bp-rest"]')).toContain("血压很高");
    await kiosks.capture("23-bp-rest-very-high", "bp-rest");
    await kiosks.waitFor("bp-ready");
    expect(await kiosks.shownKey()).toBe("bp-ready-repeat");

    // A loose cuff: the voice speaks the reason, as the screen shows it.
    await kiosks.post("/api/sim/bp", { profile: "error" });
    await kiosks.waitFor("bp-fault");
    expect(await kiosks.shownKey()).toBe("bp-fault-cuff-loose");
    expect(await kiosks.main.textContent('[data-testid="fault"]')).toContain("袖带太松");
    await kiosks.capture("24-bp-fault-cuff", "bp-fault");
    await tap("retry");
    await kiosks.waitFor("bp-ready");
    await kiosks.post("/api/sim/bp", { profile: "urgent", systolic: 184, diastolic: 110 });
    await kiosks.waitFor("bp-done");
    await kiosks.capture("25-bp-done-two", "bp-done");
    await tap("next");
    await kiosks.waitFor("glucose-sample-type");
    await tap("sample-random");
    await kiosks.waitFor("glucose-waiting");

    // The meter unplugged: the villager is told to get the doctor; the strip says what to check.
    await kiosks.post("/api/sim/device", { name: "glucose", plugged: false });
    await kiosks.waitFor("device-missing");
    expect(await kiosks.shownKey()).toBe("device-problem-glucose");
    expect(await kiosks.main.textContent('li[data-device="glucose"]')).toContain(
      "血糖仪未连接：查电源和蓝牙",
    );
    await kiosks.capture("26-device-missing-glucose", "device-missing");
    await kiosks.post("/api/sim/device", { name: "glucose", plugged: true });
    await kiosks.waitFor("glucose-waiting");
    // Back: the kiosk says again what this screen asks.
    await kiosks.main.waitForSelector('.kiosk[data-spoken-key="glucose-ready"]');

    // 18.5 mmol/L caused a referral: danger, like the BP; the BP says it is an average of two.
    await kiosks.post("/api/sim/glucose", { profile: "urgent-high" });
    await kiosks.waitFor("result");
    await kiosks.main.waitForSelector('[data-testid="print-status"]:not(:has-text("打印中"))');
    expect(await kiosks.main.getAttribute('[data-testid="result-glucose"]', "data-verdict")).toBe("danger");
    expect(await kiosks.main.getAttribute('[data-testid="result-bp"]', "data-verdict")).toBe("danger");
    expect(await kiosks.main.textContent('[data-testid="result-bp"]')).toContain("两次测量的平均值");
    const recordId = (await kiosks.main.getAttribute("[data-record-id]", "data-record-id"))!;
    for (const page of kiosks.pages) {
      const shown = (await page.textContent("main")) ?? "";
      for (const word of ["收缩压", "舒张压", "≥", "级高血压", "糖尿病", recordId.slice(-12)])
        expect(shown, `result shows "${word}"`).not.toContain(word);
    }
    expect(await kiosks.main.textContent('[data-testid="family-doctor"]')).toMatch(/家庭医生 .+ · 电话 \S+/);
    expect(await kiosks.main.textContent('[data-testid="next-date"]')).toContain("下次来");
    await kiosks.capture("27-result-urgent-glucose", "result");

    // Low glucose in a new check-up: danger, and the one thing to do is to eat sugar.
    await kiosks.post("/api/sim/action", { type: "finish" });
    await kiosks.waitFor("attract");
    await swipeCard(villagers[6]!);
    await tap("confirm");
    await kiosks.waitFor("consent");
    await tap("agree");
    await kiosks.waitFor("bp-ready");
    await kiosks.post("/api/sim/bp", { profile: "normal" });
    await kiosks.waitFor("bp-done");
    await tap("next");
    await kiosks.waitFor("glucose-sample-type");
    await tap("sample-fasting");
    await kiosks.waitFor("glucose-waiting");
    await kiosks.post("/api/sim/glucose", { profile: "low" });
    await kiosks.waitFor("result");
    expect(await kiosks.shownKey()).toBe("result-urgent-low");
    expect(await kiosks.main.textContent('[data-testid="result-glucose-word"]')).toBe("太低");
    expect(await kiosks.main.textContent('[data-testid="villager-action"]')).toContain("吃几块糖");
    await kiosks.main.waitForSelector('[data-testid="print-status"]:not(:has-text("打印中"))');
    await kiosks.capture("28-result-low-glucose", "result");

    // The physical help button is answered on screen too.
    await kiosks.post("/api/sim/help", {});
    await kiosks.main.waitForSelector('[data-testid="help-called"]');
    for (const page of kiosks.pages) await page.click('[data-testid="help-ok"]');

    // Left alone, the session warns "还在吗？" with a countdown; a touch keeps it. Any click
    // (the language toggle too) is a touch, so two more pages show English without one.
    const english = await kiosks.openMore("en");
    await kiosks.main.waitForSelector('[data-testid="still-there"]', { timeout: 30_000 });
    expect(await kiosks.shownKey()).toBe("still-there");
    for (const [i, page] of kiosks.pages.entries()) await kiosks.check(page, i, "29-still-there");
    for (const [i, page] of english.entries()) await kiosks.check(page, i, "29-still-there-en");
    for (const page of english) await page.context().close();
    await tap("im-here");
    await kiosks.main.waitForSelector('[data-testid="still-there"]', { state: "detached", timeout: 3_000 });
    expect(await kiosks.get<ViewState>("/api/state")).toMatchObject({ step: "result" });
    expect(kiosks.pageErrors).toEqual([]);
  }, 150_000);

  it("fits every other screen state and every device fault text, in zh and en at both sizes", async () => {
    await walkGallery(browser, station.url, kiosks);
  }, 240_000);
});
