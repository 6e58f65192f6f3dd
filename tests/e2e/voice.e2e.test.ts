/**
 * End to end: the kiosk speaks every prompt from its recorded clips in Chromium with
 * speechSynthesis removed from the page. The page is instrumented to log each clip that starts
 * and ends, with the screen shown when it started; each screen must play its own prompt.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./kiosk-driver.js";
import { ensureUiBuilt, type RunningStation, startStation } from "./station-process.js";

interface Played {
  src: string;
  screen: string | null;
  state: string;
}

/** Runs before the kiosk's own code: no speech engine, and every media play() is logged. */
const INSTRUMENT = `(() => {
  delete window.speechSynthesis;
  delete Window.prototype.speechSynthesis;
  window.__voiceLog = [];
  // How many clips sound at once, now and at most: prompts must never overlap.
  let now = 0;
  window.__voiceMaxConcurrent = 0;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    const screen = document.querySelector("[data-screen]");
    const entry = { src: new URL(this.currentSrc || this.src).pathname, screen: screen && screen.getAttribute("data-screen"), state: "called" };
    window.__voiceLog.push(entry);
    this.addEventListener("playing", () => {
      entry.state = "playing";
      window.__voiceMaxConcurrent = Math.max(window.__voiceMaxConcurrent, ++now);
    }, { once: true });
    // A clip cut off by the next screen is paused: "stopped". One that ends pauses first, then ends.
    this.addEventListener("pause", () => { if (entry.state === "playing") { now--; entry.state = "stopped"; } }, { once: true });
    this.addEventListener("ended", () => { entry.state = "ended"; }, { once: true });
    this.addEventListener("error", () => { entry.state = "error"; }, { once: true });
    return play.call(this).catch((e) => { entry.state = "rejected " + e.name; throw e; });
  };
})()`;

let station: RunningStation;
let browser: Browser;
let page: Page;

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${station.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, `${path} ${await res.text()}`).toBe(200);
}

async function log(): Promise<Played[]> {
  return (await page.evaluate("window.__voiceLog")) as Played[];
}

/**
 * Waits until the screen is shown and the first clip of `key`'s prompt is playing there (among
 * the clips started after the first `since`).
 */
async function hears(
  screen: string,
  key: RegExp,
  state: "playing" | "ended" = "playing",
  since = 0,
): Promise<void> {
  await page.waitForSelector(`[data-screen="${screen}"]`, { timeout: 15_000 });
  const ok = (p: Played) =>
    p.screen === screen &&
    key.test(p.src.replace(/^\/voice\/zh\/p-|\.opus$/g, "")) &&
    (p.state === state || p.state === "ended");
  await expect
    .poll(async () => (await log()).slice(since).some(ok), {
      timeout: 20_000,
      message: `${screen} plays ${key}`,
    })
    .toBe(true);
}

/** Waits until no clip is playing or about to. */
async function quiet(): Promise<void> {
  const busy = (p: Played) => p.state === "called" || p.state === "playing";
  await expect
    .poll(async () => (await log()).filter(busy).map((p) => p.src), { timeout: 30_000 })
    .toEqual([]);
}

beforeAll(async () => {
  // A kiosk has no one to tap before the first prompt, so it runs with autoplay allowed.
  browser = await launchChromium(["--autoplay-policy=no-user-gesture-required"]);
  ensureUiBuilt();
  station = await startStation();
  const context = await browser.newContext({ viewport: { width: 800, height: 480 }, locale: "zh-CN" });
  await context.addInitScript(INSTRUMENT);
  page = await context.newPage();
  await page.goto(`${station.url}/`);
  await page.waitForSelector('[data-screen="attract"]');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

describe("kiosk voice without speechSynthesis", () => {
  it("plays each screen's recorded prompt through a whole check-up, faults included", async () => {
    expect(await page.evaluate('"speechSynthesis" in window')).toBe(false);
    // The sim roster lists refs, never full ID numbers (docs/sim-api.md).
    const roster = (await (await fetch(`${station.url}/api/sim/roster?q=&limit=1`)).json()) as Array<{
      ref: string;
    }>;
    await post("/api/sim/card", { ref: roster[0]!.ref });
    // Played to its end: the clip was fetched, decoded and played through.
    await hears("identified", /^confirm-identity$/, "ended");
    await post("/api/sim/card/remove", {});
    await page.click('[data-testid="confirm"]');
    await hears("consent", /^consent$/);
    await page.click('[data-testid="agree"]');
    await hears("bp-ready", /^bp-ready$/, "ended");
    // A failed measurement has its own prompt, and retrying brings back the first one.
    await post("/api/sim/bp", { profile: "error" });
    // The simulator's failed cycle is a loose cuff: the prompt speaks that reason.
    await hears("bp-fault", /^bp-fault-cuff-loose$/);
    let since = (await log()).length;
    await page.click('[data-testid="retry"]');
    await hears("bp-ready", /^bp-ready$/, "playing", since);
    since = (await log()).length;
    await post("/api/sim/bp", { profile: "high" });
    await hears("bp-rest", /^bp-repeat$/, "playing", since);
    // After the rest, the ready screen asks for the second reading.
    await hears("bp-ready", /^bp-ready-repeat$/, "playing", since);
    await post("/api/sim/bp", { profile: "normal" });
    await page.waitForSelector('[data-screen="bp-done"]');
    await page.click('[data-testid="next"]');
    await hears("glucose-sample-type", /^glucose-sample-type$/);
    await page.click('[data-testid="sample-fasting"]');
    await hears("glucose-waiting", /^glucose-ready$/);
    await post("/api/sim/glucose", { profile: "error" });
    await hears("glucose-fault", /^glucose-fault(-[a-z-]+)?$/);
    since = (await log()).length;
    await page.click('[data-testid="retry"]');
    await hears("glucose-waiting", /^glucose-ready$/, "playing", since);
    await post("/api/sim/glucose", { profile: "normal" });
    // A result prompt is recorded in pieces around its verdict words (result-raised-1, …).
    await hears("result", /^result-(normal|raised|high|urgent)(-\d+)?$/, "ended");
    await quiet();

    // 再听一遍 plays the result's prompt again.
    const before = (await log()).length;
    const box = await page.locator('[data-testid="replay"]').boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(48);
    await page.click('[data-testid="replay"]');
    await expect
      .poll(async () => (await log()).slice(before).some((p) => /\/p-result-/.test(p.src)))
      .toBe(true);

    // In English, the same prompt is spoken from the English clips.
    await page.click('[data-testid="lang"]');
    await expect
      .poll(async () =>
        (await log()).some((p) => /^\/voice\/en\/p-result-/.test(p.src) && p.screen === "result"),
      )
      .toBe(true);

    // Sound off was this person's choice: after them, the kiosk speaks again (the welcome).
    await page.click('[data-testid="mute"]');
    expect(await page.getAttribute('[data-testid="mute"]', "aria-pressed")).toBe("true");
    await page.click('[data-testid="finish"]');
    await hears("attract", /^welcome$/, "ended");
    expect(await page.getAttribute('[data-testid="mute"]', "aria-pressed")).toBe("false");

    const played = await log();
    // Every clip came from the recorded set, and nothing fell back to (absent) speechSynthesis.
    expect(played.every((p) => /^\/voice\/(zh|en)\//.test(p.src))).toBe(true);
    // No clip failed to load, decode or play. An AbortError only says a play() was cut off by the
    // next prompt's pause (a screen that changed, or was republished, mid-prompt): not a failure.
    expect(
      played.filter(
        (p) => (p.state.startsWith("rejected") && p.state !== "rejected AbortError") || p.state === "error",
      ),
    ).toEqual([]);
    expect(await page.evaluate("window.__voiceMaxConcurrent")).toBe(1);
  }, 150_000);
});
