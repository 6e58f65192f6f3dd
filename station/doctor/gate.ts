/**
 * The console's session, as other doctor modules check it (the lists' DoctorGate,
 * station/doctor-lists/routes.ts), and their audit events written to the console's log.
 */
import type { IncomingMessage } from "node:http";
import { basename } from "node:path";
import { StationError } from "../util/errors.js";
import type { DoctorConsole } from "./console.js";
import { tokenFrom } from "./guard.js";

/** The signed-in doctor behind a request, or the refusal codes the lists' routes map to 401. */
export function consoleGate(c: () => DoctorConsole | null) {
  return {
    require(req: IncomingMessage): { doctorId: string } {
      const console = c();
      if (!console)
        throw new StationError("doctor-session-required", "请医生先登录 / a doctor must sign in first");
      try {
        return { doctorId: console.signIn.check(tokenFrom(req)).doctorId };
      } catch (e) {
        const expired = e instanceof StationError && e.code === "session-expired";
        throw new StationError(
          expired ? "doctor-session-expired" : "doctor-session-required",
          e instanceof Error ? e.message : String(e),
        );
      }
    },
  };
}

/** A lists event (outcome, coverage print or export) in the audit log: ids and a file name only. */
export function listAudit(
  c: () => DoctorConsole | null,
  fallback: (e: unknown) => void,
): (e: { type: string; doctorId: string; outcomeId?: string; file?: string }) => Promise<void> {
  return async (e) => {
    const console = c();
    if (!console) return fallback(e);
    const detail: Record<string, string> = {};
    if (e.outcomeId) detail.outcomeId = e.outcomeId.slice(0, 80);
    if (e.file) detail.file = basename(e.file).slice(0, 80);
    await console.audit({
      type: e.type,
      doctorId: e.doctorId,
      ...(Object.keys(detail).length ? { detail } : {}),
    });
  };
}
