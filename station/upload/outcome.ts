/** What the archive's answer means for a record, and how that is kept on disk. */
import type { CheckupRecord, SyncState } from "../domain/schema.js";
import { formatRejectReason, parseRejectReason, type RejectedRecord } from "./status.js";

export type Outcome =
  | { kind: "acked"; status: "stored" | "duplicate" }
  | { kind: "rejected"; rejected: RejectedRecord };

/** The record's new sync state once the archive has answered. */
export function settledSync(
  outcome: Outcome,
  attempts: number,
  lastAttemptAt: string | null,
  ackedAt: string | null,
): SyncState {
  return outcome.kind === "acked"
    ? { status: "acked", attempts, lastAttemptAt, ackedAt, rejectReason: null }
    : {
        status: "rejected",
        attempts,
        lastAttemptAt,
        ackedAt: null,
        rejectReason: formatRejectReason(outcome.rejected.code, outcome.rejected.reason),
      };
}

/** Rejected records read back from the store (newest first, as store.rejected gives them) for the status, newest last. */
export function rejectedForStatus(newestFirst: readonly CheckupRecord[]): RejectedRecord[] {
  return [...newestFirst].reverse().map((r) => ({
    id: r.id,
    ...parseRejectReason(r.sync.rejectReason ?? ""),
    at: r.sync.lastAttemptAt ?? r.createdAt,
  }));
}
