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
 * Runs in the page (a string, because the test project has no DOM types): lists horizontal
 * overflow, and action/navigation buttons that are off screen or too small to hit.
 */
const LAYOUT_CHECK = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) out.push("page is " + doc.scrollWidth + "px wide");
  const buttons = document.querySelectorAll(
    ".screen-actions button, [data-testid=back], [data-testid=cancel], [data-testid=lang], .choices button",
  );
  for (const b of buttons) {
    if (getComputedStyle(b).visibility === "hidden") continue;
    const r = b.getBoundingClientRect();
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5)
      out.push("button " + JSON.stringify(b.textContent) + " is off screen (bottom " + Math.round(r.bottom) + ")");
    if (r.height < 40) out.push("button " + JSON.stringify(b.textContent) + " is only " + Math.round(r.height) + "px high");
  }
  return out;
})()`;

export class Kiosks {
  readonly pageErrors: string[] = [];
  private constructor(
    readonly pages: Page[],
    readonly baseUrl: string,
  ) {}

  static async open(browser: Browser, baseUrl: string): Promise<Kiosks> {
    const pages: Page[] = [];
    for (const size of SIZES) {
      const context = await browser.newContext({ viewport: size, locale: "zh-CN", hasTouch: true });
      pages.push(await context.newPage());
    }
    const kiosks = new Kiosks(pages, baseUrl);
    for (const page of pages) {
      page.on("pageerror", (e) => kiosks.pageErrors.push(e.message));
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

  /** Screenshots both sizes and checks the main action and back/cancel are fully on screen. */
  async capture(name: string, screen?: string): Promise<void> {
    for (const [i, page] of this.pages.entries()) {
      const size = SIZES[i]!;
      // Both pages must show the same screen, so each picture is of the state named.
      if (screen) await page.waitForSelector(`[data-screen="${screen}"]`);
      await page.screenshot({ path: await shotPath(i, name) });
      const problems = (await page.evaluate(LAYOUT_CHECK)) as string[];
      expect(problems, `${name} at ${size.width}×${size.height}`).toEqual([]);
    }
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
