import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { CardRead } from "../../drivers/types.js";
import type { SimControl } from "../../station/devices/sim-devices.js";
import { maskIdNumber } from "../../station/domain/id-number.js";
import type { UiAction } from "../../station/protocol.js";
import { createRoster } from "../../station/roster/roster.js";
import { Hub } from "../../station/runtime/hub.js";
import { StationServer } from "../../station/server/server.js";
import { simRoutes } from "../../station/server/sim-api.js";
import { StationError } from "../../station/util/errors.js";
import { silentLogger } from "../../station/util/logger.js";
import { ROSTER } from "../workflow/fixtures.js";

const JSON_TYPE = { "content-type": "application/json" };
let server: StationServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function boot(opts: { sim?: boolean; staticDir?: string } = {}) {
  const hub = new Hub();
  const actions: UiAction[] = [];
  const cards: CardRead[] = [];
  const calls: string[] = [];
  // Records what the API asked of the simulated devices; the device stacks have their own tests.
  const sim: SimControl = {
    transport: "mock",
    presentCard: async (c) => void cards.push(c),
    cardFault: async (k, c) => void calls.push(`cardFault:${k}:${c.name}`),
    liftCard: () => void calls.push("lift"),
    measureBp: (p) => void calls.push(`bp:${p}`),
    measureGlucose: (p) => void calls.push(`glucose:${p}`),
    setPlugged: async (n, p) => void calls.push(`${n}:${p}`),
    pressHelp: () => void calls.push("help"),
    motion: () => void calls.push("motion"),
    printedText: () => "",
  };
  server = new StationServer({
    hub,
    action: (a) => {
      if (a.type === "manual-id") throw new StationError("id-invalid", "bad id");
      actions.push(a);
    },
    health: () => ({ ok: true }),
    staticDir: opts.staticDir ?? mkdtempSync(join(tmpdir(), "ui-")),
    simRoutes:
      opts.sim === false
        ? null
        : simRoutes({
            sim,
            roster: createRoster({ version: 1, county: "t", synthetic: true, people: [ROSTER] }),
            today: () => "2026-11-22",
            action: (a) => actions.push(a),
          }),
    logger: silentLogger,
  });
  const port = await server.listen("127.0.0.1", 0);
  return { hub, actions, calls, cards, base: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/ws` };
}

function connect(
  url: string,
): Promise<{ ws: WebSocket; next: () => Promise<{ topic: string; payload: Record<string, unknown> }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const queue: Array<{ topic: string; payload: Record<string, unknown> }> = [];
    const waiters: Array<(m: { topic: string; payload: Record<string, unknown> }) => void> = [];
    ws.on("message", (d) => {
      const m = JSON.parse(d.toString());
      const w = waiters.shift();
      if (w) w(m);
      else queue.push(m);
    });
    ws.on("error", reject);
    ws.on("open", () =>
      resolve({ ws, next: () => new Promise((r) => (queue.length ? r(queue.shift()!) : waiters.push(r))) }),
    );
  });
}

describe("WebSocket", () => {
  it("replays the current state on connect, so a reloaded screen redraws at once", async () => {
    const s = await boot();
    s.hub.publish("workflow/state", { step: "attract", notice: null });
    const c = await connect(s.ws);
    expect(await c.next()).toEqual({ topic: "workflow/state", payload: { step: "attract", notice: null } });
    c.ws.close();
  });

  it("acks a valid action and passes it on", async () => {
    const s = await boot();
    const c = await connect(s.ws);
    c.ws.send(
      JSON.stringify({ topic: "action", payload: { type: "consent", accept: true }, transaction: "t1" }),
    );
    expect(await c.next()).toEqual({ topic: "ack", payload: { transaction: "t1" } });
    expect(s.actions).toEqual([{ type: "consent", accept: true }]);
    c.ws.close();
  });

  it("answers malformed input with a specific error and changes nothing", async () => {
    const s = await boot();
    const c = await connect(s.ws);
    c.ws.send("{not json");
    expect(await c.next()).toMatchObject({ topic: "error", payload: { status: "error", code: "bad-json" } });
    c.ws.send(
      JSON.stringify({ topic: "action", payload: { type: "consent", accept: "yes" }, transaction: "t2" }),
    );
    const e = await c.next();
    expect(e).toMatchObject({ topic: "error", payload: { code: "bad-message", transaction: "t2" } });
    expect(String(e.payload.error)).toContain("accept");
    c.ws.send(JSON.stringify({ topic: "action", payload: { type: "launch-missiles" } }));
    expect(await c.next()).toMatchObject({ topic: "error", payload: { code: "bad-message" } });
    expect(s.actions).toEqual([]);
    c.ws.close();
  });

  it("turns a refused action into an error envelope with its code", async () => {
    const s = await boot();
    const c = await connect(s.ws);
    c.ws.send(
      JSON.stringify({ topic: "action", payload: { type: "manual-id", idNumber: "1" }, transaction: "t3" }),
    );
    expect(await c.next()).toEqual({
      topic: "error",
      payload: { status: "error", code: "id-invalid", error: "bad id", transaction: "t3" },
    });
    c.ws.close();
  });
});

describe("HTTP", () => {
  it("validates POST /api/action", async () => {
    const s = await boot();
    const bad = await fetch(`${s.base}/api/action`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ type: "nope" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: "error", code: "bad-request" });
    const notJson = await fetch(`${s.base}/api/action`, { method: "POST", headers: JSON_TYPE, body: "{" });
    expect(await notJson.json()).toMatchObject({ code: "bad-json" });
    const ok = await fetch(`${s.base}/api/action`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ type: "finish" }),
    });
    expect(ok.status).toBe(200);
    expect(s.actions).toEqual([{ type: "finish" }]);
  });

  it("sim API presents a roster villager's card and refuses unknown people", async () => {
    const s = await boot();
    const r = await fetch(`${s.base}/api/sim/card`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ idNumber: ROSTER.idNumber }),
    });
    expect(r.status).toBe(200);
    expect(s.cards).toMatchObject([
      { idNumber: ROSTER.idNumber, name: ROSTER.name, birthDate: "1944-12-21" },
    ]);
    const unknown = await fetch(`${s.base}/api/sim/card`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ idNumber: "11010519491231002X" }),
    });
    expect(await unknown.json()).toMatchObject({ code: "not-on-roster" });
    const roster = (await (await fetch(`${s.base}/api/sim/roster?limit=5`)).json()) as Array<{ ref: string }>;
    expect(roster).toEqual([
      {
        ref: "r0",
        maskedId: maskIdNumber(ROSTER.idNumber),
        name: ROSTER.name,
        village: ROSTER.village,
        categories: ROSTER.categories,
        age: 81,
      },
    ]);
    expect(JSON.stringify(roster)).not.toContain(ROSTER.idNumber);
    const byRef = await fetch(`${s.base}/api/sim/card`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ ref: roster[0]!.ref }),
    });
    expect(byRef.status).toBe(200);
    expect(s.cards.map((c) => c.idNumber)).toEqual([ROSTER.idNumber, ROSTER.idNumber]);
    const badRef = await fetch(`${s.base}/api/sim/card`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ ref: "r1" }),
    });
    expect(await badRef.json()).toMatchObject({ code: "not-on-roster" });
    for (const ref of ["r01", "r-1", "r0x", "0"]) {
      const odd = await fetch(`${s.base}/api/sim/card`, {
        method: "POST",
        headers: JSON_TYPE,
        body: JSON.stringify({ ref }),
      });
      expect(await odd.json(), ref).toMatchObject({ code: "not-on-roster" });
    }
  });

  it("sim roster search matches names and villages, never digits of an ID number", async () => {
    const s = await boot();
    const search = async (q: string) =>
      (await (await fetch(`${s.base}/api/sim/roster?q=${encodeURIComponent(q)}`)).json()) as unknown[];
    expect(await search(ROSTER.name)).toHaveLength(1);
    expect(await search(ROSTER.village)).toHaveLength(1);
    expect(await search(ROSTER.idNumber.slice(0, 6))).toEqual([]);
  });

  it("sim API drives the simulated devices and validates profiles", async () => {
    const s = await boot();
    const post = (p: string, b: unknown) =>
      fetch(`${s.base}${p}`, { method: "POST", headers: JSON_TYPE, body: JSON.stringify(b) });
    expect((await post("/api/sim/bp", { profile: "high" })).status).toBe(200);
    expect((await post("/api/sim/glucose", { profile: "error" })).status).toBe(200);
    expect((await post("/api/sim/device", { name: "printer", plugged: false })).status).toBe(200);
    expect((await post("/api/sim/card", { fault: "unreadable" })).status).toBe(200);
    expect((await post("/api/sim/bp", { profile: "explode" })).status).toBe(400);
    expect(s.calls).toEqual([
      "bp:high",
      "glucose:error",
      "printer:false",
      `cardFault:unreadable:${ROSTER.name}`,
    ]);
  });

  it("sim API does not exist on real devices", async () => {
    const s = await boot({ sim: false });
    const r = await fetch(`${s.base}/api/sim/bp`, {
      method: "POST",
      headers: JSON_TYPE,
      body: JSON.stringify({ profile: "normal" }),
    });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: "sim-disabled" });
  });

  it("serves the built UI and nothing outside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ui-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<h1>kiosk</h1>");
    writeFileSync(join(dir, "assets", "a.js"), "1");
    writeFileSync(join(tmpdir(), "secret.txt"), "FILE-CONTENT-7f3a");
    const s = await boot({ staticDir: dir });
    expect(await (await fetch(`${s.base}/`)).text()).toBe("<h1>kiosk</h1>");
    expect((await fetch(`${s.base}/assets/a.js`)).headers.get("cache-control")).toContain("immutable");
    const trav = await fetch(`${s.base}/..%2f..%2fsecret.txt`);
    expect(trav.status).toBe(404);
    expect(await trav.text()).not.toContain("FILE-CONTENT-7f3a");
  });

  it("serves the recorded voice clips to the kiosk as Ogg audio", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ui-"));
    mkdirSync(join(dir, "voice", "zh"), { recursive: true });
    writeFileSync(join(dir, "voice", "zh", "p-welcome.opus"), "OggS");
    const s = await boot({ staticDir: dir });
    const r = await fetch(`${s.base}/voice/zh/p-welcome.opus`);
    expect(r.headers.get("content-type")).toBe("audio/ogg; codecs=opus");
    expect(await r.text()).toBe("OggS");
  });

  it("says the UI is not built instead of a blank page", async () => {
    const s = await boot();
    const r = await fetch(`${s.base}/`);
    expect(await r.json()).toMatchObject({ code: "ui-not-built" });
  });
});
