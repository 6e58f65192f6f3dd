/**
 * Routes of the doctor's inbox, declared in the server's route table with access "doctor": the
 * server checks Host, Origin and JSON body, then the doctor console's session, before any handler
 * runs (station/server/access.ts), so nobody without a signed-in doctor's session, and no other
 * origin, reaches them. Under /api/doctor/ so the session cookie (Path=/api/doctor) goes along.
 *
 *   GET  /api/doctor/inbox/help                 help requests waiting
 *   POST /api/doctor/inbox/help/clear           {id, outcome}
 *   GET  /api/doctor/inbox/rejected             records the archive rejected
 *   POST /api/doctor/inbox/rejected/detail      {id}   (audited: person viewed)
 *   POST /api/doctor/inbox/rejected/correct     CorrectionRequest
 */
import { z } from "zod";
import { formatIssues } from "../domain/schema.js";
import type { Route } from "../server/routes.js";
import { StationError } from "../util/errors.js";
import { CorrectionRequest } from "./correction.js";
import { type DoctorInbox, HELP_OUTCOMES } from "./index.js";

export const INBOX_PREFIX = "/api/doctor/inbox";

const HelpClear = z.object({ id: z.string().max(64), outcome: z.enum(HELP_OUTCOMES) }).strict();
const Detail = z.object({ id: z.string().max(64) }).strict();

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
  return r.data;
}

export function doctorInboxRoutes(inbox: () => DoctorInbox | null): Route[] {
  const get = () => {
    const i = inbox();
    if (!i) throw new StationError("not-ready", "doctor inbox not started");
    return i;
  };
  return [
    {
      method: "GET",
      path: `${INBOX_PREFIX}/help`,
      access: "doctor",
      handle: () => ({
        waiting: get()
          .help()
          .map(({ id, at, step, screen, source }) => ({ id, at, step, screen, source })),
      }),
    },
    {
      method: "POST",
      path: `${INBOX_PREFIX}/help/clear`,
      access: "doctor",
      handle: async ({ body, session }) => {
        const r = parse(HelpClear, body);
        await get().clearHelp(r.id, r.outcome, session.doctorId);
        return { ok: true };
      },
    },
    {
      method: "GET",
      path: `${INBOX_PREFIX}/rejected`,
      access: "doctor",
      handle: async () => ({ rejected: await get().rejected() }),
    },
    {
      method: "POST",
      path: `${INBOX_PREFIX}/rejected/detail`,
      access: "doctor",
      handle: async ({ body, session }) => get().detail(parse(Detail, body).id, session.doctorId),
    },
    {
      method: "POST",
      path: `${INBOX_PREFIX}/rejected/correct`,
      access: "doctor",
      handle: async ({ body, session }) => get().correct(parse(CorrectionRequest, body), session.doctorId),
    },
  ];
}
