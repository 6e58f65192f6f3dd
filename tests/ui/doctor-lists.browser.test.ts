// The lists screen in Chromium at 800×480 and 1280×800, zh and en: pages never scroll, every target is
// at least 48 px, and search, outcome, inbox, coverage and CSV export work against the real routes
// (a real DoctorLists over a file store, behind a stand-in for the doctor console's session).
import { readdir } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doctorListRoutes } from "../../station/doctor-lists/routes.js";
import { readJson, sendError, sendJson } from "../../station/server/http-util.js";
import { StationError } from "../../station/util/errors.js";
import { projectRoot } from "../../station/util/project-root.js";
import { demoRecord } from "../doctor-lists/demo-records.js";
import { at, demoRoster, type Rig, rig } from "../doctor-lists/helpers.js";
import { launchChromium, SIZES, shotPath } from "../e2e/kiosk-driver.js";

const LAYOUT = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollHeight > innerHeight + 1) out.push("page scrolls: " + doc.scrollHeight + " > " + innerHeight);
  if (doc.scrollWidth > innerWidth + 1) out.push("page is " + doc.scrollWidth + "px wide");
  for (const b of document.querySelectorAll("button, input")) {
    const r = b.getBoundingClientRect();
    if (r.height < 47.5) out.push(JSON.stringify(b.textContent) + " is " + Math.round(r.height) + "px high");
    if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) out.push(JSON.stringify(b.textContent) + " is off screen");
  }
  return out;
})()`;

let vite: ViteDevServer;
let browser: Browser;
let base: string;
let r: Rig;

beforeAll(async () => {
  const people = demoRoster.all().slice(0, 60);
  const li = demoRoster.get("510199195307043655")!;
  const zhao = demoRoster.get("51019919620613881X")!;
  r = await rig(
    people,
    [
      demoRecord(li, { at: at("2026-10-02"), sbp: 152, dbp: 92, seq: 1 }),
      demoRecord(zhao, { at: at("2026-11-10"), sbp: 185, dbp: 112, seq: 2 }),
      demoRecord(li, { at: at("2026-10-16"), sbp: 148, dbp: 95, seq: 3 }),
    ],
    "2026-11-20",
  );
  const gate = {
    require(req: IncomingMessage) {
      if (!/test-session=doc-1/.test(req.headers.cookie ?? ""))
        throw new StationError("doctor-session-required", "no session");
      return { doctorId: "doc-1" };
    },
  };
  // The routes are rows of the server's table; this dispatches them as the server does after its
  // Host and Origin checks (tests/security proves those): session first, then the handler.
  const table = new Map(
    doctorListRoutes(r.lists, join(r.dir, "data")).map((x) => [`${x.method} ${x.path}`, x]),
  );
  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const route = table.get(`${req.method} ${url.pathname}`);
    if (route?.access !== "doctor") return false;
    try {
      const session = await gate.require(req);
      const body = req.method === "POST" ? await readJson(req) : undefined;
      sendJson(res, 200, await route.handle({ req, res, body, query: url.searchParams, session }));
    } catch (e) {
      sendError(res, e);
    }
    return true;
  };
  const root = projectRoot();
  vite = await createServer({
    configFile: false,
    root: join(root, "ui"),
    logLevel: "error",
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    server: { host: "127.0.0.1", port: 0, fs: { allow: [root] }, hmr: false },
    plugins: [
      {
        name: "doctor-list-routes",
        configureServer(s) {
          s.middlewares.use((req, res, next) => {
            if (req.url?.startsWith("/harness")) {
              const html = `<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8" /></head><body><div id="app"></div><script type="module" src="/src/doctor-lists/harness.tsx"></script></body></html>`;
              void s.transformIndexHtml(req.url, html).then((h) => {
                res.setHeader("content-type", "text/html; charset=utf-8");
                res.end(h);
              }, next);
              return;
            }
            void routes(req, res, new URL(req.url ?? "/", "http://station")).then(
              (done) => done || next(),
              next,
            );
          });
        },
      },
    ],
  });
  await vite.listen();
  const addr = vite.httpServer!.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

async function open(sizeIndex: number, lang: "zh" | "en"): Promise<Page> {
  const ctx = await browser.newContext({ viewport: SIZES[sizeIndex]!, hasTouch: true });
  await ctx.addCookies([{ name: "test-session", value: "doc-1", url: base }]);
  const page = await ctx.newPage();
  await page.goto(`${base}/harness?lang=${lang}`);
  await page.waitForSelector('[data-testid="dl-row"]');
  return page;
}

async function check(page: Page, name: string, sizeIndex: number) {
  await page.screenshot({ path: await shotPath(sizeIndex, `doctor-lists-${name}`) });
  expect(
    await page.evaluate(LAYOUT),
    `${name} at ${SIZES[sizeIndex]!.width}×${SIZES[sizeIndex]!.height}`,
  ).toEqual([]);
}

describe("doctor lists screen", () => {
  it("every page fits both screens in both languages", { timeout: 120_000 }, async () => {
    for (const [i] of SIZES.entries())
      for (const lang of ["zh", "en"] as const) {
        const page = await open(i, lang);
        await check(page, `due-${lang}`, i);
        await page.click('[data-testid="dl-row"]');
        await page.waitForSelector('[data-testid="dl-outcome"]');
        await check(page, `outcome-${lang}`, i);
        await page.click('[data-testid="outcome-removed"]');
        await check(page, `remove-${lang}`, i);
        await page.click('[data-testid="cancel"]');
        await page.click('[data-testid="tab-inbox"]');
        await page.waitForSelector('[data-testid="dl-inbox-row"]');
        await check(page, `inbox-${lang}`, i);
        await page.click('[data-testid="tab-coverage"]');
        await page.waitForSelector('[data-testid="dl-coverage"]');
        await check(page, `coverage-${lang}`, i);
        await page.context().close();
      }
  });

  it("searches, pages, records outcomes, clears the inbox and exports CSV", {
    timeout: 120_000,
  }, async () => {
    const page = await open(0, "zh");
    const first = await page.textContent('[data-testid="dl-page"]');
    expect(first).toMatch(/^第 1\/\d+ 页/);
    await page.click('[data-testid="dl-next"]');
    await page.waitForFunction(
      `document.querySelector('[data-testid="dl-page"]')?.textContent?.startsWith("第 2/")`,
    );
    await page.fill('[data-testid="dl-search"]', "赵学文");
    await page.waitForFunction(`document.querySelectorAll('[data-testid="dl-row"]').length === 2`);
    await page.click('[data-testid="dl-row"]');
    await page.click('[data-testid="outcome-agreed"]');
    await page.waitForSelector('[data-testid="dl-message"]');
    expect(await page.textContent('[data-testid="dl-message"]')).toContain("已记录");
    expect(r.lists.outcomes.all().at(-1)).toMatchObject({ kind: "agreed", doctorId: "doc-1" });

    await page.click('[data-testid="tab-inbox"]');
    await page.click('[data-testid="dl-inbox-row"]');
    await page.click('[data-testid="outcome-removed"]');
    await page.click('[data-testid="reason-visited-elsewhere"]');
    await page.waitForSelector("text=没有待处理的转诊");

    await page.click('[data-testid="tab-coverage"]');
    await page.waitForSelector('[data-testid="ind-referral-14d"]');
    expect(await page.textContent('[data-testid="ind-referral-14d"]')).toContain("1/1");
    await page.click('[data-testid="dl-export"]');
    await page.click('[data-testid="dl-folder"]');
    await page.waitForSelector('[data-testid="dl-message"]');
    expect(await page.textContent('[data-testid="dl-message"]')).toContain("已保存到");
    expect(await readdir(join(r.dir, "data", "exports"))).toEqual(["coverage-demo-0001-2026-11-20.csv"]);
    await page.context().close();
  });
});
