/** A whole station (mock-transport simulated devices, no upload) with two doctors, for the console tests. */

import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import { hashSecret } from "../../station/doctor/secret-hash.js";
import type { Clock } from "../../station/runtime/clock.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";

/** Cheap scrypt for tests; the station default is N=16384. */
const FAST = { N: 1024, r: 8, p: 1 };
/** Dr Wang's own card: a demo-roster number, so the simulator (/api/sim/card) can present it. */
export const DOCTOR_CARD = "510199196502026062";

export async function doctorsConfig() {
  return [
    {
      id: "dr-wang",
      name: "王医生",
      villages: ["东村"],
      pinHash: await hashSecret("2468", FAST),
      idNumberHash: await hashSecret(DOCTOR_CARD, FAST),
    },
    { id: "dr-li", name: "李医生", villages: ["西村"], pinHash: await hashSecret("1357", FAST) },
  ];
}

export interface Booted {
  app: StationApp;
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export async function bootStation(
  dir = mkdtempSync(join(tmpdir(), "doctor-")),
  extra: object = {},
  clock?: Clock,
  upload: object = { enabled: false },
): Promise<Booted> {
  const cfg = join(dir, "station.json");
  writeFileSync(
    cfg,
    JSON.stringify({
      version: 1,
      server: { host: "127.0.0.1", port: 0 },
      dataDir: join(dir, "data"),
      devices: { simTransport: "mock" },
      upload,
      workflow: { bpRepeatPauseSeconds: 0 },
      doctor: { doctors: await doctorsConfig(), lockoutBaseSeconds: 5, ...extra },
    }),
  );
  const app = new StationApp({
    loaded: loadConfig(cfg),
    logger: silentLogger,
    projectRoot: projectRoot(),
    ...(clock ? { clock } : {}),
  });
  const { url, port } = await app.start();
  return { app, url, port, dir, stop: () => app.stop() };
}

export interface Reply {
  status: number;
  body: Record<string, unknown> & { code?: string };
  cookie: string | null;
  setCookie: string | null;
}

/** A raw POST, so a test can forge Host and Origin the way a hostile page or tool would. */
export function post(
  port: number,
  path: string,
  body: unknown,
  h: { cookie?: string | null; origin?: string | null; host?: string; type?: string } = {},
): Promise<Reply> {
  const host = h.host ?? `127.0.0.1:${port}`;
  const headers: Record<string, string> = { host, "content-type": h.type ?? "application/json" };
  const origin = h.origin === undefined ? `http://${host}` : h.origin;
  if (origin !== null) headers.origin = origin;
  if (h.cookie) headers.cookie = h.cookie;
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const set = res.headers["set-cookie"]?.[0] ?? null;
        resolve({
          status: res.statusCode ?? 0,
          body: text ? JSON.parse(text) : {},
          cookie: set ? set.split(";")[0]! : null,
          setCookie: set,
        });
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}

export async function signIn(port: number, doctorId = "dr-wang", pin = "2468"): Promise<string> {
  const r = await post(port, "/api/doctor/sign-in", { doctorId, pin });
  if (r.status !== 200 || !r.cookie) throw new Error(`sign-in failed: ${JSON.stringify(r.body)}`);
  return r.cookie;
}

/** A POST to the station's own API as its own page sends it (JSON, same Origin): sim and kiosk routes. */
export function pagePost(url: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify(body),
  });
}
