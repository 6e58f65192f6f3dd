/**
 * HTTP routes of the doctor's lists, declared in the server's route table with access "doctor"
 * (station/server/access.ts): the server checks Host, Origin, the JSON body and the doctor
 * console's session before any handler runs, so only a signed-in doctor on the kiosk's own page
 * reaches them, and tests/security/access.test.ts walks them like every other row.
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
import type { IncomingMessage } from "node:http";
import { isAbsolute, join } from "node:path";
import { formatIssues } from "../domain/schema.js";
import type { Route } from "../server/routes.js";
import { StationError } from "../util/errors.js";
import type { DoctorLists } from "./index.js";
import { OutcomeInput } from "./outcomes.js";

export const LISTS_PREFIX = "/api/doctor/lists";

/** What the routes need of the lists (DoctorLists has it; tests can stand in a recorder). */
export interface ListsApi {
  list(q: Parameters<DoctorLists["list"]>[0]): Promise<unknown>;
  inbox(): Promise<unknown>;
  recordOutcome(
    input: OutcomeInput,
    doctorId: string,
  ): Promise<{ id: string; hideUntil?: string | undefined }>;
  coverage(): Promise<unknown>;
  print(doctorId: string): Promise<void>;
  exportCsv(folder: string, doctorId: string): Promise<{ file: string }>;
}

/** The doctor console's session check, as the composition root hands it to the server. */
export interface DoctorGate {
  /** The signed-in doctor behind this request; throws StationError when there is none. */
  require(req: IncomingMessage): { doctorId: string } | Promise<{ doctorId: string }>;
}

/** A gate that lets nobody in (a station without the console's sign-in). */
export const noDoctorSignIn: DoctorGate = {
  require() {
    throw new StationError("doctor-session-required", "请医生先登录 / a doctor must sign in first");
  },
};

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

export function doctorListRoutes(lists: ListsApi, dataDir: string): Route[] {
  const num = (q: URLSearchParams, k: string) => (q.get(k) ? Number(q.get(k)) || undefined : undefined);
  return [
    {
      method: "GET",
      path: `${LISTS_PREFIX}/due`,
      access: "doctor",
      handle: ({ query: q }) => {
        const status = q.get("status");
        const page = num(q, "page");
        const pageSize = num(q, "pageSize");
        return lists.list({
          q: q.get("q") ?? "",
          status: status === "overdue" || status === "due" ? status : "all",
          ...(page ? { page } : {}),
          ...(pageSize ? { pageSize } : {}),
        });
      },
    },
    { method: "GET", path: `${LISTS_PREFIX}/inbox`, access: "doctor", handle: () => lists.inbox() },
    {
      method: "POST",
      path: `${LISTS_PREFIX}/outcome`,
      access: "doctor",
      handle: async ({ body, session }) => {
        const r = OutcomeInput.safeParse(body);
        if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
        const o = await lists.recordOutcome(r.data, session.doctorId);
        return { ok: true, id: o.id, hideUntil: o.hideUntil ?? null };
      },
    },
    { method: "GET", path: `${LISTS_PREFIX}/coverage`, access: "doctor", handle: () => lists.coverage() },
    {
      method: "POST",
      path: `${LISTS_PREFIX}/coverage/print`,
      access: "doctor",
      handle: async ({ session }) => {
        await lists.print(session.doctorId);
        return { ok: true };
      },
    },
    {
      method: "GET",
      path: `${LISTS_PREFIX}/export-folders`,
      access: "doctor",
      handle: async () => ({ folders: await exportFolders(dataDir) }),
    },
    {
      method: "POST",
      path: `${LISTS_PREFIX}/coverage/export`,
      access: "doctor",
      handle: ({ body, session }) => {
        const folder = (body as { folder?: unknown } | undefined)?.folder;
        if (typeof folder !== "string" || !isAbsolute(folder))
          throw new StationError("bad-request", "folder must be an absolute path");
        return lists.exportCsv(folder, session.doctorId);
      },
    },
  ];
}
