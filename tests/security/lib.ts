/**
 * A StationServer on a free port with recording fakes behind it, and a raw HTTP client that can
 * send what browsers and attackers send (any Host, Origin, content type), which fetch cannot.
 */
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimControl } from "../../station/devices/sim-devices.js";
import { doctorListRoutes, type ListsApi } from "../../station/doctor-lists/routes.js";
import type { UiAction } from "../../station/protocol.js";
import { createRoster } from "../../station/roster/roster.js";
import { Hub } from "../../station/runtime/hub.js";
import type { DoctorSession, Route } from "../../station/server/routes.js";
import { StationServer } from "../../station/server/server.js";
import { simRoutes } from "../../station/server/sim-api.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { ROSTER } from "../workflow/fixtures.js";

export const DOCTOR_COOKIE = "doctor=valid";

export interface Rig {
  server: StationServer;
  hub: Hub;
  port: number;
  /** Everything that reached the station: UI actions, sim device calls, doctor handler runs. */
  effects: string[];
}

export async function startRig(
  o: { sim?: boolean; staticDir?: string; logger?: Logger; allowedHosts?: string[] } = {},
): Promise<Rig> {
  const hub = new Hub();
  hub.publish("workflow/state", { step: "attract", notice: null });
  const effects: string[] = [];
  const record = (what: string) => () => void effects.push(what);
  const sim: SimControl = {
    transport: "mock",
    presentCard: async (c) => void effects.push(`card:${c.name}`),
    cardFault: async (k) => void effects.push(`cardFault:${k}`),
    liftCard: record("lift"),
    measureBp: record("bp"),
    measureGlucose: record("glucose"),
    setPlugged: async (n, p) => void effects.push(`${n}:${p}`),
    pressHelp: record("help"),
    motion: record("motion"),
    printedText: () => "",
  };
  const action = (a: UiAction) => void effects.push(`action:${a.type}`);
  // A doctor route as the doctor's console will declare one; the check stands in for its session.
  const doctorRoutes: Route[] = [
    {
      method: "POST",
      path: "/api/doctor/probe",
      access: "doctor",
      handle: ({ session }) => {
        effects.push(`doctor:${session.doctorId}`);
        return { ok: true };
      },
    },
  ];
  // The doctor's lists, real routes over a recorder: every row is walked like any other.
  const recorded = <T>(effect: string, answer: T): T => {
    effects.push(effect);
    return answer;
  };
  const lists: ListsApi = {
    list: async () => recorded("lists:due", {}),
    inbox: async () => recorded("lists:inbox", {}),
    recordOutcome: async (_i, doctorId) => recorded(`lists:outcome:${doctorId}`, { id: "o-1" }),
    coverage: async () => recorded("lists:coverage", {}),
    print: async (doctorId) => void effects.push(`lists:print:${doctorId}`),
    exportCsv: async (_f, doctorId) => recorded(`lists:export:${doctorId}`, { file: "c.csv" }),
  };
  doctorRoutes.push(...doctorListRoutes(lists, mkdtempSync(join(tmpdir(), "lists-"))));
  const server = new StationServer({
    hub,
    action,
    health: () => ({ ok: true }),
    staticDir: o.staticDir ?? mkdtempSync(join(tmpdir(), "ui-")),
    simRoutes:
      o.sim === false
        ? null
        : simRoutes({
            sim,
            roster: createRoster({ version: 1, county: "t", synthetic: true, people: [ROSTER] }),
            today: () => "2026-11-22",
            action,
          }),
    declaredRoutes: doctorRoutes,
    doctorSession: (req): DoctorSession | null =>
      req.headers.cookie === DOCTOR_COOKIE ? { doctorId: "doc-1" } : null,
    ...(o.allowedHosts ? { allowedHosts: o.allowedHosts } : {}),
    logger: o.logger ?? silentLogger,
  });
  const port = await server.listen("127.0.0.1", 0);
  return { server, hub, port, effects };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (Host included). */
export function raw(
  port: number,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: o.method ?? "GET",
        path: o.path,
        // A body always says its length, whatever the method, so it cannot run into the next request.
        headers: {
          ...(o.body === undefined ? {} : { "content-length": String(Buffer.byteLength(o.body)) }),
          ...o.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}

/** What the kiosk's own page sends: its own origin, JSON. */
export function kioskHeaders(port: number, method: string): Record<string, string> {
  const host = `127.0.0.1:${port}`;
  return {
    host,
    origin: `http://${host}`,
    "sec-fetch-site": "same-origin",
    ...(method === "POST" ? { "content-type": "application/json" } : {}),
  };
}

/** A body each route accepts, so a refusal in a probe is the access check and nothing else. */
export function validBody(path: string): string {
  const bodies: Record<string, unknown> = {
    "/api/action": { type: "touch" },
    "/api/sim/action": { type: "touch" },
    "/api/sim/card": { fault: "unreadable" },
    "/api/sim/bp": { profile: "normal" },
    "/api/sim/glucose": { profile: "normal" },
    "/api/sim/device": { name: "printer", plugged: true },
    "/api/doctor/lists/outcome": { entryKey: "referral:p-1", kind: "unreachable" },
    "/api/doctor/lists/coverage/export": { folder: "/tmp" },
  };
  return JSON.stringify(bodies[path] ?? {});
}
