/**
 * HTTP routes of the doctor's lists. Who may use them: a signed-in doctor, from the kiosk's own
 * page, and nobody else. Every route here first checks Host and Origin (a page from another site
 * cannot drive the station), then asks the doctor console's session gate (station/doctor/) for
 * the doctor; without a session the request is refused and nothing changes. The self-service
 * path has no way to get a session.
 *
 *   GET  /api/doctor/lists/due?q=&status=all|overdue|due&page=&pageSize=
 *   GET  /api/doctor/lists/inbox
 *   POST /api/doctor/lists/outcome            {entryKey, kind, reason?, note?}
 *   GET  /api/doctor/lists/coverage
 *   POST /api/doctor/lists/coverage/print
 *   GET  /api/doctor/lists/export-folders
 *   POST /api/doctor/lists/coverage/export    {folder}
 */
import { readdir, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAbsolute, join } from "node:path";
import { formatIssues } from "../domain/schema.js";
import { readJson, sendJson } from "../server/http-util.js";
import { StationError, toEnvelope } from "../util/errors.js";
import type { DoctorLists } from "./index.js";
import { OutcomeInput } from "./outcomes.js";

/** The doctor console's session check, as the lists need it. */
export interface DoctorGate {
  /** The signed-in doctor behind this request; throws StationError when there is none. */
  require(req: IncomingMessage): { doctorId: string } | Promise<{ doctorId: string }>;
}

/** Until the doctor console's sign-in is wired in, nobody is a doctor: every list route refuses. */
export const noDoctorSignIn: DoctorGate = {
  require() {
    throw new StationError("doctor-session-required", "请医生先登录 / a doctor must sign in first");
  },
};

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

const STATUS: Record<string, number> = {
  "doctor-session-required": 401,
  "doctor-session-expired": 401,
  "bad-origin": 403,
  "not-found": 404,
  "printer-missing": 409,
  "export-folder-missing": 422,
  "export-folder-full": 507,
  "export-folder-readonly": 422,
};

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Host must be the station's own loopback name; Origin, when sent (always on a POST), must be that host. */
export function checkOrigin(req: IncomingMessage): void {
  const host = req.headers.host ?? "";
  const name = host.replace(/:\d+$/, "");
  if (!LOOPBACK.has(name))
    throw new StationError("bad-origin", `refused: Host ${host || "(none)"} is not the station`);
  const origin = req.headers.origin;
  if (origin === undefined && req.method !== "GET")
    throw new StationError("bad-origin", "refused: a doctor action must come from the station's own page");
  if (origin !== undefined && origin !== `http://${host}`)
    throw new StationError("bad-origin", `refused: Origin ${origin} is not the station's page`);
}

async function exportFolders(dataDir: string): Promise<string[]> {
  // USB sticks mount under /media/<label> (Raspberry Pi OS) or /run/media/<user>/<label>.
  const out: string[] = [join(dataDir, "exports")];
  const sub = async (dir: string) =>
    (await readdir(dir).catch(() => [] as string[])).map((n) => join(dir, n));
  for (const d of await sub("/media")) out.push(...(await sub(d)), d);
  for (const u of await sub("/run/media")) out.push(...(await sub(u)));
  const dirs: string[] = [];
  for (const d of out) if ((await stat(d).catch(() => null))?.isDirectory() || d === out[0]) dirs.push(d);
  return dirs;
}

export function doctorListRoutes(lists: DoctorLists, gate: DoctorGate, dataDir: string): RouteHandler {
  return async (req, res, url) => {
    if (!url.pathname.startsWith("/api/doctor/lists/")) return false;
    const key = `${req.method} ${url.pathname.slice("/api/doctor/lists".length)}`;
    try {
      checkOrigin(req);
      const { doctorId } = await gate.require(req);
      const body = req.method === "POST" ? await readJson(req) : undefined;
      const q = url.searchParams;
      const num = (k: string) => (q.get(k) ? Number(q.get(k)) || undefined : undefined);
      let out: unknown;
      switch (key) {
        case "GET /due": {
          const status = q.get("status");
          out = await lists.list({
            q: q.get("q") ?? "",
            status: status === "overdue" || status === "due" ? status : "all",
            ...(num("page") ? { page: num("page") } : {}),
            ...(num("pageSize") ? { pageSize: num("pageSize") } : {}),
          });
          break;
        }
        case "GET /inbox":
          out = await lists.inbox();
          break;
        case "POST /outcome": {
          const r = OutcomeInput.safeParse(body);
          if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
          const o = await lists.recordOutcome(r.data, doctorId);
          out = { ok: true, id: o.id, hideUntil: o.hideUntil ?? null };
          break;
        }
        case "GET /coverage":
          out = await lists.coverage();
          break;
        case "POST /coverage/print":
          await lists.print(doctorId);
          out = { ok: true };
          break;
        case "GET /export-folders":
          out = { folders: await exportFolders(dataDir) };
          break;
        case "POST /coverage/export": {
          const folder = (body as { folder?: unknown })?.folder;
          if (typeof folder !== "string" || !isAbsolute(folder))
            throw new StationError("bad-request", "folder must be an absolute path");
          out = await lists.exportCsv(folder, doctorId);
          break;
        }
        default:
          throw new StationError("not-found", `no route ${req.method} ${url.pathname}`);
      }
      sendJson(res, 200, out);
    } catch (err) {
      const env = toEnvelope(err);
      sendJson(res, STATUS[env.code] ?? (err instanceof StationError ? 400 : 500), env);
    }
    return true;
  };
}
