/**
 * End to end: the real station (child process, simulated devices, the demo's seeded history) and
 * the kiosk in Chromium. A seeded villager taps their card, opens 查看健康档案, and every page of
 * the health card is walked at 800×480 and 1280×800, in Chinese and English, checking that
 * nothing overflows, nothing lies off screen, text is ≥ 16 px and buttons ≥ 48 px. Screenshots
 * go to test-results/screens/<size>/hc-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_HISTORY_IDS } from "../../station/health-card/demo-history.js";
import type { ViewState } from "../../station/protocol.js";
import { Kiosks, launchChromium, SIZES, shotPath } from "./kiosk-driver.js";
import { ensureUiBuilt, type RunningStation, startStation } from "./station-process.js";

let station: RunningStation;
let browser: Browser;
let kiosks: Kiosks;

/** Runs in the page: every problem that would make a villager scroll, squint or miss a button. */
const FIT_CHECK = `(() => {
  const out = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const root = document.querySelector('[data-screen="health-card"]');
  if (!root) return ["no health-card screen"];
  for (const el of [root, ...root.querySelectorAll("*")]) {
    const cs = getComputedStyle(el);
    if (cs.visibility === "hidden" || cs.display === "none") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const name = el.tagName + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "");
    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
      out.push(name + " outside the viewport " + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
    if (!(el instanceof SVGElement) && el.scrollHeight > el.clientHeight + 1 && cs.overflowY !== "visible")
      out.push(name + " content " + el.scrollHeight + "px taller than its " + el.clientHeight + "px box");
    if (!(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1 && cs.overflowX !== "visible")
      out.push(name + " content " + el.scrollWidth + "px wider than its " + el.clientWidth + "px box");
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && !(el instanceof SVGElement) && parseFloat(cs.fontSize) < 16)
      out.push(name + " text is " + cs.fontSize);
    if (el.tagName === "BUTTON" && r.height < 48) out.push("button " + JSON.stringify(el.textContent) + " is " + Math.round(r.height) + "px high");
  }
  for (const t of root.querySelectorAll("svg text")) {
    const px = parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 1);
    if (px < 16) out.push("chart text " + JSON.stringify(t.textContent) + " renders at " + px.toFixed(1) + "px");
  }
  return out;
})()`;

async function onAll(fn: (p: Page) => Promise<void>): Promise<void> {
  for (const p of kiosks.pages) await fn(p);
}

async function pageKind(p: Page): Promise<string> {
  return (await p.getAttribute('[data-screen="health-card"]', "data-page")) ?? "";
}

beforeAll(async () => {
  // The demo villagers' synthetic history, as `npm start` seeds it (station/app.ts).
  process.env.HS_DEMO_HISTORY = "1";
  browser = await launchChromium();
  ensureUiBuilt();
  station = await startStation();
  kiosks = await Kiosks.open(browser, station.url);
}, 180_000);

afterAll(async () => {
  await kiosks?.close();
  await browser?.close();
  await station?.stop();
});

describe("health card end to end", () => {
  it("a seeded villager taps their card, opens the health card, and every page fits in zh and en", async () => {
    await kiosks.waitFor("attract");
    await kiosks.post("/api/sim/card", { idNumber: DEMO_HISTORY_IDS[0] });
    await kiosks.waitFor("identified");
    await kiosks.capture("hc-00-identified");
    await kiosks.main.click('[data-testid="open-health-card"]');
    await onAll((p) => p.waitForSelector('[data-screen="health-card"][data-page="tags"]').then(() => {}));
    const view = await kiosks.get<Extract<ViewState, { step: "health-card" }>>("/api/state");
    expect(view.card?.visitCount).toBeGreaterThan(10);

    const seen = new Set<string>();
    for (const lang of ["zh", "en"] as const) {
      if (lang === "en") await onAll((p) => p.click('[data-testid="lang"]'));
      for (const [i, page] of kiosks.pages.entries()) {
        // Back to the first page, then walk forward to the last.
        while (await page.isEnabled('[data-testid="hc-prev"]')) await page.click('[data-testid="hc-prev"]');
        let n = 0;
        for (;;) {
          n++;
          const kind = await pageKind(page);
          seen.add(kind);
          await page.screenshot({
            path: await shotPath(i, `hc-${lang}-${String(n).padStart(2, "0")}-${kind}`),
          });
          const problems = (await page.evaluate(FIT_CHECK)) as string[];
          expect(problems, `${kind} (${lang}) at ${SIZES[i]!.width}×${SIZES[i]!.height}`).toEqual([]);
          if (kind === "chart-bp") {
            expect(
              Number(await page.getAttribute('[data-testid="hc-chart"]', "data-points")),
            ).toBeGreaterThan(2);
            expect(await page.getAttribute('[data-screen="health-card"]', "data-voice-key")).toMatch(
              /^health-card-bp-(better|same|worse|other)$/,
            );
            // Every year is reachable: step back to the oldest and check it has points too.
            while (await page.isEnabled('[data-testid="hc-older"]'))
              await page.click('[data-testid="hc-older"]');
            expect(await page.textContent('[data-testid="hc-period"]')).toMatch(/20\d\d/);
            expect(
              Number(await page.getAttribute('[data-testid="hc-chart"]', "data-points")),
            ).toBeGreaterThan(0);
            await page.screenshot({
              path: await shotPath(i, `hc-${lang}-${String(n).padStart(2, "0")}-chart-bp-oldest`),
            });
            expect((await page.evaluate(FIT_CHECK)) as string[]).toEqual([]);
          }
          if (kind === "chart-glucose") {
            // Each chart opens on the last 12 months, whatever year the BP chart was left at.
            expect(await page.textContent('[data-testid="hc-period"]')).toMatch(/近12个月|Last 12 months/);
            expect(await page.locator('[data-testid="hc-chart"] [data-sample]').count()).toBeGreaterThan(0);
          }
          if (kind === "due") {
            const items = await page.locator('[data-testid="hc-due"] li').count();
            expect(items).toBeGreaterThan(0);
          }
          if (!(await page.isEnabled('[data-testid="hc-next"]'))) break;
          await page.click('[data-testid="hc-next"]');
          expect(n).toBeLessThan(30);
        }
      }
    }
    for (const k of ["tags", "latest", "chart-bp", "chart-glucose", "due", "doctor", "entitlements"])
      expect(seen, k).toContain(k);
    await onAll((p) => p.click('[data-testid="lang"]'));

    // Lifting the card closes the health card on every screen.
    await kiosks.post("/api/sim/card/remove", {});
    await kiosks.waitFor("attract");
    expect(await kiosks.main.locator('[data-screen="health-card"]').count()).toBe(0);
  }, 240_000);

  it("is offered after a check-up's result, and 返回 goes back to that result", async () => {
    const tap = (id: string) => kiosks.main.click(`[data-testid="${id}"]`);
    await kiosks.post("/api/sim/action", { type: "cancel" });
    await kiosks.waitFor("attract");
    // The card stays on the reader through the check-up, as the villager leaves it there.
    await kiosks.post("/api/sim/card", { idNumber: DEMO_HISTORY_IDS[1] });
    await kiosks.waitFor("identified");
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
    await kiosks.post("/api/sim/glucose", { profile: "normal" });
    await kiosks.waitFor("result");
    await kiosks.capture("hc-20-result-with-card-button", "result");
    await tap("open-health-card");
    await onAll((p) => p.waitForSelector('[data-screen="health-card"][data-page="tags"]').then(() => {}));
    const view = await kiosks.get<Extract<ViewState, { step: "health-card" }>>("/api/state");
    expect(view.from).toBe("result");
    // Today's check-up is on the card already: the latest BP is today's.
    expect(view.card?.latest.bp?.now.date).toBe(view.card?.today);
    await tap("back");
    await kiosks.waitFor("result");
    await kiosks.post("/api/sim/card/remove", {});
  }, 120_000);
});
