/**
 * Fuzzing the kiosk's HTTP routes and WebSocket messages with fast-check (issue 12 §8):
 *   - the server never answers 5xx (a refusal is always a 4xx envelope);
 *   - a refused request changes nothing (no action, no simulated device call, no doctor effect);
 *   - memory stays bounded over the run (heap after GC, with a generous bound).
 * Runs are bounded in count (a few hundred) so the suite stays fast; a failure prints the seed
 * and the shrunk request, which replays with `fc.assert(..., { seed, path })`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import { silentLogger } from "../../station/util/logger.js";
import { ROOT } from "../e2e/station-process.js";
import { DOCTOR_COOKIE, type Rig, raw, startRig, validBody } from "./lib.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const PATHS = [
  "/",
  "/sim",
  "/ws",
  "/assets/x.js",
  "/api/health",
  "/api/state",
  "/api/upload",
  "/api/action",
  "/api/doctor/probe",
  ...["roster", "card", "card/remove", "bp", "glucose", "action", "device", "help"].map(
    (p) => `/api/sim/${p}`,
  ),
];
const ACTION_TYPES = [
  "confirm",
  "not-me",
  "consent",
  "cancel",
  "back",
  "retry",
  "skip",
  "next",
  "sample-type",
  "finish",
  "print",
  "help",
  "manual-id",
  "touch",
];

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
/** Any path a client could send: known routes, mangled ones, stray % and encoded unicode. */
const pathArb = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.tuple(fc.constantFrom(...PATHS), printable(12)).map(([p, s]) => p + encodeURI(s).replace(/#/g, "%23")),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.constantFrom("%", "%z", "%E0%A4", "%00", "%2e%2e/", "?q=%"))
    .map(([p, s]) => p + s),
  fc.string({ maxLength: 24 }).map((s) => `/${encodeURIComponent(s)}`),
  fc
    .tuple(fc.constantFrom("/", "/assets/", "/sim/"), fc.constantFrom("%", "%%", "%e4%b8", "a%zz", "%c0%af"))
    .map(([p, s]) => p + s),
);
/** Action-shaped JSON: valid ones, wrong field types, unknown fields, strange names. */
const actionArb = fc.oneof(
  fc.record(
    {
      type: fc.constantFrom(...ACTION_TYPES, "launch", ""),
      accept: fc.oneof(fc.boolean(), fc.string()),
      sampleType: fc.constantFrom("fasting", "random", "postprandial", "x"),
      idNumber: fc.oneof(fc.constant("11010519491231002X"), fc.string({ maxLength: 40 })),
      name: fc.oneof(fc.constant("李秀英"), fc.string({ maxLength: 40, unit: "binary" })),
      operator: fc.string(),
    },
    { requiredKeys: ["type"] },
  ),
  fc.jsonValue(),
);
const bodyArb = fc.oneof(
  actionArb.map((v) => JSON.stringify(v)),
  fc.constantFrom(...PATHS).map(validBody),
  fc.string({ maxLength: 200, unit: "binary" }),
  fc.constantFrom("", "{", "null", "[]", '{"__proto__":{"x":1}}', "1e999999"),
);
const requestArb = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"),
  path: pathArb,
  host: fc.constantFrom("own", "localhost", "evil.example", "", "[::1]:1", "a b"),
  origin: fc.constantFrom("none", "own", "http://127.0.0.1:9", "null", "garbage"),
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "none"),
  doctor: fc.boolean(),
  body: bodyArb,
});
type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;
const ROUTES: Array<[FuzzRequest["method"], string]> = PATHS.filter((p) => p !== "/ws").map((p) => [
  p.startsWith("/api/") && !["/api/health", "/api/state", "/api/upload", "/api/sim/roster"].includes(p)
    ? "POST"
    : "GET",
  p,
]);
/** As the kiosk's own page would send them, to known routes: most reach a handler. */
const kioskRequestArb = fc
  .record({ route: fc.constantFrom(...ROUTES), doctor: fc.boolean(), body: bodyArb })
  .map(
    ({ route: [method, path], doctor, body }): FuzzRequest => ({
      method,
      path,
      host: "own",
      origin: "own",
      contentType: "application/json",
      doctor,
      body,
    }),
  );
/** Half arbitrary, half plausible: the gate and the handlers both get exercised. */
const mixedArb = fc.oneof(requestArb, kioskRequestArb);

function send(port: number, r: FuzzRequest) {
  const own = `127.0.0.1:${port}`;
  const headers: Record<string, string> = {};
  if (r.host !== "")
    headers.host = r.host === "own" ? own : r.host === "localhost" ? `localhost:${port}` : r.host;
  if (r.origin !== "none") headers.origin = r.origin === "own" ? `http://${headers.host ?? own}` : r.origin;
  if (r.contentType !== "none") headers["content-type"] = r.contentType;
  if (r.doctor) headers.cookie = DOCTOR_COOKIE;
  const withBody = r.method !== "GET" && r.method !== "HEAD";
  return raw(port, { method: r.method, path: r.path, headers, ...(withBody ? { body: r.body } : {}) });
}

describe("HTTP fuzzing", () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.server.close();
  });

  it("never answers 5xx, and a refused request has no effect", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(mixedArb, async (r) => {
        const before = rig.effects.length;
        const res = await send(rig.port, r);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        if (res.status !== 200) expect(rig.effects.length).toBe(before);
        // Whatever else is wrong with it, a request for a foreign host name is refused.
        if (r.host === "evil.example" || r.host === "a b") expect(res.status).toBe(403);
        else accepted++;
      }),
      { numRuns: 400 },
    );
    // The run must reach handlers too, or it would only be testing the gate.
    expect(accepted).toBeGreaterThan(10);
  }, 60_000);
});

describe("WebSocket fuzzing", () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.server.close();
  });

  const messageArb = fc.oneof(
    actionArb.map((payload) => JSON.stringify({ topic: "action", payload })),
    fc
      .record({
        topic: fc.constantFrom("action", "state", ""),
        payload: actionArb,
        transaction: fc.anything(),
      })
      .map((m) => JSON.stringify(m)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 300, unit: "binary" }),
  );

  it("answers every message without closing, and a refused message has no effect", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${rig.port}/ws`, { origin: `http://127.0.0.1:${rig.port}` });
    const inbox: Array<{ topic: string; payload: { transaction?: string } }> = [];
    let wake: (() => void) | null = null;
    ws.on("message", (d) => {
      inbox.push(JSON.parse(d.toString()));
      wake?.();
    });
    await new Promise((r) => ws.once("open", r));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(messageArb, async (m) => {
        inbox.length = 0;
        const before = rig.effects.length;
        ws.send(m);
        // A sentinel after it: its ack means the fuzzed message has been handled.
        const sentinel = `sentinel-${n++}`;
        ws.send(JSON.stringify({ topic: "action", payload: { type: "touch" }, transaction: sentinel }));
        while (!inbox.some((x) => x.topic === "ack" && x.payload.transaction === sentinel))
          await new Promise<void>((r) => (wake = r));
        const refused = inbox.some((x) => x.topic === "error");
        const ownEffects = rig.effects.length - before - 1;
        if (refused) expect(ownEffects).toBe(0);
        expect(ws.readyState).toBe(WebSocket.OPEN);
      }),
      { numRuns: 400 },
    );
    ws.close();
  }, 60_000);
});

describe("against the real station", () => {
  let app: StationApp;
  let port: number;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "fuzz-"));
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
    app = new StationApp({ loaded: loadConfig(cfg), logger: silentLogger, projectRoot: ROOT });
    port = (await app.start()).port;
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("never answers 5xx to fuzzed actions and requests, and memory stays bounded", async () => {
    // Warm up first, so lazy module loading and JIT do not count as growth.
    await fc.assert(
      fc.asyncProperty(kioskRequestArb, async (r) => void (await send(port, r))),
      { numRuns: 50 },
    );
    const before = heapAfterGc();
    await fc.assert(
      fc.asyncProperty(mixedArb, async (r) => {
        const res = await send(port, r);
        expect(res.status).toBeLessThan(500);
        if (res.body.startsWith("{")) expect(JSON.parse(res.body).code).not.toBe("internal");
      }),
      { numRuns: 600 },
    );
    const grown = heapAfterGc() - before;
    // Generous: the workflow keeps one session and a bounded log; a leak per request
    // (a listener, a buffered body) over 600 requests would show well above this.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    const health = await raw(port, { path: "/api/health", headers: { host: `127.0.0.1:${port}` } });
    expect(health.status).toBe(200);
  }, 120_000);
});
