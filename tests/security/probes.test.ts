/**
 * Issue 12's web probes, replayed against the real station (StationApp, simulated devices) and,
 * where a browser matters, Debian's Chromium:
 *   - a page from another loopback origin opens /ws, reads the state and sends confirm;
 *   - the same page sends a no-cors POST of manual-id (a text/plain body);
 *   - a DNS-rebinding page (evil.example resolving to 127.0.0.1) reads /api/sim/roster;
 *   - a forged Host on every route; a flood of clients that hang up mid-request.
 * Each one worked against the station before issue 12; each must fail now, leaving the state
 * as it was. These use only the station's public surface, so they run against old code too.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import type { ViewState } from "../../station/protocol.js";
import { createLogger, type Level } from "../../station/util/logger.js";
import { CHROMIUM } from "../e2e/kiosk-driver.js";
import { ensureUiBuilt, ROOT } from "../e2e/station-process.js";
import { raw } from "./lib.js";

const FULL_ID = /\d{17}[\dXx]/;
const logLines: Array<[Level, string]> = [];
let app: StationApp;
let port: number;
let attacker: Server;
let attackerPort: number;
let browser: Browser;

const state = async () => (await (await fetch(`http://127.0.0.1:${port}/api/state`)).json()) as ViewState;
/** The station driven legitimately, as a local script: no Origin, JSON. */
const post = (path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const until = (step: string) =>
  vi.waitFor(async () => expect((await state()).step).toBe(step), { timeout: 8000 });

/** The attacker's page: tries the WebSocket and a no-cors POST, and reports what it saw. */
function attackPage(stationPort: number, idNumber: string): string {
  return `<!doctype html><meta charset="utf-8"><script>
  window.__probe = { wsOpened: false, wsMessages: 0, wsDone: false, postDone: false, readState: null };
  const ws = new WebSocket("ws://127.0.0.1:${stationPort}/ws");
  ws.onopen = () => {
    window.__probe.wsOpened = true;
    ws.send(JSON.stringify({ topic: "action", payload: { type: "confirm" } }));
  };
  ws.onmessage = () => { window.__probe.wsMessages++; };
  ws.onclose = ws.onerror = () => { window.__probe.wsDone = true; };
  setTimeout(() => { window.__probe.wsDone = true; }, 3000);
  fetch("http://127.0.0.1:${stationPort}/api/action", {
    method: "POST", mode: "no-cors",
    body: JSON.stringify({ type: "manual-id", idNumber: "${idNumber}", name: "伪造" }),
  }).catch(() => {}).finally(() => { window.__probe.postDone = true; });
  fetch("http://127.0.0.1:${stationPort}/api/state").then((r) => r.text())
    .then((t) => { window.__probe.readState = t; }, () => { window.__probe.readState = "refused"; });
  </script>`;
}

beforeAll(async () => {
  if (!(await import("node:fs")).existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-test-deps.sh`);
  ensureUiBuilt();
  const dir = mkdtempSync(join(tmpdir(), "probes-"));
  const cfg = join(dir, "station.json");
  writeFileSync(
    cfg,
    JSON.stringify({
      version: 1,
      server: { port: 0 },
      dataDir: join(dir, "data"),
      devices: { simTransport: "mock" },
      upload: { enabled: false },
    }),
  );
  const logger = createLogger("probe", "info", (level, _ns, msg) => void logLines.push([level, msg]));
  app = new StationApp({ loaded: loadConfig(cfg), logger, projectRoot: ROOT });
  port = (await app.start()).port;
  attacker = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(attackPage(port, "11010519491231002X"));
  });
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
  attackerPort = (attacker.address() as { port: number }).port;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // The DNS-rebinding attacker's name, resolving to the station.
      "--host-resolver-rules=MAP evil.example 127.0.0.1",
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (attacker ? attacker.close(r) : r(null)));
  await app?.stop();
});

describe("web probes", () => {
  it("a cross-origin page cannot open /ws, read the state or send confirm", async () => {
    const roster = (await (await fetch(`http://127.0.0.1:${port}/api/sim/roster?limit=1`)).json()) as Array<
      Record<string, unknown>
    >;
    await until("attract");
    // Put a villager at "this is me?" the legitimate way: the attacker's confirm would start the check-up.
    const first = roster[0]!;
    await post("/api/sim/card", "ref" in first ? { ref: first.ref } : { idNumber: first.idNumber });
    await until("identified");
    await post("/api/sim/card/remove", {});
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${attackerPort}/`);
    await page.waitForFunction("window.__probe && window.__probe.wsDone && window.__probe.postDone", null, {
      timeout: 10_000,
    });
    const probe = (await page.evaluate("window.__probe")) as {
      wsOpened: boolean;
      wsMessages: number;
      readState: string | null;
    };
    await page.close();
    expect(probe.wsOpened).toBe(false);
    expect(probe.wsMessages).toBe(0);
    expect(probe.readState).toBe("refused");
    expect((await state()).step).toBe("identified");
    await post("/api/action", { type: "not-me" });
    await until("attract");
  }, 60_000);

  it("a cross-origin no-cors POST of manual-id changes nothing", async () => {
    await until("attract");
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${attackerPort}/`);
    await page.waitForFunction("window.__probe && window.__probe.postDone", null, { timeout: 10_000 });
    await page.close();
    // The POST has been answered; give the station a moment in case it acted on it.
    await new Promise((r) => setTimeout(r, 200));
    expect((await state()).step).toBe("attract");
  }, 30_000);

  it("a text/plain POST (what no-cors sends) is refused with 415", async () => {
    const res = await raw(port, {
      method: "POST",
      path: "/api/action",
      headers: { host: `127.0.0.1:${port}`, "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ type: "manual-id", idNumber: "11010519491231002X", name: "伪造" }),
    });
    expect(res.status).toBe(415);
    expect((await state()).step).toBe("attract");
  });

  it("a DNS-rebinding page in Chromium cannot read the roster", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.example:${port}/api/sim/roster?limit=5`);
    const text = await page.textContent("body");
    await page.close();
    expect(res?.status()).toBe(403);
    expect(text ?? "").not.toMatch(FULL_ID);
  }, 30_000);

  it("a rebinding Host header is refused on every path, and nothing answers with an ID number", async () => {
    const paths = [
      "/",
      "/sim",
      "/api/state",
      "/api/health",
      "/api/upload",
      "/api/sim/roster",
      "/api/doctor/lists/due",
      "/ws",
    ];
    for (const path of paths)
      for (const host of ["evil.example", `evil.example:${port}`]) {
        const res = await raw(port, { path, headers: { host } });
        expect(res.status, `${path} ${host}`).toBe(403);
        expect(res.body).not.toMatch(FULL_ID);
      }
    for (const path of ["/api/action", "/api/sim/card", "/api/sim/action"]) {
      const res = await raw(port, {
        method: "POST",
        path,
        headers: { host: "evil.example", "content-type": "application/json" },
        body: JSON.stringify({ type: "touch" }),
      });
      expect(res.status, path).toBe(403);
    }
    expect((await state()).step).toBe("attract");
  });

  it("the roster never carries a full ID number, even on the kiosk's own origin", async () => {
    const res = await raw(port, {
      path: "/api/sim/roster?limit=200",
      headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).length).toBeGreaterThan(100);
    expect(res.body).not.toMatch(FULL_ID);
  });

  it("the kiosk and /sim pages work under the CSP, with no violation reported", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on("pageerror", (e) => violations.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('[data-screen="attract"]', { timeout: 15_000 });
    await page.goto(`http://127.0.0.1:${port}/sim`);
    await page.waitForSelector('[data-testid="sim-swipe"]', { timeout: 15_000 });
    // The /sim page presents a card by ref, and the kiosk's state follows.
    await page.click('[data-testid="sim-swipe"]');
    await until("identified");
    expect(await page.content()).not.toMatch(FULL_ID);
    await page.close();
    await post("/api/sim/card/remove", {});
    await post("/api/action", { type: "not-me" });
    await until("attract");
    expect(violations).toEqual([]);
  }, 60_000);

  it("the kiosk boot page (a file:// page) still sees the station and opens the kiosk", async () => {
    const page = await browser.newPage();
    const starting = join(ROOT, "scripts/deploy/kiosk/starting.html");
    await page.goto(`file://${starting}?url=http://127.0.0.1:${port}/`);
    await page.waitForURL(`http://127.0.0.1:${port}/`, { timeout: 15_000 });
    await page.waitForSelector('[data-screen="attract"]', { timeout: 15_000 });
    await page.close();
  }, 30_000);

  it("a flood of clients that hang up mid-request leaves the log bounded", async () => {
    const { connect } = await import("node:net");
    const before = logLines.length;
    await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<void>((resolve) => {
            const s = connect(port, "127.0.0.1", () => {
              s.write(
                `POST /api/action HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{`,
              );
              setTimeout(() => s.destroy(), 20);
            });
            s.on("close", () => resolve());
            s.on("error", () => resolve());
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(logLines.length - before).toBeLessThanOrEqual(11);
    expect((await state()).step).toBe("attract");
  });
});
