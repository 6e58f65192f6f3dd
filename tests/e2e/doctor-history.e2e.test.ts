/**
 * End to end in Chromium, the doctor's screens at both kiosk sizes in zh and en: every doctor
 * screen (sign-in, home, typed ID, danger signs, typed readings, follow-up form, lists, outcome,
 * person history) passes DOCTOR_LAYOUT (every button, input and select at least 48 px, nothing
 * cut off or outside the screen); and the person history opens after an assisted check-up and
 * from a list entry, shows the typed reading and the follow-up form on its pages, is audited as
 * `person-viewed` with ids only, and is gone from the kiosk the moment the doctor signs out.
 * The station seeds the demo villagers' history (HS_DEMO_HISTORY=1), so the history has pages.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDoctorScreen } from "./doctor-targets.js";
import { launchChromium, SIZES } from "./kiosk-driver.js";
import { E2E_DOCTOR, ensureUiBuilt, type RunningStation, startStation } from "./station-process.js";

/** A demo-history villager (hypertension): station/health-card/demo-history.ts. */
const LI = { name: "李光明", idNumber: "510199195307043655" };

let station: RunningStation;
let browser: Browser;
let pages: Page[];
const pageErrors: string[] = [];
const main = () => pages[0]!;
const small = () => pages[1]!;

async function waitScreen(screen: string, which: Page[] = pages): Promise<void> {
  for (const p of which) await p.waitForSelector(`[data-screen="${screen}"]`, { timeout: 15_000 });
}
async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${station.url}/api/sim/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, `${path} ${await res.clone().text()}`).toBe(200);
}
/** Opens a console screen on each page with `open`, then checks it at that page's size. */
async function visit(name: string, screen: string, open: (p: Page) => Promise<void>): Promise<void> {
  for (const [i, p] of pages.entries()) {
    await open(p);
    await p.waitForSelector(`[data-screen="${screen}"]`, { timeout: 15_000 });
    await checkDoctorScreen(p, i, name);
  }
}
const tap = (p: Page, id: string) => p.click(`[data-testid="${id}"]`);

/** Every page of the open history, checked; returns what each page held. */
async function walkHistory(p: Page, i: number, name: string): Promise<string[]> {
  await p.waitForSelector('[data-testid="ph-body"]', { timeout: 15_000 });
  const seen: string[] = [];
  for (let n = 1; n < 60; n++) {
    const kind = (await p.getAttribute('[data-testid="ph-body"]', "data-page")) ?? "";
    const text = (await p.textContent('[data-testid="ph-body"]')) ?? "";
    seen.push(`${kind}:${text}`);
    await checkDoctorScreen(p, i, `${name}-${String(n).padStart(2, "0")}-${kind}`);
    if (await p.isDisabled('[data-testid="ph-next"]')) break;
    const before = await p.textContent('[data-testid="ph-pageno"]');
    await tap(p, "ph-next");
    await p.waitForFunction(
      `document.querySelector('[data-testid="ph-pageno"]').textContent !== ${JSON.stringify(before)}`,
    );
  }
  return seen;
}

async function auditTypes(): Promise<Array<{ type: string; personKey?: string; detail?: { via?: string } }>> {
  return (await readFile(join(station.dataDir, "doctor/audit.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  browser = await launchChromium();
  ensureUiBuilt();
  process.env.HS_DEMO_HISTORY = "1";
  station = await startStation({ bpRepeatPauseSeconds: 0 });
  const context = await browser.newContext({ locale: "zh-CN", hasTouch: true });
  pages = [];
  for (const size of SIZES) {
    const p = await context.newPage();
    await p.setViewportSize(size);
    p.on("pageerror", (e) => pageErrors.push(e.message));
    await p.goto(`${station.url}/`);
    pages.push(p);
  }
  await waitScreen("attract");
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe("the doctor's screens and a person's history in Chromium", () => {
  it("every doctor screen keeps 48 px targets and fits; the history pages after a check-up and from a list", async () => {
    await visit("01-names", "doctor-names", (p) => tap(p, "manual-entry"));
    await visit("02-pin", "doctor-pin", (p) => p.click(`[data-doctor="${E2E_DOCTOR.id}"]`));
    for (const ch of E2E_DOCTOR.pin) await main().click(`[data-pin="${ch}"]`);
    await tap(main(), "pin-ok");
    await waitScreen("doctor-home", [main()]);
    await small().waitForSelector('[data-testid="doc-home"]');
    await visit("03-home", "doctor-home", (p) => (p === main() ? Promise.resolve() : tap(p, "doc-home")));

    await tap(main(), "day-fasting");
    await tap(small(), "doc-close");
    await waitScreen("attract");
    await visit("04-id-reason", "doctor-id-reason", (p) => tap(p, "doc-manual-id"));
    await visit("05-keypad", "keypad", (p) => tap(p, "reason-card-forgotten"));
    for (const p of pages) await tap(p, "doc-close");

    const roster = (await (
      await fetch(`${station.url}/api/sim/roster?q=${encodeURIComponent(LI.name)}`)
    ).json()) as Array<{
      ref: string;
    }>;
    await sim("card", { ref: roster[0]!.ref });
    await waitScreen("identified");
    await visit("06-symptoms", "doctor-symptoms", (p) => tap(p, "doc-symptoms"));
    await tap(small(), "doc-close");
    // A danger sign: this check-up is an urgent referral, so the inbox has an entry to open.
    await main().click('[data-code="blurred-vision"]');
    await tap(main(), "symptoms-save");
    await main().waitForSelector('[data-screen="doctor-symptoms"]', { state: "detached" });
    await tap(main(), "doc-consent");
    await waitScreen("bp-ready");
    await visit("07-manual-bp", "doctor-manual-bp", (p) => tap(p, "doc-manual-bp"));
    await tap(small(), "doc-close");
    await main().fill('input[name="systolic"]', "136");
    await main().fill('input[name="diastolic"]', "86");
    await tap(main(), "manual-save");
    await main().waitForSelector('[data-screen^="glucose"]');
    await visit("08-manual-glucose", "doctor-manual-glucose", (p) => tap(p, "doc-manual-glucose"));
    await tap(small(), "doc-close");
    await main().fill('input[name="mmolL"]', "6.2");
    await tap(main(), "manual-save");
    await waitScreen("result");
    await visit("09-follow-up-1", "doctor-follow-up", (p) => tap(p, "doc-follow-up"));
    await visit("10-follow-up-2", "doctor-follow-up", async (p) => {
      await tap(p, "fu-next");
      await p.waitForSelector('.doc-form[data-page="2"]');
      await p.click('[data-value="referral"]');
      await p.waitForSelector('input[name="referral-reason"]');
    });
    await visit("10-follow-up-3", "doctor-follow-up", async (p) => {
      await tap(p, "fu-next");
      await p.waitForSelector('[data-testid="fu-save"]');
    });
    await tap(small(), "doc-close");
    await main().fill('input[name="med-name-0"]', "氨氯地平");
    await main().fill('input[name="med-dose-0"]', "5mg");
    await tap(main(), "fu-save");
    await waitScreen("result", [main()]);
    // The result with the doctor's strip: follow-up form, history, typed ID, home, sign-out. Only
    // the strip is measured: the villager's result below it may scroll its details by design.
    for (const [i, p] of pages.entries()) {
      await p.waitForSelector('[data-testid="doc-history"]');
      await checkDoctorScreen(p, i, "10b-result-strip", '[data-testid="doctor-bar"]');
    }

    // After the assisted check-up: the history from the doctor's strip, every page checked.
    const seen: string[][] = [];
    for (const [i, p] of pages.entries()) {
      await tap(p, "doc-history");
      await p.waitForSelector('[data-screen="doctor-history"]');
      seen.push(await walkHistory(p, i, "11-history"));
    }
    for (const s of seen) {
      const readings = s.filter((x) => x.startsWith("readings:"));
      expect(readings.length).toBeGreaterThan(1);
      expect(readings[0]).toContain("136/86");
      expect(readings[0]).toContain("手动录入");
      expect(readings[0]).toContain(E2E_DOCTOR.id);
      expect(s.some((x) => x.startsWith("lines:") && x.includes("氨氯地平 5mg"))).toBe(true);
      expect(s.some((x) => x.startsWith("chart-bp:"))).toBe(true);
    }
    for (const p of pages) await tap(p, "ph-back");
    await waitScreen("result");

    // From a list entry: the outcome panel offers the history; back returns to the list.
    await visit("12-lists", "doctor-lists", async (p) => {
      await tap(p, "doc-home");
      await p.waitForSelector('[data-screen="doctor-home"]');
      await tap(p, "entry-lists");
      await p.waitForSelector('[data-testid="dl-row"]');
    });
    await visit("13-outcome", "doctor-lists", async (p) => {
      await p.click('[data-testid="dl-row"]');
      await p.waitForSelector('[data-testid="dl-history"]');
    });
    await tap(main(), "dl-history");
    await main().waitForSelector('[data-testid="ph-body"]');
    await tap(main(), "ph-back");
    await main().waitForSelector('[data-screen="doctor-lists"] [data-testid="dl-search"]');
    await visit("14-inbox", "doctor-lists", async (p) => {
      await tap(p, "tab-inbox");
      await p.waitForSelector('[data-testid="dl-inbox-row"]');
    });
    // From the referral inbox: the history's referral page shows it still open.
    await main().click('[data-testid="dl-inbox-row"]');
    await tap(main(), "dl-history");
    const fromInbox = await walkHistory(main(), 0, "14b-from-inbox");
    expect(
      fromInbox.some((x) => x.startsWith("lines:紧急转诊") && x.includes("视力模糊") && x.includes("未处理")),
    ).toBe(true);
    await tap(main(), "ph-back");
    await main().waitForSelector('[data-testid="dl-inbox-row"]');
    await visit("15-coverage", "doctor-lists", async (p) => {
      await tap(p, "tab-coverage");
      await p.waitForSelector('[data-testid="dl-coverage"]');
    });

    // Each opening wrote one person-viewed event: ids only, and how it was opened.
    const viewed = (await auditTypes()).filter((e) => e.type === "person-viewed");
    expect(viewed.map((e) => e.detail?.via)).toEqual(["checkup", "checkup", "list", "inbox"]);
    expect(new Set(viewed.slice(0, 2).map((e) => e.personKey)).size).toBe(1);
    const text = await readFile(join(station.dataDir, "doctor/audit.jsonl"), "utf8");
    expect(text).not.toContain(LI.idNumber);
    expect(text).not.toContain(LI.name);

    // Signing out with a history open: it is gone from both screens at once.
    await tap(small(), "tab-due");
    await small().click('[data-testid="dl-row"]');
    await tap(small(), "dl-history");
    await small().waitForSelector('[data-testid="ph-body"]');
    const title = (await small().textContent('[data-testid="ph-title"]')) ?? "";
    expect(title).toContain("*");
    await tap(main(), "doc-sign-out");
    for (const p of pages) {
      await p.waitForSelector('[data-screen="doctor-history"]', { state: "detached", timeout: 10_000 });
      // The strip goes when the station's session message arrives (the history went at the tap).
      await p.waitForSelector('[data-testid="doctor-bar"]', { state: "detached", timeout: 10_000 });
      expect(await p.textContent("body")).not.toContain(title);
    }
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
