/**
 * The person-history route, declared in the server's route table with access "doctor"
 * (station/server/access.ts): the server checks Host, Origin, the JSON body and the doctor
 * console's session before the handler runs, so only a signed-in doctor on the kiosk's own page
 * can read a history. POST, so the request names a person in a body and never in a URL.
 *
 *   POST /api/doctor/person-history  {entryKey, via: "list"|"inbox"} | {recordId, via: "checkup"}
 */
import { z } from "zod";
import { formatIssues } from "../domain/schema.js";
import type { Route } from "../server/routes.js";
import { StationError } from "../util/errors.js";
import type { PersonHistoryService } from "./service.js";

export const HISTORY_PATH = "/api/doctor/person-history";

export const HistoryRequest = z.union([
  z.strictObject({ entryKey: z.string().min(3).max(200), via: z.enum(["list", "inbox"]) }),
  z.strictObject({ recordId: z.string().min(1).max(64), via: z.literal("checkup") }),
]);

export function personHistoryRoutes(service: PersonHistoryService): Route[] {
  return [
    {
      method: "POST",
      path: HISTORY_PATH,
      access: "doctor",
      handle: ({ body, session }) => {
        const r = HistoryRequest.safeParse(body);
        if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
        return service.view(r.data, session.doctorId);
      },
    },
  ];
}
