// The doctor's inbox tabs in Chromium at 800×480 and 1280×800, zh and en: nothing scrolls or
// overflows, every target is at least 48 px, and clearing a help request and correcting a
// rejected record work against a real DoctorInbox (file store, help store). Access is not
// checked here: tests/doctor-inbox/routes.test.ts proves who may call the routes.
import { mkdtemp } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DoctorInbox } from "../../station/doctor-inbox/index.js";
import { doctorInboxRoutes } from "../../station/doctor-inbox/routes.js";
import { dateIn } from "../../station/domain/id-number.js";
import { CheckupRecord } from "../../station/domain/schema.js";
import { HelpStore } from "../../station/help/help-store.js";
import { readJson, sendJson } from "../../station/server/http-util.js";
import { createFileStore } from "../../station/storage/file-store.js";
import type { RecordStore } from "../../station/storage/types.js";
import { toEnvelope } from "../../station/util/errors.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";
import { launchChromium, SIZES, shotPath } from "../e2e/kiosk-driver.js";
import { idNumber, makeRecord, rejectedSync } from "../storage/fixtures/records.js";

const LAYOUT = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollHeight > innerHeight + 1) out.push("page scrolls: " + doc.scrollHeight + " > " + innerHeight);
  if (doc.scrollWidth > innerWidth + 1) out.push("page is " + doc.scrollWidth + "px wide");
  for (const b of document.querySelectorAll("button, input")) {
    const r = b.getBoundingClientRect();
    if (r.height < 47.5) out.push(JSON.stringify(b.textContent) + " is " + Math.round(r.height) + "px high");
    if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) out.push(JSON.stringify(b.textContent) + " is off screen");
    if (b.scrollWidth > b.clientWidth + 1 && !b.classList.contains("ib-field") && !b.classList.contains("dl-row"))
      out.push(JSON.stringify(b.textContent) + " text overflows");
  }
  return out;
})()`;

let vite: ViteDevServer;
let browser: Browser;
let base: string;
let store: RecordStore;
let help: HelpStore;
let inbox: DoctorInbox;
const audit: Array<{ type: string }> = [];

async function seedRejected(
  n: number,
  reason: string,
  person: string,
  systolic = 128,
): Promise<CheckupRecord> {
  const r = CheckupRecord.parse({ ...makeRecord({ seq: n, person, systolic, sync: rejectedSync(reason) }) });
  await store.save(r);
  return r;
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "inbox-ui-"));
  store = createFileStore({ dir: join(dir, "data"), logger: silentLogger });
  await store.open();
  help = new HelpStore({ dir: join(dir, "data") });
  await help.start();
  inbox = new DoctorInbox({
    dataDir: join(dir, "data"),
    store: () => store,
    help,
    stationId: "st-test-01",
    now: () => Date.now(),
    clockSuspect: () => false,
    today: (ms) => dateIn(ms, "Asia/Shanghai"),
    assess: () => null,
    personKey: (id) => `k${id.length}`,
    audit: async (e) => {
      audit.push(e);
    },
    onSaved: () => {},
    logger: silentLogger,
  });
  await inbox.start();
  const routes = new Map(doctorInboxRoutes(() => inbox).map((r) => [`${r.method} ${r.path}`, r]));
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://station");
    // The lists' own count of open referrals: none in this rig.
    if (url.pathname === "/api/doctor/lists/inbox") {
      sendJson(res, 200, []);
      return true;
    }
    const route = routes.get(`${req.method} ${url.pathname}`);
    if (route?.access !== "doctor") return false;
    try {
      const body = req.method === "POST" ? await readJson(req) : undefined;
      const out = await route.handle({
        req,
        res,
        body,
        query: url.searchParams,
        session: { doctorId: "doc-1" },
      });
      sendJson(res, 200, out);
    } catch (e) {
      sendJson(res, 400, toEnvelope(e));
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
        name: "doctor-inbox-routes",
        configureServer(s) {
          s.middlewares.use((req, res, next) => {
            if (req.url?.startsWith("/harness")) {
              const html = `<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8" /></head><body><div id="app"></div><script type="module" src="/src/doctor-inbox/harness.tsx"></script></body></html>`;
              void s.transformIndexHtml(req.url, html).then((h) => {
                res.setHeader("content-type", "text/html; charset=utf-8");
                res.end(h);
              }, next);
              return;
            }
            void serve(req, res).then((done) => done || next(), next);
          });
        },
      },
    ],
  });
  await vite.listen();
  base = `http://127.0.0.1:${(vite.httpServer!.address() as { port: number }).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await inbox?.stop();
  await help?.stop();
  await store?.close();
});

async function open(sizeIndex: number, lang: "zh" | "en", tab: "help" | "rejected"): Promise<Page> {
  const ctx = await browser.newContext({ viewport: SIZES[sizeIndex]!, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(`${base}/harness?lang=${lang}&tab=${tab}`);
  await page.waitForSelector(tab === "help" ? '[data-testid="help-list"]' : '[data-testid="rejected-list"]');
  return page;
}

async function check(page: Page, name: string, sizeIndex: number) {
  await page.screenshot({ path: await shotPath(sizeIndex, `doctor-inbox-${name}`) });
  expect(
    await page.evaluate(LAYOUT),
    `${name} at ${SIZES[sizeIndex]!.width}×${SIZES[sizeIndex]!.height}`,
  ).toEqual([]);
}

describe("doctor inbox tabs", () => {
  it("help: every screen fits, and a doctor clears a request by saying what happened", {
    timeout: 120_000,
  }, async () => {
    for (const [i] of SIZES.entries())
      for (const lang of ["zh", "en"] as const) {
        const h = await help.add({ step: "bp", screen: "bp:measuring", recordId: null, source: "button" });
        const page = await open(i, lang, "help");
        await page.waitForSelector('[data-testid="help-row"]');
        await expect.poll(() => page.textContent('[data-testid="tab-help"] .dl-count')).toBe("1");
        await check(page, `help-${lang}`, i);
        await page.click('[data-testid="help-row"]');
        await page.waitForSelector('[data-testid="help-outcome"]');
        await check(page, `help-outcome-${lang}`, i);
        await page.click('[data-testid="help-villager-left"]');
        await page.waitForSelector('[data-testid="dl-message"]');
        await expect.poll(() => help.waiting().map((r) => r.id)).not.toContain(h.id);
        await page.waitForSelector('[data-testid="help-list"] .dl-empty');
        await page.waitForSelector('[data-testid="tab-help"] .dl-count', { state: "detached" });
        await page.context().close();
      }
    expect(audit.filter((e) => e.type === "help-cleared")).toHaveLength(SIZES.length * 2);
  });

  it("rejected: every screen fits, and a doctor corrects an ID number and a reading", {
    timeout: 120_000,
  }, async () => {
    let n = 10;
    for (const [i] of SIZES.entries())
      for (const lang of ["zh", "en"] as const) {
        const idRejected = await seedRejected(
          n++,
          "id-number: 身份证号码无效 / Resident ID number is not valid",
          idNumber("20300101", 11),
        );
        const readingRejected = await seedRejected(
          n++,
          "record-invalid: 记录内容前后矛盾 / Record contents are inconsistent",
          idNumber("19500101", 13),
          129,
        );
        const page = await open(i, lang, "rejected");
        await page.waitForSelector('[data-testid="rejected-row"]');
        await expect.poll(() => page.textContent('[data-testid="tab-rejected"] .dl-count')).toBe("2");
        await check(page, `rejected-${lang}`, i);
        // Newest first: the reading one is on top.
        await page.click(`[data-testid="rejected-row"]:not([disabled]) >> nth=0`);
        await page.waitForSelector('[data-testid="rejected-form"]');
        await check(page, `rejected-form-${lang}`, i);
        await page.click('[data-testid="field-r0.systolic"]');
        for (const k of ["del", "del", "del", "1", "9", "2"]) await page.click(`[data-testid="key-${k}"]`);
        await page.click('[data-testid="reason-device-error"]');
        await page.click('[data-testid="send-correction"]');
        await page.waitForSelector('[data-testid="rejected-list"]');
        await expect
          .poll(async () => (await inbox.rejected()).find((r) => r.id === readingRejected.id)?.supersededBy)
          .toBeTruthy();
        const fixedReading = await store.get(
          (await inbox.rejected()).find((r) => r.id === readingRejected.id)!.supersededBy!,
        );
        expect(fixedReading?.readings[0]).toMatchObject({ kind: "bp", systolic: 192 });
        // Wait for the list to show the correction, or the click below may land on the stale row.
        await expect.poll(() => page.textContent('[data-testid="tab-rejected"] .dl-count')).toBe("1");

        await page.click(`[data-testid="rejected-row"]:not([disabled]) >> nth=0`);
        await page.waitForSelector('[data-testid="field-idNumber"]');
        await check(page, `rejected-id-form-${lang}`, i);
        const fixed = idNumber("19300101", 11);
        await page.click('[data-testid="field-idNumber"]');
        for (let k = 0; k < 18; k++) await page.click('[data-testid="key-del"]');
        for (const ch of fixed) await page.click(`[data-testid="key-${ch}"]`);
        await page.click('[data-testid="reason-typing-error"]');
        await page.click('[data-testid="send-correction"]');
        await expect
          .poll(async () => (await inbox.rejected()).find((r) => r.id === idRejected.id)?.supersededBy)
          .toBeTruthy();
        await page.waitForSelector('[data-testid="tab-rejected"] .dl-count', { state: "detached" });
        await check(page, `rejected-done-${lang}`, i);
        await page.context().close();
      }
    expect(audit.filter((e) => e.type === "record-corrected")).toHaveLength(SIZES.length * 4);
  });
});
