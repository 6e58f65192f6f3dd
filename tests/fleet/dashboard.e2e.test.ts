/**
 * The county fleet dashboard in `npm run county` (built output, in-process), against the shipped
 * Mosquitto and `npm run fleet-sim` stations, in Debian's Chromium: the login is required (page,
 * socket.io and editor API), the stations are listed one server-side page at a time, a station
 * killed with SIGKILL shows offline, a config rollout shows applied and pending per station, and
 * an alarm it raises is acknowledged from the table and the acknowledgement reaches the station.
 * Nothing is loaded from anywhere but the county's own server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CountyHandle, startCounty as StartCounty } from "../../flows/county.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { launchChromium } from "../e2e/kiosk-driver.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { until } from "../faults/lib/wait.js";
import { type Built, buildDist } from "../flows/helpers/dist-build.js";

const COUNTY = "demo-county";
const PW = "dash-pw-0123";
const ROOT = join(import.meta.dirname, "../..");
const IT = { username: "it-wang", password: "县信息科-secret" };
const N = 25;
const ids = Array.from({ length: N }, (_, i) => `dash-${i}`);
const SHOTS = process.env.HS_SCREENSHOT_DIR ?? join(tmpdir(), "hs-fleet-dashboard-shots");

let broker: FaultBroker;
let built: Built;
let dir: string;
let county: CountyHandle;
let browser: Browser;
const sims: ChildProcess[] = [];

function sim(count: number, offset: number): Promise<ChildProcess> {
  const p = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/fleet-sim.ts",
      ...["--stations", String(count), "--id-offset", String(offset), "--prefix", "dash-"],
      ...["--county", COUNTY, "--url", broker.url, "--ca", broker.caFile, "--dir", join(dir, "sim")],
      ...["--keepalive", "5"],
    ],
    { cwd: ROOT, env: { ...process.env, HS_MQTT_PASSWORD: PW }, stdio: ["ignore", "pipe", "inherit"] },
  );
  sims.push(p);
  return new Promise((resolve, reject) => {
    let out = "";
    p.stdout!.on("data", (d) => {
      out += d;
      if (out.includes(`READY ${count}`)) resolve(p);
    });
    p.once("exit", (c) => reject(new Error(`fleet-sim exited ${c}: ${out}`)));
  });
}

beforeAll(async () => {
  [broker, built] = await Promise.all([
    startFaultBroker([COUNTY_ADMIN, ...ids].map((username) => ({ username, password: PW }))),
    buildDist(),
  ]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-dash-"));
  mkdirSync(SHOTS, { recursive: true });
  const bcrypt = createRequire(createRequire(import.meta.url).resolve("node-red"))("bcryptjs") as {
    hashSync(p: string, rounds: number): string;
  };
  const mod = (await import(pathToFileURL(built.countyJs).href)) as { startCounty: typeof StartCounty };
  county = await mod.startCounty({
    county: COUNTY,
    dataDir: join(dir, "county"),
    broker: { url: broker.url, caFile: broker.caFile },
    store: { kind: "file", dir: join(dir, "store") },
    archive: false,
    fleet: { password: PW, pageSize: 10, offlineAlarmSeconds: 600 },
    http: { port: 0, users: [{ username: IT.username, passwordHash: bcrypt.hashSync(IT.password, 8) }] },
    credentialSecret: "dash-secret-0123456789",
  });
  // archive: false, so connected() is the fleet view's own county-admin connection.
  await until(() => county.connected(), Boolean, "the fleet view connected", 30_000);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const p of sims) p.kill("SIGKILL");
  await county?.stop();
  await broker?.close();
  await built?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

it("refuses every request without the county login: page, socket.io, editor API", async () => {
  const url = county.dashboardUrl!;
  expect((await fetch(url)).status).toBe(401);
  const wrong = `Basic ${Buffer.from(`${IT.username}:nope`).toString("base64")}`;
  expect((await fetch(url, { headers: { authorization: wrong } })).status).toBe(401);
  const good = `Basic ${Buffer.from(`${IT.username}:${IT.password}`).toString("base64")}`;
  expect((await fetch(url, { headers: { authorization: good } })).status).toBe(200);
  // The editor's admin API needs its own token (adminAuth), not just reaching the port.
  expect((await fetch(`${county.url}flows`)).status).toBe(401);

  // socket.io on the HTTP server itself: the handshake is answered, the namespace refused.
  const sio = `${new URL(url).origin}/api/dashboard/socket.io/?EIO=4&transport=polling`;
  // The socket.io protocol over plain polling (the dashboard bundles its client; none is installed):
  // open an engine.io session, ask to join the namespace, read the answer.
  const tryConnect = async (headers: Record<string, string>) => {
    const open = await (await fetch(sio, { headers })).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    await fetch(`${sio}&sid=${sid}`, { method: "POST", headers, body: "40" });
    const reply = await (await fetch(`${sio}&sid=${sid}`, { headers })).text();
    if (reply.startsWith("40")) return "connected";
    const err = /^44(.*)$/.exec(reply);
    return err ? `refused: ${(JSON.parse(err[1]!) as { message: string }).message}` : `? ${reply}`;
  };
  expect(await tryConnect({})).toBe("refused: login required");
  expect(await tryConnect({ authorization: wrong })).toBe("refused: login required");
  expect(await tryConnect({ authorization: good })).toBe("connected");
}, 60_000);

it("lists and pages the stations, shows a killed one offline, a rollout's progress, and acknowledges an alarm", async () => {
  await sim(N - 1, 0);
  const doomed = await sim(1, N - 1);
  const sorted = [...ids].sort((a, b) => a.localeCompare(b));
  const ctx = await browser.newContext({
    httpCredentials: IT,
    viewport: { width: 1280, height: 800 },
    locale: "zh-CN",
  });
  const external: string[] = [];
  await ctx.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== "127.0.0.1") {
      external.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  const firstCells = async (table: string) =>
    (await page.locator(`.${table} tbody tr td:first-child`).allInnerTexts()).map((t) => t.trim());
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  await page.goto(county.dashboardUrl!);
  // Stations listed, one server-side page of 10 at a time.
  await page.getByText(/第 1\/3 页 · 共 25 站 · 在线 25/).waitFor({ timeout: 90_000 });
  await until(
    () => firstCells("hs-stations-table"),
    (c) => c.join() === sorted.slice(0, 10).join(),
    "page 1",
    30_000,
  );
  await page.locator("#nrdb-ui-widget-hs-fleet-ui-next").getByRole("button").click();
  await page.getByText(/第 2\/3 页/).waitFor({ timeout: 30_000 });
  await until(
    () => firstCells("hs-stations-table"),
    (c) => c.join() === sorted.slice(10, 20).join(),
    "page 2",
    30_000,
  );
  expect(sorted.slice(10, 20)).toContain("dash-24");

  // A station killed outright: the broker's Will (keepalive 5 s) shows it offline, lost.
  doomed.kill("SIGKILL");
  const row24 = page.locator(".hs-stations-table tbody tr", { hasText: "dash-24" });
  await row24.getByText("离线 offline (失联 lost)").waitFor({ timeout: 60_000 });
  await page.getByText(/共 25 站 · 在线 24/).waitFor({ timeout: 30_000 });
  await shot("fleet-stations-page2-offline");

  // A config rollout to every station: 24 apply it, the dead one stays pending. The new limit
  // (disk below 1 TB is "low") makes each live station raise a disk-low alarm.
  const settings = { fleet: { checkSeconds: 2, alarms: { diskLowMegabytes: 1_000_000 } } };
  const configForm = page.locator("#nrdb-ui-widget-hs-fleet-ui-form");
  await configForm.getByLabel(/版本 Version/).fill("3");
  await configForm.getByLabel(/设置 Settings/).fill(JSON.stringify(settings));
  await configForm.getByRole("button", { name: /下发 Send/ }).click();
  await page
    .getByText("config:3: 已应用 applied 24 · 已拒绝 rejected 0 · 待定 pending 1")
    .waitFor({ timeout: 60_000 });
  const pendingRow = page.locator(".hs-rollout-table tbody tr", { hasText: "dash-24" });
  await pendingRow.getByText("待定 pending").waitFor({ timeout: 10_000 });
  expect(await page.locator(".hs-rollout-table tbody tr", { hasText: "已应用 applied" }).count()).toBe(24);

  // The alarm list, and an acknowledgement that reaches the station.
  const alarmRow = page
    .locator(".hs-alarms-table tbody tr", { hasText: "dash-0" })
    .filter({ hasText: "disk-low" });
  await alarmRow.waitFor({ timeout: 60_000 });
  expect(await alarmRow.textContent()).toContain("未确认 not acknowledged");
  await alarmRow.getByRole("button", { name: /确认 Acknowledge/ }).click();
  await alarmRow
    .getByText(`已确认 acknowledged ${IT.username}`, { exact: false })
    .waitFor({ timeout: 30_000 });
  const audit = await until(
    () => readFile(join(dir, "sim", "dash-0", "fleet", "audit.jsonl"), "utf8").catch(() => ""),
    (t) => t.includes('"name":"ack-alarm"'),
    "ack-alarm in dash-0's audit log",
    30_000,
  );
  expect(audit).toMatch(/"name":"ack-alarm","status":"done"/);
  // The county's own audit names the person logged in to the dashboard, for both actions.
  const countyAudit = (await readFile(join(dir, "county", "fleet", "audit.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { kind: string; by: string; station?: string; version?: number });
  // Every final answer is audited too (pack-rollout test below); here the two actions taken.
  expect(
    countyAudit.filter((l) => l.kind !== "answer").map((l) => [l.kind, l.by, l.station ?? l.version]),
  ).toEqual([
    ["config", IT.username, 3],
    ["ack", IT.username, "dash-0"],
  ]);
  expect(
    countyAudit.filter((l) => l.kind === "answer" && (l as { id?: string }).id === "config:3").length,
  ).toBe(24);
  // Only dash-0 was acknowledged.
  const others = page
    .locator(".hs-alarms-table tbody tr", { hasText: "dash-1" })
    .filter({ hasText: "disk-low" });
  expect(await others.first().textContent()).toContain("未确认 not acknowledged");
  await shot("fleet-rollout-alarms");

  // No horizontal overflow at 1280 px (a string: the test's tsconfig has no DOM types).
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  expect(overflow).toBeLessThanOrEqual(0);
  expect(external).toEqual([]);
  expect(errors).toEqual([]);
  await ctx.close();
}, 300_000);

it("rolls a roster pack out from the county packs folder: applied per station, a bad one rejected with its reason, paged, audited; fits 800×480 and 1280×800", async () => {
  // The county's packs folder (default {dataDir}/packs): a roster of several chunks.
  const packs = join(dir, "county", "packs");
  mkdirSync(packs, { recursive: true });
  await copyFile(join(ROOT, "station/data/demo-roster.json"), join(packs, "roster-2026-12.json"));
  const ctx = await browser.newContext({
    httpCredentials: IT,
    viewport: { width: 1280, height: 800 },
    locale: "zh-CN",
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(`${m.text()} ${m.location().url}`));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(county.dashboardUrl!);
  await page.getByText(/roster-2026-12\.json \(\d+ KB\)/).waitFor({ timeout: 60_000 });
  const send = async (version: string, stations: string, file = "roster-2026-12.json") => {
    const form = page.locator("#nrdb-ui-widget-hs-fleet-ui-pack-form");
    await form.getByLabel(/Pack \(roster/).fill("roster");
    await form.getByLabel(/Pack version/).fill(version);
    await form.getByLabel(/File/).fill(file);
    await form.getByLabel(/Target stations/).fill(stations);
    await form.getByRole("button", { name: /下发数据包 Send pack/ }).click();
  };
  // Version 6 to every station the county knows (empty = all): 24 apply it, dash-24 (killed above)
  // stays pending. The table's first page is read as it changes (the page button asks for it at
  // once; the tick is every 5 s).
  await send("6", "");
  const packRow = (id: string) =>
    page.locator(".hs-packs-table tbody tr").filter({ has: page.getByText(id, { exact: true }) });
  const seen = new Map<string, Set<string>>();
  await until(
    async () => {
      await page.locator("#nrdb-ui-widget-hs-fleet-ui-packs-first").getByRole("button").click();
      for (const tr of await page.locator(".hs-packs-table tbody tr").allInnerTexts()) {
        const [station, state] = tr.split("\t").map((c) => c.trim());
        if (station && state)
          seen.set(station, (seen.get(station) ?? new Set()).add(state.replace(/ \d+\/\d+$/, "")));
      }
      return page.getByText(/roster v6: /).textContent();
    },
    (t) =>
      /已应用 applied 24 · 已拒绝 rejected 0 · 失败 failed 0 · 接收中 receiving 0 · 待定 pending 1/.test(
        t ?? "",
      ),
    "roster v6 applied at 24 stations",
    120_000,
  );
  await packRow("dash-1").getByText("已应用 applied").waitFor({ timeout: 30_000 });
  // The pack is 3 chunks; a station reports progress after the first, so the table may show it
  // receiving before applied, never the other way round. Whether the page catches "receiving"
  // depends on the machine's speed, so that is logged, not asserted (tests/fleet/pack-view.test.ts
  // checks how receiving is shown).
  console.log(`pack states seen on page 1: ${JSON.stringify([...seen].map(([k, v]) => [k, [...v]]))}`);
  const orders = [...seen.values()].map((v) => [...v]);
  expect(orders.length).toBeGreaterThan(0);
  for (const o of orders) {
    expect(o.at(-1)).toBe("已应用 applied");
    if (o.includes("接收中 receiving"))
      expect(o.indexOf("接收中 receiving")).toBeLessThan(o.indexOf("已应用 applied"));
  }
  await page.screenshot({ path: join(SHOTS, "fleet-packs-1280.png"), fullPage: true });

  // Paged: 25 stations sorted by id, 10 a page: page 3 is dash-5 … dash-9, page 2 has dash-24, pending.
  await page.locator("#nrdb-ui-widget-hs-fleet-ui-packs-last").getByRole("button").click();
  await page.getByText(/第 3\/3 页 · 共 25 站 — page 3 of 3/).waitFor({ timeout: 30_000 });
  await packRow("dash-9").getByText("已应用 applied").waitFor({ timeout: 30_000 });
  expect(await page.locator(".hs-packs-table tbody tr").count()).toBe(5);
  await page.locator("#nrdb-ui-widget-hs-fleet-ui-packs-prev").getByRole("button").click();
  await page.getByText(/第 2\/3 页 · 共 25 站/).waitFor({ timeout: 30_000 });
  await packRow("dash-24").getByText("待定 pending").waitFor({ timeout: 30_000 });

  // A bad roster (an ID number that is not one) to two stations: each refuses it with its reason
  // and keeps version 6.
  await writeFile(
    join(packs, "roster-bad.json"),
    JSON.stringify({
      version: 1,
      county: COUNTY,
      people: [{ idNumber: "123", name: "x", village: "", categories: [] }],
    }),
  );
  await page.getByText(/roster-bad\.json \(\d+ KB\)/).waitFor({ timeout: 30_000 });
  await send("8", "dash-0, dash-1", "roster-bad.json");
  await page.getByText(/roster v8: 已应用 applied 0 · 已拒绝 rejected 2 · /).waitFor({ timeout: 60_000 });
  await packRow("dash-0").getByText("已拒绝 rejected").waitFor({ timeout: 30_000 });
  expect(await packRow("dash-0").textContent()).toMatch(/idNumber/);
  // The county audit: both rollouts by the person logged in, and each station's final answer.
  const audit = (await readFile(join(dir, "county", "fleet", "audit.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map(
      (l) =>
        JSON.parse(l) as {
          kind: string;
          by?: string;
          pack?: string;
          version?: number;
          file?: string;
          id?: string;
          station?: string;
          status?: string;
          reason?: string;
        },
    );
  expect(audit.filter((l) => l.kind === "pack").map((l) => [l.by, l.pack, l.version, l.file])).toEqual([
    [IT.username, "roster", 6, "roster-2026-12.json"],
    [IT.username, "roster", 8, "roster-bad.json"],
  ]);
  const v6 = audit.filter((l) => l.kind === "answer" && l.id === "pack:roster:6");
  expect(v6.filter((l) => l.status === "applied").length).toBe(24);
  const v8 = audit.filter((l) => l.kind === "answer" && l.id === "pack:roster:8");
  expect(v8.map((l) => [l.station, l.status]).sort()).toEqual([
    ["dash-0", "rejected"],
    ["dash-1", "rejected"],
  ]);
  expect(v8[0]!.reason).toMatch(/idNumber/);

  // Both sizes: the page itself never scrolls sideways (wide tables scroll inside their own box).
  for (const [width, height] of [
    [800, 480],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, `fleet-packs-${width}x${height}.png`), fullPage: true });
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow, `${width}×${height}`).toBeLessThanOrEqual(0);
  }
  // The browser's own favicon guess (/dashboard/favicon.ico, outside the dashboard's root) is
  // not the page's doing; every other error counts.
  expect(errors.filter((e) => !e.endsWith("/favicon.ico"))).toEqual([]);
  await ctx.close();
}, 300_000);
