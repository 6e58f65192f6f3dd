/**
 * The route table, enumerated: for every HTTP route and the WebSocket, the party it is declared
 * for can use it, and nobody else can (another origin, a forged Host, a non-JSON body, no doctor
 * session, a station on real devices). Every refused probe leaves the station unchanged.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Hub } from "../../station/runtime/hub.js";
import { ACCESS } from "../../station/server/access.js";
import type { RouteInfo } from "../../station/server/routes.js";
import { StationServer } from "../../station/server/server.js";
import { silentLogger } from "../../station/util/logger.js";
import { DOCTOR_COOKIE, kioskHeaders, type Rig, raw, startRig, validBody } from "./lib.js";

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.server.close();
});

function uiDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ui-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<h1>kiosk</h1>");
  writeFileSync(join(dir, "sim.html"), "<h1>sim</h1>");
  writeFileSync(join(dir, "assets", "a.js"), "1");
  mkdirSync(join(dir, "voice"));
  writeFileSync(join(dir, "voice", "manifest.json"), "{}");
  return dir;
}

async function rig(o: { sim?: boolean } = {}): Promise<Rig> {
  const r = await startRig({ ...o, staticDir: uiDir() });
  rigs.push(r);
  return r;
}

const STATIC_FILES: Record<string, string> = {
  "/assets/*": "/assets/a.js",
  "/voice/*": "/voice/manifest.json",
};
const concrete = (path: string) => STATIC_FILES[path] ?? path;
const httpRoutes = (r: Rig) => r.server.routes().filter((x) => x.path !== "/ws");

function legit(r: Rig, route: RouteInfo, extra: Record<string, string> = {}) {
  const headers = { ...kioskHeaders(r.port, route.method), ...extra };
  if (route.access === "doctor") headers.cookie = DOCTOR_COOKIE;
  return raw(r.port, {
    method: route.method,
    path: concrete(route.path),
    headers,
    ...(route.method === "POST" ? { body: validBody(route.path) } : {}),
  });
}

describe("route table", () => {
  it("declares an access for every route, and holds each kind", async () => {
    const r = await rig();
    const table = r.server.routes();
    for (const route of table) expect(ACCESS).toContain(route.access);
    expect(new Set(table.map((x) => x.access))).toEqual(new Set(ACCESS));
    expect(table).toContainEqual({ method: "GET", path: "/ws", access: "kiosk" });
    expect(table).toContainEqual({ method: "POST", path: "/api/action", access: "kiosk" });
    expect(table).toContainEqual({ method: "GET", path: "/api/sim/roster", access: "sim" });
    expect(table.filter((x) => x.access === "sim").length).toBeGreaterThanOrEqual(9);
    expect(table).toContainEqual({ method: "POST", path: "/api/doctor/lists/outcome", access: "doctor" });
    expect(table.filter((x) => x.path.startsWith("/api/doctor/lists/")).length).toBe(7);
  });

  it("refuses to start a doctor route without the doctor's session check", () => {
    const make = () =>
      new StationServer({
        hub: new Hub(),
        action: () => {},
        health: () => null,
        staticDir: uiDir(),
        simRoutes: null,
        declaredRoutes: [{ method: "GET", path: "/api/doctor/x", access: "doctor", handle: () => 1 }],
        logger: silentLogger,
      });
    expect(make).toThrow(/doctorSession/);
  });

  it("lets the declared party use every route (the probes below can fail)", async () => {
    const r = await rig();
    for (const route of httpRoutes(r)) {
      const res = await legit(r, route);
      expect(res.status, `${route.method} ${route.path}: ${res.body}`).toBe(200);
    }
    expect(r.effects).toContain("doctor:doc-1");
    for (const e of ["due", "inbox", "outcome:doc-1", "coverage", "print:doc-1", "export:doc-1"])
      expect(r.effects).toContain(`lists:${e}`);
    expect(r.effects).toContain("action:touch");
    expect(r.effects).toContain("bp");
  });
});

describe("nobody else", () => {
  it("a forged Host (DNS rebinding) is refused on every route", async () => {
    const r = await rig();
    for (const route of httpRoutes(r))
      for (const host of ["evil.example", `evil.example:${r.port}`, `127.0.0.1.evil.example:${r.port}`]) {
        const res = await legit(r, route, { host, origin: `http://${host}` });
        expect(res.status, `${route.path} Host ${host}`).toBe(403);
        expect(JSON.parse(res.body)).toMatchObject({ code: "host-not-allowed" });
        expect(res.body).not.toContain(`"ref"`);
      }
    expect(r.effects).toEqual([]);
  });

  it("another origin is refused on every kiosk, sim and doctor route", async () => {
    const r = await rig();
    const guarded = httpRoutes(r).filter((x) => x.access !== "public");
    expect(guarded.length).toBeGreaterThan(10);
    for (const route of guarded)
      for (const foreign of <Array<Record<string, string>>>[
        { origin: "http://127.0.0.1:9999", "sec-fetch-site": "same-site" },
        { origin: "http://localhost:9999" },
        { origin: "null" },
        { origin: `https://evil.example:${r.port}` },
        { "sec-fetch-site": "cross-site", origin: "" },
      ]) {
        const headers: Record<string, string> = { ...foreign };
        if (headers.origin === "") delete headers.origin;
        const res = await legit(r, route, headers);
        expect(res.status, `${route.path} ${JSON.stringify(foreign)}`).toBe(403);
        expect(JSON.parse(res.body)).toMatchObject({ code: "origin-not-allowed" });
      }
    expect(r.effects).toEqual([]);
  });

  it("a state-changing request that is not application/json gets 415", async () => {
    const r = await rig();
    const posts = httpRoutes(r).filter((x) => x.method === "POST");
    for (const route of posts)
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]) {
        const res = await legit(r, route, { "content-type": type });
        expect(res.status, `${route.path} ${type}`).toBe(415);
      }
    expect(r.effects).toEqual([]);
  });

  it("a doctor route without the doctor's session gets 401", async () => {
    const r = await rig();
    const doctor = httpRoutes(r).filter((x) => x.access === "doctor");
    expect(doctor.length).toBeGreaterThan(0);
    for (const route of doctor)
      for (const cookie of ["", "doctor=forged"]) {
        const res = await raw(r.port, {
          method: route.method,
          path: route.path,
          headers: { ...kioskHeaders(r.port, route.method), cookie },
          body: "{}",
        });
        expect(res.status).toBe(401);
      }
    expect(r.effects).toEqual([]);
  });

  it("sim routes and the /sim page do not exist on real devices", async () => {
    const simRoutes = httpRoutes(await rig()).filter((x) => x.access === "sim");
    const real = await rig({ sim: false });
    expect(real.server.routes().filter((x) => x.access === "sim")).toEqual([]);
    for (const route of simRoutes) {
      const res = await legit(real, route);
      expect(res.status, route.path).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ code: "sim-disabled" });
    }
    expect(real.effects).toEqual([]);
  });
});

describe("/ws", () => {
  function open(port: number, o: { host?: string; origin?: string }) {
    return new Promise<{ opened: boolean; status?: number; first?: string }>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
        ...(o.origin ? { origin: o.origin } : {}),
        ...(o.host ? { headers: { host: o.host } } : {}),
      });
      ws.on("message", (d) => {
        resolve({ opened: true, first: d.toString() });
        ws.close();
      });
      ws.on("unexpected-response", (_req, res) => {
        resolve({ opened: false, status: res.statusCode });
        res.resume();
      });
      ws.on("error", () => resolve({ opened: false }));
    });
  }

  it("opens for the kiosk's own origin and replays the state", async () => {
    const r = await rig();
    const ok = await open(r.port, { origin: `http://127.0.0.1:${r.port}` });
    expect(ok.opened).toBe(true);
    expect(ok.first).toContain("workflow/state");
  });

  it("refuses another origin and a forged Host", async () => {
    const r = await rig();
    for (const o of [
      { origin: "http://127.0.0.1:9999" },
      { origin: "http://localhost:9999" },
      { origin: "null" },
      { origin: `http://evil.example:${r.port}`, host: `evil.example:${r.port}` },
      { host: `evil.example:${r.port}` },
    ]) {
      const res = await open(r.port, o);
      expect(res, JSON.stringify(o)).toEqual({ opened: false, status: 403 });
    }
  });
});
