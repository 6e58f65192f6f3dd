/**
 * End to end, the village doctor's console: the real station (child process, simulated devices)
 * and the kiosk in Debian's Chromium. A doctor signs in (after one wrong PIN), runs three
 * assisted check-ups (one with a failed BP monitor and typed readings, one urgent referral from
 * danger signs), records a follow-up form and signs out; the audit log on disk shows each step.
 * Both kiosk sizes share one browser context (one cookie jar), as one kiosk screen would.
 */

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { idCheckChar } from "../../station/domain/id-number.js";
import { type RawRecord, rawRecords } from "../lib/raw-records.js";
import { launchChromium, SIZES, shotPath } from "./kiosk-driver.js";
import { E2E_DOCTOR, ensureUiBuilt, ROOT, type RunningStation, startStation } from "./station-process.js";

interface Villager {
  ref: string;
  idNumber: string;
  name: string;
  categories: string[];
}

let station: RunningStation;
let browser: Browser;
let pages: Page[];
let villagers: Villager[];
const pageErrors: string[] = [];
/** Screen taps on the doctor's kiosk, counted per villager. */
let taps = 0;

const main = () => pages[0]!;
async function tap(testId: string, page = main()): Promise<void> {
  if (page === main()) taps++;
  await page.click(`[data-testid="${testId}"]`);
}
/** A counted tap on any element of the small screen. */
async function press(selector: string): Promise<void> {
  taps++;
  await main().click(selector);
}
async function sim(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${station.url}/api/sim/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, `${path} ${await res.clone().text()}`).toBe(200);
}
async function waitScreen(screen: string, which: Page[] = pages): Promise<void> {
  for (const p of which) await p.waitForSelector(`[data-screen="${screen}"]`, { timeout: 10_000 });
}

/**
 * No horizontal overflow, every button on screen, and the console's own screens never scroll
 * (the villager's result under the strip has its own, whole-screen check: RESULT_LAYOUT).
 */
const LAYOUT = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) out.push("page is " + doc.scrollWidth + "px wide");
  for (const b of document.querySelectorAll('[data-screen^="doctor-"] .screen-body')) {
    if (b.scrollHeight > b.clientHeight + 1) out.push("screen body scrolls: " + b.scrollHeight + " > " + b.clientHeight);
  }
  const stage = document.querySelector(".stage")?.getBoundingClientRect();
  for (const b of document.querySelectorAll("button")) {
    const r = b.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5)
      out.push("button " + JSON.stringify(b.textContent) + " is off screen");
    // The stage sits between the bars and clips what does not fit: a button there must end inside it.
    else if (stage && b.closest(".stage") && r.bottom > stage.bottom + 0.5)
      out.push("button " + JSON.stringify(b.textContent) + " is cut off below the stage");
  }
  return out;
})()`;

/**
 * The villager's result under the doctor's strip, measured whole: the screen body does not scroll,
 * every element ends inside the stage and the window, villager text is at least 16 px and every
 * button at least 48 px high.
 */
const RESULT_LAYOUT = `(() => {
  const out = [];
  const screen = document.querySelector('[data-screen="result"]');
  const stage = document.querySelector(".stage")?.getBoundingClientRect();
  if (!screen || !stage) return ["no result screen"];
  if (!document.querySelector(".doc-bar")) out.push("the doctor's strip is not shown");
  const body = screen.querySelector(".screen-body");
  if (body && body.scrollHeight > body.clientHeight + 1) out.push("result body scrolls: " + body.scrollHeight + " > " + body.clientHeight);
  for (const el of screen.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const what = el.tagName + " " + JSON.stringify((el.textContent || "").slice(0, 30));
    if (r.bottom > stage.bottom + 0.5 || r.top < stage.top - 0.5 || r.right > innerWidth + 0.5 || r.left < -0.5)
      out.push(what + " is outside the stage");
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (hasText && parseFloat(getComputedStyle(el).fontSize) < 15.95) out.push(what + " text is " + getComputedStyle(el).fontSize);
    if (el.tagName === "BUTTON" && r.height < 47.5) out.push(what + " is " + Math.round(r.height) + "px high");
  }
  return out;
})()`;

/** The result at both sizes in zh and en (each page switched to English and back). */
async function resultShots(name: string, overall: string): Promise<void> {
  for (const p of pages) {
    const i = pages.indexOf(p);
    expect(await p.getAttribute('[data-screen="result"] .result', "data-overall")).toBe(overall);
    for (const lang of ["zh", "en"] as const) {
      if (lang === "en") {
        await p.click('[data-testid="lang"]');
        await p.waitForSelector('.kiosk[lang="en"]');
      }
      await p.screenshot({ path: await shotPath(i, `doctor-result-${name}-${lang}`) });
      const where = `result ${name} ${lang} at ${SIZES[i]!.width}×${SIZES[i]!.height}`;
      expect(await p.evaluate(RESULT_LAYOUT), where).toEqual([]);
      expect(await p.evaluate(LAYOUT), where).toEqual([]);
    }
    await p.click('[data-testid="lang"]');
    await p.waitForSelector('.kiosk[lang="zh-CN"]');
  }
}

async function shot(name: string, which: Page[] = pages): Promise<void> {
  for (const p of which) {
    const i = pages.indexOf(p);
    await p.screenshot({ path: await shotPath(i, `doctor-${name}`) });
    expect(await p.evaluate(LAYOUT), `${name} at ${SIZES[i]!.width}×${SIZES[i]!.height}`).toEqual([]);
  }
}

async function latestRecord(): Promise<RawRecord> {
  let best: RawRecord | null = null;
  for (const r of (await rawRecords(station.dataDir)).values()) if (!best || r.seq > best.seq) best = r;
  if (!best) throw new Error("no record");
  return best;
}

beforeAll(async () => {
  browser = await launchChromium();
  ensureUiBuilt();
  station = await startStation();
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
  const res = await fetch(`${station.url}/api/sim/roster?q=&limit=200`);
  const listed = (await res.json()) as Omit<Villager, "idNumber">[];
  // The simulator lists refs, never full numbers: the roster file maps a ref to its number.
  const file = JSON.parse(await readFile(join(ROOT, "station/data/demo-roster.json"), "utf8")) as {
    people: Array<{ idNumber: string }>;
  };
  villagers = listed.map((v) => ({ ...v, idNumber: file.people[Number(v.ref.slice(1))]!.idNumber }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe("the village doctor's console in Chromium", () => {
  it("signs in after a wrong PIN, runs three assisted check-ups and a follow-up form, and signs out", async () => {
    const plain = villagers.find(
      (v) => !v.categories.includes("hypertension") && !v.categories.includes("diabetes"),
    )!;
    const chronic = villagers.filter((v) => v.categories.includes("hypertension"));
    const [second, third] = [chronic[0]!, chronic[1]!];

    // Sign-in: the name list on both sizes, a wrong PIN, then the right one.
    for (const p of pages) await tap("manual-entry", p);
    await waitScreen("doctor-names");
    await shot("01-names");
    for (const p of pages) await p.click(`[data-doctor="${E2E_DOCTOR.id}"]`);
    for (const ch of "0000") await main().click(`[data-pin="${ch}"]`);
    await tap("pin-ok");
    await main().waitForSelector('[data-testid="doctor-error"]');
    expect(await main().textContent('[data-testid="doctor-error"]')).toContain("密码不对");
    for (const ch of "13") await pages[1]!.click(`[data-pin="${ch}"]`);
    await shot("02-pin-wrong", [main()]);
    await shot("02-pin", [pages[1]!]);
    await main().waitForTimeout(1_100); // the first lockout is 1 s in this station's config
    for (const ch of E2E_DOCTOR.pin) await main().click(`[data-pin="${ch}"]`);
    await tap("pin-ok");
    await waitScreen("doctor-home", [main()]);
    await pages[1]!.click('[data-testid="doc-home"]');
    await waitScreen("doctor-home");
    await shot("03-home");
    for (const p of pages) await p.click('[data-testid="lang"]');
    await shot("03-home-en");
    for (const p of pages) await p.click('[data-testid="lang"]');

    // Check-up day with fasting glucose; the home closes to the kiosk's attract screen.
    await tap("day-fasting");
    await pages[1]!.click('[data-testid="doc-close"]');
    await main().waitForSelector('[data-screen="attract"] ~ *, [data-screen="attract"]');
    await pages[1]!.waitForSelector('[data-testid="doctor-bar"]');

    // 1. A card, verbal consent, BP, glucose: one tap.
    taps = 0;
    await sim("card", { ref: plain.ref });
    await waitScreen("identified");
    await shot("04-identified");
    await tap("doc-consent");
    await waitScreen("bp-ready");
    await sim("bp", { profile: "normal" });
    await main().waitForSelector('[data-screen="glucose-waiting"], [data-screen^="glucose"]');
    await sim("glucose", { profile: "normal", mmolL: 5.3 });
    await waitScreen("result");
    expect(taps).toBe(1);
    await resultShots("normal", "normal");
    const r1 = await latestRecord();
    expect(r1).toMatchObject({ schemaVersion: 2, operator: { kind: "doctor", doctorId: E2E_DOCTOR.id } });

    // 2. Manual ID (card forgotten), the BP monitor fails, the doctor types the readings.
    await sim("card/remove", {});
    await tap("doc-manual-id");
    await waitScreen("doctor-id-reason", [main()]);
    await shot("05-id-reason", [main()]);
    await tap("reason-card-forgotten");
    // A number born after today is refused with exactly why, before any record is made.
    const first17 = `${second.idNumber.slice(0, 6)}20990101123`;
    for (const ch of first17 + idCheckChar(first17)) await main().click(`[data-key="${ch}"]`);
    await tap("keypad-submit");
    await main().waitForSelector('[data-testid="keypad-problem"]');
    expect(await main().textContent('[data-testid="keypad-problem"]')).toContain("出生日期晚于今天");
    await shot("05-id-born-after-today", [main()]);
    for (let k = 0; k < 18; k++) await main().click('[data-key="del"]');
    for (const ch of second.idNumber) await main().click(`[data-key="${ch}"]`);
    await tap("keypad-submit");
    await waitScreen("identified");
    await tap("doc-consent");
    await sim("bp", { profile: "error" });
    await waitScreen("bp-fault");
    await tap("doc-manual-bp");
    await waitScreen("doctor-manual-bp", [main()]);
    await main().fill('input[name="systolic"]', "80");
    await main().fill('input[name="diastolic"]', "120");
    await tap("manual-save");
    await main().waitForSelector('[data-testid="doctor-error"]');
    expect(await main().textContent('[data-testid="doctor-error"]')).toContain("读数不可能");
    await shot("06-manual-bp-refused", [main()]);
    await main().fill('input[name="systolic"]', "136");
    await main().fill('input[name="diastolic"]', "86");
    await tap("manual-save");
    await main().waitForSelector('[data-screen^="glucose"]');
    await tap("doc-manual-glucose");
    // Fasting 8.0 is in the diabetes range: a "very high" (很高) result, not a referral.
    await main().fill('input[name="mmolL"]', "8.0");
    await tap("manual-save");
    await waitScreen("result");
    await resultShots("high", "high");
    const r2 = await latestRecord();
    expect(r2.readings.map((x: { source: string }) => x.source)).toEqual(["manual", "manual"]);
    expect(r2.assisted).toMatchObject({
      idEntryReason: "card-forgotten",
      manualReadings: [{ readingIndex: 0 }, { readingIndex: 1 }],
    });

    // 3. Danger signs: an urgent referral, then the follow-up form for this hypertension patient.
    taps = 0;
    await sim("card", { ref: third.ref });
    await waitScreen("identified");
    await tap("doc-consent");
    await tap("doc-symptoms");
    await waitScreen("doctor-symptoms", [main()]);
    await press('[data-code="blurred-vision"]');
    await press('[data-code="palpitations-chest-tightness"]');
    await shot("07-symptoms", [main()]);
    await tap("symptoms-save");
    await sim("bp", { profile: "normal" });
    await main().waitForSelector('[data-screen^="glucose"]');
    await sim("glucose", { profile: "normal", mmolL: 5.6 });
    await waitScreen("result");
    const r3 = await latestRecord();
    expect(r3.assessment.referral).toEqual({
      urgent: true,
      reasons: ["symptom:blurred-vision", "symptom:palpitations-chest-tightness"],
    });
    await shot("08-result-urgent");
    await resultShots("urgent", "danger");
    expect(taps).toBe(5); // consent, then the danger signs: open, two signs, save

    await tap("doc-follow-up");
    await waitScreen("doctor-follow-up", [main()]);
    await tap("fu-next"); // page 2 of 3: adherence, adverse reaction, referral, next visit
    await main().click('[data-value="intermittent"]');
    await main().click('[data-value="referral"]');
    await main().fill('input[name="referral-reason"]', "危险症状");
    await main().fill('input[name="referral-place"]', "镇卫生院内科");
    await shot("09-follow-up-1", [main()]);
    await main().click('[data-testid="lang"]');
    await shot("09-follow-up-1-en", [main()]);
    await tap("fu-next");
    await main().waitForSelector('[data-testid="visit-class-computed"]:has-text("ontrolled")');
    await main().fill('input[name="med-name-0"]', "氨氯地平");
    await main().fill('input[name="med-dose-0"]', "5mg");
    await shot("10-follow-up-2-en", [main()]);
    await main().click('[data-testid="lang"]');
    await shot("10-follow-up-2", [main()]);
    await tap("fu-save");
    await waitScreen("result", [main()]);
    const f = await latestRecord();
    expect(f.followUp).toMatchObject({
      checkupRecordId: r3.id,
      adherence: "intermittent",
      referral: { reason: "危险症状", institution: "镇卫生院内科" },
      medicines: [{ name: "氨氯地平", dose: "5mg", timesPerDay: 1 }],
      doctorId: E2E_DOCTOR.id,
    });
    expect(["controlled", "uncontrolled"]).toContain(f.followUp.visitClass);

    // The console home lists what was done.
    await tap("doc-home");
    await main().waitForSelector('[data-testid="audit-list"] li');
    await shot("11-home-audit", [main()]);

    // The urgent referral waits in the lists module's inbox, opened from the console home. The
    // coverage screen before and after the doctor records what happened (agreed to visit).
    await tap("entry-inbox");
    const lists = '[data-screen="doctor-lists"]';
    await main().waitForSelector(`${lists} [data-testid="dl-inbox-row"]`);
    const referrals = async () => {
      await main().click(`${lists} [data-testid="tab-coverage"]`);
      const cell = await main().waitForSelector(
        `${lists} [data-testid="ind-referral-14d"] td:nth-child(2) small`,
      );
      const [n, d] = ((await cell.textContent()) ?? "").split("/").map(Number);
      return { n: n!, d: d! };
    };
    const before = await referrals();
    await main().click(`${lists} [data-testid="tab-inbox"]`);
    const row = main().locator(`${lists} [data-testid="dl-inbox-row"]`, { hasText: third.name });
    await row.waitFor();
    await main().screenshot({ path: await shotPath(0, "doctor-11b-inbox") });
    expect(await main().evaluate(LAYOUT), "inbox at 800×480").toEqual([]);
    // The doctor looks at the person's history first (audited as person-viewed), then comes back.
    await row.click();
    await tap("dl-history");
    await main().waitForSelector('[data-screen="doctor-history"] [data-testid="ph-body"]');
    await main().screenshot({ path: await shotPath(0, "doctor-11bb-history-from-inbox") });
    await tap("ph-back");
    await row.click();
    await main().waitForSelector(`${lists} [data-testid="dl-outcome"]`);
    await shot("11c-outcome", [main()]);
    await main().click(`${lists} [data-testid="outcome-agreed"]`);
    await main().waitForSelector(`${lists} [data-testid="dl-message"]:has-text("已记录")`);
    const after = await referrals();
    // The referral raised today is followed up: it now counts, and counts as met.
    expect(after).toEqual({ n: before.n + 1, d: before.d + 1 });
    await shot("11d-coverage", [main()]);
    await main().click('[data-testid="lang"]');
    await main().waitForSelector(`${lists} [data-testid="dl-scope"]:has-text("Station")`);
    await shot("11d-coverage-en", [main()]);
    await main().click('[data-testid="lang"]');
    // The same screen on the large kiosk (same session: one cookie jar).
    const big = pages[1]!;
    await big.click('[data-testid="doc-home"]');
    await big.click('[data-testid="entry-coverage"]');
    await big.waitForSelector(`${lists} [data-testid="ind-referral-14d"]`);
    await shot("11d-coverage", [big]);
    await big.click(`${lists} [data-testid="back"]`);
    await big.click('[data-testid="doc-close"]');

    // CSV export to the folder the doctor picks (the station's own exports folder, in the temp data dir).
    await main().click(`${lists} [data-testid="dl-export"]`);
    const folder = main().locator(`${lists} [data-testid="dl-folder"]`).first();
    const exportDir = (await folder.textContent())!;
    expect(exportDir).toBe(join(station.dataDir, "exports"));
    await shot("11e-export-folders", [main()]);
    await folder.click();
    await main().waitForSelector(`${lists} [data-testid="dl-message"]:has-text("已保存到")`);
    const csvFiles = (await readdir(exportDir)).filter((f) => f.endsWith(".csv"));
    expect(csvFiles).toHaveLength(1);
    const csv = await readFile(join(exportDir, csvFiles[0]!), "utf8");
    // The station's row for the year holds what the screen showed.
    const yearRow = csv.split("\r\n").find((l) => /^[^,]+,\(全站 station\),\d{4},referral-14d,/.test(l));
    expect(yearRow?.split(",").slice(5, 7)).toEqual([String(after.n), String(after.d)]);
    for (const v of [plain, second, third]) expect(csv).not.toContain(v.idNumber);

    // Back to the home, then one tap signs out and the kiosk is the villager's again.
    await main().click(`${lists} [data-testid="back"]`);
    await waitScreen("doctor-home", [main()]);
    // The console home's audit list shows the outcome and the export as they were written.
    await main().waitForSelector('[data-testid="audit-list"] li:has-text("导出覆盖率")');
    expect(await main().textContent('[data-testid="audit-list"]')).toContain("记录随访结果");
    await shot("11f-home-audit-after", [main()]);
    await tap("doc-sign-out");
    await waitScreen("attract");
    for (const p of pages) expect(await p.isVisible('[data-testid="doctor-bar"]')).toBe(false);
    await shot("12-signed-out");

    type Event = { id: string; type: string; doctorId: string; detail?: Record<string, unknown> };
    const audit = (await readFile(join(station.dataDir, "doctor/audit.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Event);
    expect(audit.map((e) => e.type)).toEqual([
      "sign-in-failed",
      "sign-in",
      "consent-verbal",
      "manual-id",
      "consent-verbal",
      "manual-reading",
      "manual-reading",
      "consent-verbal",
      "danger-symptoms",
      "follow-up",
      "person-viewed",
      "outcome-recorded",
      "coverage-exported",
      "sign-out",
    ]);
    expect(audit.slice(1).every((e) => e.doctorId === E2E_DOCTOR.id)).toBe(true);

    // Everything reached the county: each audit event once, and the outcome as data.
    const county = async () => {
      const archive = new FileArchiveStore({ dir: station.archiveDir, readOnly: true });
      await archive.open();
      return {
        audit: (await archive.listEvents("audit", { limit: 1000 })).map((e) => e.id),
        outcomes: (await archive.listEvents("outcome")).map((e) => e.event),
      };
    };
    await expect
      .poll(async () => (await county()).audit, { timeout: 30_000, interval: 250 })
      .toEqual(audit.map((e) => e.id).sort());
    const { outcomes } = await county();
    expect(outcomes).toEqual([
      expect.objectContaining({
        kind: "agreed",
        programme: "referral",
        recordId: r3.id,
        doctorId: E2E_DOCTOR.id,
      }),
    ]);
    expect(audit.find((e) => e.type === "outcome-recorded")!.detail).toMatchObject({
      outcomeId: (outcomes[0] as { id: string }).id,
    });
    const text = JSON.stringify(audit);
    for (const v of [plain, second, third]) {
      expect(text).not.toContain(v.idNumber);
      expect(text).not.toContain(v.name);
    }
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
