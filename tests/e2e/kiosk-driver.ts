/**
 * Drives the kiosk the way the e2e test needs: two Chromium pages (7-inch 800×480 and
 * 1280×800) showing the same station, sim API calls, screenshots and layout checks.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { ROOT } from "./station-process.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SIZES = [
  { width: 800, height: 480 },
  { width: 1280, height: 800 },
] as const;
const SHOTS = join(ROOT, "test-results/screens");

/** Where screenshot `name` at SIZES[sizeIndex] goes (directory created). */
export async function shotPath(sizeIndex: number, name: string): Promise<string> {
  const size = SIZES[sizeIndex]!;
  const dir = join(SHOTS, `${size.width}x${size.height}`);
  await mkdir(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Run scripts/install-test-deps.sh ` +
        "(apt-get install -y chromium fonts-noto-cjk) before the end-to-end tests.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/**
 * Runs in the page (a string, because the test project has no DOM types). Lists everything a
 * villager could not see or use: a page that scrolls; any visible element whose content is taller
 * or wider than its box (clipped, or needing a scroll); anything visible outside the viewport;
 * a button, input or select under 48 px; text under 16 px.
 */
const LAYOUT_CHECK = `(() => {
  const out = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const doc = document.documentElement;
  if (doc.scrollWidth > vw || doc.scrollHeight > vh) out.push("page is " + doc.scrollWidth + "x" + doc.scrollHeight);
  const label = (el) => {
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const id = el.getAttribute("data-testid") ? "[" + el.getAttribute("data-testid") + "]" : "";
    const text = (el.textContent || "").trim().slice(0, 24);
    return el.tagName.toLowerCase() + cls + id + (text ? " " + JSON.stringify(text) : "");
  };
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || cs.display === "contents") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.top < -0.5 || r.left < -0.5 || r.bottom > vh + 0.5 || r.right > vw + 0.5)
      out.push(label(el) + " lies outside the viewport " + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
    if (cs.display !== "inline" && el.tagName.toLowerCase() !== "svg") {
      // A box that clips or scrolls must hold all of its content. Where overflow is visible,
      // CJK glyphs (Noto's ascent + descent is about 1.45 em) stick out of a 1.2 line box a few
      // px without being cut, so up to 0.3 em is let through there; a lost line is far more.
      const clips = cs.overflowY !== "visible" || cs.overflowX !== "visible";
      const slack = clips ? 1 : Math.max(1, 0.3 * parseFloat(cs.fontSize));
      if (el.clientHeight > 0 && el.scrollHeight > el.clientHeight + slack)
        out.push(label(el) + " content " + el.scrollHeight + "px taller than box " + el.clientHeight + "px");
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + slack)
        out.push(label(el) + " content " + el.scrollWidth + "px wider than box " + el.clientWidth + "px");
    }
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && parseFloat(cs.fontSize) < 15.9) out.push(label(el) + " text is " + cs.fontSize);
    const control = el.tagName === "BUTTON" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type !== "hidden");
    if (control && (r.height < 47.5 || r.width < 47.5))
      out.push(label(el) + " target is " + Math.round(r.width) + "x" + Math.round(r.height));
  }
  return out;
})()`;

/** The kiosk root's shown prompt key against the last one announced (voice or kiosk-local). */
const VOICE_KEYS = `(() => {
  const k = document.querySelector(".kiosk");
  return k ? { shown: k.getAttribute("data-voice-key"), spoken: k.getAttribute("data-spoken-key") } : null;
})()`;

export class Kiosks {
  readonly pageErrors: string[] = [];
  /** Every request the kiosk pages made that got a 4xx/5xx (a favicon 404 included). */
  readonly failedRequests: string[] = [];
  private constructor(
    readonly pages: Page[],
    readonly baseUrl: string,
    private readonly browser: Browser,
  ) {}

  /** One more page per size, showing the same station, switched to `lang`. Close their contexts. */
  async openMore(lang: "zh" | "en"): Promise<Page[]> {
    const more: Page[] = [];
    for (const size of SIZES) {
      const context = await this.browser.newContext({ viewport: size, locale: "zh-CN", hasTouch: true });
      const page = await context.newPage();
      page.on("pageerror", (e) => this.pageErrors.push(e.message));
      await page.goto(`${this.baseUrl}/`);
      await page.waitForSelector("[data-screen]");
      if (lang === "en") {
        await page.click('[data-testid="lang"]');
        await page.waitForSelector('.kiosk[lang="en"]');
      }
      more.push(page);
    }
    return more;
  }

  /** Screenshot `page` (a SIZES[sizeIndex] page) as `shot` and check its layout. */
  async check(page: Page, sizeIndex: number, shot: string): Promise<void> {
    const size = SIZES[sizeIndex]!;
    await page.screenshot({ path: await shotPath(sizeIndex, shot) });
    const problems = (await page.evaluate(LAYOUT_CHECK)) as string[];
    expect(problems.join("\n"), `${shot} at ${size.width}×${size.height}`).toBe("");
  }

  static async open(browser: Browser, baseUrl: string): Promise<Kiosks> {
    const pages: Page[] = [];
    for (const size of SIZES) {
      const context = await browser.newContext({ viewport: size, locale: "zh-CN", hasTouch: true });
      pages.push(await context.newPage());
    }
    const kiosks = new Kiosks(pages, baseUrl, browser);
    for (const page of pages) {
      page.on("pageerror", (e) => kiosks.pageErrors.push(e.message));
      page.on("response", (r) => {
        if (r.status() >= 400) kiosks.failedRequests.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${baseUrl}/`);
    }
    return kiosks;
  }

  /** The small screen, which the villager "touches" in these tests. */
  get main(): Page {
    return this.pages[0]!;
  }

  async waitFor(screen: string, pages: Page[] = this.pages): Promise<void> {
    for (const page of pages) {
      await page.waitForSelector(`[data-screen="${screen}"]`, { timeout: 10_000 });
      await page.waitForSelector('[data-testid="connecting"]', { state: "detached", timeout: 10_000 });
    }
  }

  /**
   * At both sizes and in both languages: screenshots, checks the layout (LAYOUT_CHECK), and that
   * the prompt shown (data-voice-key) is the one announced. Leaves the pages in Chinese.
   */
  async capture(name: string, screen?: string, opts: { voice?: boolean } = {}): Promise<void> {
    for (const [i, page] of this.pages.entries()) {
      // Both pages must show the same screen, so each picture is of the state named.
      if (screen) await page.waitForSelector(`[data-screen="${screen}"]`);
      if (opts.voice !== false) {
        // The announcement follows the state by a message; wait for it, then compare.
        await page
          .waitForFunction(`(() => { const v = ${VOICE_KEYS}; return v && v.shown === v.spoken; })()`, null, {
            timeout: 3_000,
          })
          .catch(() => {});
        const keys = (await page.evaluate(VOICE_KEYS)) as { shown: string; spoken: string } | null;
        expect(keys?.shown, `${name}: a prompt key is shown`).toBeTruthy();
        expect(keys?.spoken, `${name}: spoken key = shown key`).toBe(keys?.shown);
      }
      for (const lang of ["zh", "en"] as const) {
        if (lang === "en") {
          await page.click('[data-testid="lang"]');
          await page.waitForSelector('.kiosk[lang="en"]');
        }
        await this.check(page, i, lang === "zh" ? name : `${name}-en`);
      }
      await page.click('[data-testid="lang"]');
      await page.waitForSelector('.kiosk[lang="zh-CN"]');
    }
  }

  /** The prompt key the main page shows now. */
  async shownKey(): Promise<string | null> {
    return this.main.getAttribute(".kiosk", "data-voice-key");
  }

  async post(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(200);
    return json;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  async close(): Promise<void> {
    for (const page of this.pages) await page.context().close();
  }
}
