// Who may use the doctor-list routes: a signed-in doctor from the station's own page, nobody else.
// Runs a real StationApp (mock serial transport, no upload) so a check-up saved by the runtime
// reaches the lists through the composition root.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import type { DoctorGate } from "../../station/doctor-lists/routes.js";
import { StationError } from "../../station/util/errors.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";

/** Stands in for the doctor console's session: a cookie naming a signed-in doctor. */
const gate: DoctorGate = {
  require(req) {
    const m = /(?:^|;\s*)test-session=([\w-]+)/.exec(req.headers.cookie ?? "");
    if (!m) throw new StationError("doctor-session-required", "no session");
    return { doctorId: m[1]! };
  },
};

let app: StationApp;
let url: string;
let host: string;
const until = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 50 });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });
const doctor = () => ({ cookie: "test-session=doc-7", origin: `http://${host}` });

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "lists-routes-"));
  const cfg = join(dir, "station.json");
  writeFileSync(
    cfg,
    JSON.stringify({
      version: 1,
      server: { port: 0 },
      dataDir: join(dir, "data"),
      devices: { simTransport: "mock" },
      upload: { enabled: false },
      workflow: { bpRepeatPauseSeconds: 0 },
    }),
  );
  app = new StationApp({
    loaded: loadConfig(cfg),
    logger: silentLogger,
    projectRoot: projectRoot(),
    doctorGate: gate,
  });
  ({ url } = await app.start());
  host = new URL(url).host;
});
afterAll(async () => {
  await app?.stop();
});

async function urgentCheckup(): Promise<string> {
  const state = async () =>
    (await (await fetch(`${url}/api/state`)).json()) as { step: string; [k: string]: unknown };
  // The sim roster lists refs, never full ID numbers (docs/sim-api.md).
  const roster = (await (await fetch(`${url}/api/sim/roster?limit=1`)).json()) as Array<{ ref: string }>;
  await post("/api/sim/card", { ref: roster[0]!.ref });
  await until(async () => expect((await state()).step).toBe("identified"));
  await post("/api/action", { type: "confirm" });
  await post("/api/action", { type: "consent", accept: true });
  // Drive the steps as the kiosk would: urgent BP (measured again after the rest), then glucose.
  // Each screen is acted on once: starting the simulated cuff again restarts its measurement,
  // so re-posting while the screen still says "ready" (a slow machine) would never finish one.
  const deadline = Date.now() + 30_000;
  let acted = "";
  while (Date.now() < deadline) {
    const s = await state();
    if (s.step === "result") break;
    const screen = `${s.step}/${String(s.phase)}/${String(s.repeat)}`;
    if (screen === acted) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    acted = screen;
    if (s.step === "bp" && s.phase === "ready") await post("/api/sim/bp", { profile: "urgent" });
    else if (s.step === "bp" && s.phase === "done") await post("/api/action", { type: "next" });
    else if (s.step === "glucose" && s.phase === "sample-type")
      await post("/api/action", { type: "sample-type", sampleType: "fasting" });
    else if (s.step === "glucose" && s.phase === "waiting")
      await post("/api/sim/glucose", { profile: "normal" });
    await new Promise((r) => setTimeout(r, 100));
  }
  await until(async () => expect((await state()).step).toBe("result"));
  return roster[0]!.ref;
}

describe("doctor-list routes", () => {
  it("a check-up saved by the runtime reaches the inbox of a signed-in doctor", {
    timeout: 40_000,
  }, async () => {
    await urgentCheckup();
    const r = await fetch(`${url}/api/doctor/lists/inbox`, { headers: doctor() });
    expect(r.status).toBe(200);
    const inbox = (await r.json()) as Array<{ key: string; reasons: string[] }>;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.reasons).toContain("sbp-severe");
    const due = (await (
      await fetch(`${url}/api/doctor/lists/due?pageSize=50`, { headers: doctor() })
    ).json()) as {
      rows: Array<{ programme: string; highRisk: boolean }>;
    };
    expect(due.rows[0]).toMatchObject({ programme: "referral", highRisk: true });
  });

  it("refuses without a session, from another origin, with another Host, or a cross-site POST; nothing changes", async () => {
    const inbox = (await (
      await fetch(`${url}/api/doctor/lists/inbox`, { headers: doctor() })
    ).json()) as Array<{
      key: string;
    }>;
    const body = { entryKey: inbox[0]!.key, kind: "removed", reason: "visited-elsewhere" };
    const noSession = await post("/api/doctor/lists/outcome", body, { origin: `http://${host}` });
    expect(noSession.status).toBe(401);
    expect(((await noSession.json()) as { code: string }).code).toBe("doctor-session-required");
    expect(
      (await post("/api/doctor/lists/outcome", body, { ...doctor(), origin: "http://evil.example" })).status,
    ).toBe(403);
    // A page on another site: the browser marks the request cross-site (the route table's rule).
    expect(
      (await post("/api/doctor/lists/outcome", body, { ...doctor(), "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);
    expect((await fetch(`${url}/api/doctor/lists/coverage`)).status).toBe(401);
    for (const path of ["due", "inbox", "coverage", "export-folders"])
      expect((await fetch(`${url}/api/doctor/lists/${path}`)).status).toBe(401);
    expect(app.doctorLists!.outcomes.all()).toHaveLength(0);

    const ok = await post("/api/doctor/lists/outcome", body, doctor());
    expect(ok.status).toBe(200);
    expect(app.doctorLists!.outcomes.all()[0]).toMatchObject({ doctorId: "doc-7", kind: "removed" });
    expect(await (await fetch(`${url}/api/doctor/lists/inbox`, { headers: doctor() })).json()).toEqual([]);
  });

  it("exports coverage CSV to a folder it offers, and refuses a relative or missing folder clearly", async () => {
    const { folders } = (await (
      await fetch(`${url}/api/doctor/lists/export-folders`, { headers: doctor() })
    ).json()) as {
      folders: string[];
    };
    const r = await post("/api/doctor/lists/coverage/export", { folder: folders[0] }, doctor());
    expect(r.status).toBe(200);
    expect(((await r.json()) as { file: string }).file).toMatch(/coverage-.*\.csv$/);
    expect((await post("/api/doctor/lists/coverage/export", { folder: "usb" }, doctor())).status).toBe(400);
    const missing = await post("/api/doctor/lists/coverage/export", { folder: "/nonexistent/usb" }, doctor());
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: string }).error).toContain("folder does not exist");
  });

  it("prints coverage on the station's printer", async () => {
    expect((await post("/api/doctor/lists/coverage/print", {}, doctor())).status).toBe(200);
  });
});

describe("without the doctor console's sign-in", () => {
  it("the default gate lets nobody in", async () => {
    const { noDoctorSignIn } = await import("../../station/doctor-lists/routes.js");
    expect(() => noDoctorSignIn.require({ headers: {} } as never)).toThrow("sign in");
  });
});
