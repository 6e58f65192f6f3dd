/**
 * `npm start` (issue 11 §6): the real station process with the embedded county runs the county's
 * Node-RED fleet flow, and its dashboard shows the demo station, online with its birth, to county
 * IT with the login written at start-up, and to nobody without it.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../e2e/kiosk-driver.js";
import { ensureUiBuilt, ROOT } from "../e2e/station-process.js";
import { killAll, type ReadyChild, spawnUntilReady } from "../faults/lib/children.js";

const SHOTS = process.env.HS_SCREENSHOT_DIR ?? join(tmpdir(), "hs-fleet-dashboard-shots");
let dir: string;
let station: ReadyChild;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  dir = await mkdtemp(join(tmpdir(), "hs-embedded-dash-"));
  const configPath = join(dir, "config.json");
  await writeFile(
    configPath,
    JSON.stringify({
      version: 1,
      station: { id: "demo-dash", countyId: "demo-county" },
      server: { port: 0 },
      dataDir: join(dir, "data"),
      upload: { embeddedArchiveDir: join(dir, "county-archive") },
    }),
  );
  station = await spawnUntilReady(
    process.execPath,
    ["--import", "tsx", "station/main.ts", "--config", configPath],
    { cwd: ROOT, env: { ...process.env, HS_COUNTY_DASHBOARD_PORT: "0" } },
    /^READY (http:\/\/\S+)$/m,
    "station",
    120_000,
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await station?.signal("SIGTERM").catch(() => {});
  await killAll();
  await rm(dir, { recursive: true, force: true });
});

it("shows the demo station in the county fleet dashboard, behind the login written at start-up", async () => {
  const m = /fleet dashboard (http:\/\/\S+) \(login in (\S+)\)/.exec(station.output());
  expect(m, station.output()).not.toBeNull();
  const [, url, loginFile] = m!;
  expect(loginFile).toBe(join(dir, "county-fleet", "dashboard-login.txt"));
  expect((await stat(loginFile!)).mode & 0o077).toBe(0);
  const [username, password] = (await readFile(loginFile!, "utf8")).trim().split(" ");
  expect((await fetch(url!)).status).toBe(401);

  const ctx = await browser.newContext({
    httpCredentials: { username: username!, password: password! },
    viewport: { width: 1280, height: 800 },
  });
  const page = await ctx.newPage();
  await page.goto(url!);
  const row = page.locator(".hs-stations-table tbody tr", { hasText: "demo-dash" });
  await row.getByText("在线 online").waitFor({ timeout: 60_000 });
  // The birth's software version, from the station's package.json.
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
  expect(await row.textContent()).toContain(pkg.version);
  await page.screenshot({ path: join(SHOTS, "npm-start-dashboard.png"), fullPage: true });
  await ctx.close();
}, 120_000);
