/**
 * Security headers on every kind of response, and a built UI that a strict CSP can serve:
 * no inline script, no inline event handler, nothing loaded from elsewhere.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../station/server/headers.js";
import { ensureUiBuilt, ROOT } from "../e2e/station-process.js";
import { kioskHeaders, type Rig, raw, startRig } from "./lib.js";

const DIST = join(ROOT, "ui/dist");
let rig: Rig;
beforeAll(async () => {
  ensureUiBuilt();
  rig = await startRig({ staticDir: DIST });
}, 120_000);
afterAll(async () => {
  await rig?.server.close();
});

describe("security headers", () => {
  it("are on pages, assets, JSON, errors and refusals", async () => {
    const asset = readdirSync(join(DIST, "assets")).find((f) => f.endsWith(".js"))!;
    const own = kioskHeaders(rig.port, "GET");
    const cases = [
      { path: "/", headers: own, status: 200 },
      { path: "/sim", headers: own, status: 200 },
      { path: `/assets/${asset}`, headers: own, status: 200 },
      { path: "/api/state", headers: own, status: 200 },
      { path: "/api/nope", headers: own, status: 404 },
      { path: "/%", headers: own, status: 400 },
      { path: "/api/state", headers: { host: "evil.example" }, status: 403 },
      { path: "/api/state", headers: { ...own, origin: "http://localhost:1" }, status: 403 },
    ];
    for (const c of cases) {
      const res = await raw(rig.port, { path: c.path, headers: c.headers });
      expect(res.status, c.path).toBe(c.status);
      expect(res.headers["content-security-policy"], c.path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
    }
  });

  it("the policy is strict: only 'self', no inline or eval, no framing", () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });
});

describe("the built UI", () => {
  const pages = ["index.html", "sim.html"];

  it("has no inline script, no inline handler and loads nothing from elsewhere", () => {
    for (const page of pages) {
      const html = readFileSync(join(DIST, page), "utf8");
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs, page).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
        expect(body!.trim(), page).toBe("");
      }
      expect(html, page).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, page).not.toMatch(/javascript:/i);
      expect(html, page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    }
  });
});
