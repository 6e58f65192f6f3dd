/**
 * A data pack rollout's progress per station, for the county's views (the dashboard, the CLI):
 * from the stations it was sent to, the monitor's answers for `pack:{name}:{version}`
 * (`FleetMonitor.answers`, `GET /fleet/answers?id=…`) and, when known, the version each
 * station's birth says is in force. A birth at or above the version counts as applied even
 * without an answer (the monitor restarted, or the answer was lost); otherwise the station's
 * last answer decides, and no answer at all is pending.
 */
import type { Answer } from "../../station/mqtt/fleet-contract.js";

export type PackRolloutState = "applied" | "rejected" | "failed" | "receiving" | "pending";

export interface PackRolloutRow {
  station: string;
  state: PackRolloutState;
  /** receiving: chunks in so far, of how many. */
  received?: number;
  count?: number;
  /** rejected or failed: the station's first reason. */
  reason?: string;
}

export function packRollout(o: {
  version: number;
  stations: readonly string[];
  /** Station → its last answer with the rollout's id. */
  answers: ReadonlyMap<string, Answer> | undefined;
  /** The version of this pack a station's birth lists (null or undefined: none or not known). */
  inForce?: (station: string) => string | null | undefined;
}): { rows: PackRolloutRow[]; counts: Record<PackRolloutState, number> } {
  const counts: Record<PackRolloutState, number> = {
    applied: 0,
    rejected: 0,
    failed: 0,
    receiving: 0,
    pending: 0,
  };
  const rows = o.stations.map((station): PackRolloutRow => {
    const birth = o.inForce?.(station);
    const a = o.answers?.get(station);
    let row: PackRolloutRow;
    if ((birth != null && Number(birth) >= o.version) || a?.status === "applied")
      row = { station, state: "applied" };
    else if (a?.status === "rejected" || a?.status === "failed")
      row = { station, state: a.status, ...(a.reason ? { reason: a.reason } : {}) };
    else if (a?.status === "progress") {
      const r = a.result as { received?: unknown; count?: unknown } | undefined;
      row = {
        station,
        state: "receiving",
        ...(typeof r?.received === "number" ? { received: r.received } : {}),
        ...(typeof r?.count === "number" ? { count: r.count } : {}),
      };
    } else row = { station, state: "pending" };
    counts[row.state]++;
    return row;
  });
  return { rows, counts };
}
