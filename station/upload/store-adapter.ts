/**
 * The two things the uploader needs from the record store beyond RecordStore's paging, behind one
 * seam each: a batched durable sync update and a cheap outbox size. Until the store has the batch
 * methods these fall back to per-record calls; switching is one line in each function.
 */
import type { SyncState } from "../domain/schema.js";
import type { RecordStore } from "../storage/types.js";

export interface SyncUpdate {
  id: string;
  sync: SyncState;
}

export interface SyncWriteResult {
  /** Ids whose new sync state is durably on disk. */
  written: string[];
  /** Ids whose write failed; their records stay pending and are simply sent again later. */
  failed: { id: string; error: unknown }[];
}

export type SyncWriter = (updates: readonly SyncUpdate[]) => Promise<SyncWriteResult>;

/**
 * Per-record fallback: each updateSync rewrites the record's shard and outbox file, so a batch of
 * n acks costs n rewrites. With `updateSyncMany` (one rewrite per touched file) this becomes:
 *   return async (u) => { await store.updateSyncMany(u); return { written: u.map((x) => x.id), failed: [] }; }
 */
export function syncWriterFor(store: RecordStore): SyncWriter {
  return async (updates) => {
    const result: SyncWriteResult = { written: [], failed: [] };
    for (const u of updates) {
      try {
        await store.updateSync(u.id, u.sync);
        result.written.push(u.id);
      } catch (error) {
        result.failed.push({ id: u.id, error });
      }
    }
    return result;
  };
}

export interface PendingCount {
  count: number;
  /** True when the store could only be probed up to a limit: "at least count". */
  atLeast: boolean;
}

/**
 * Outbox size for the status line, never loading more than `probeLimit` records. With a store
 * `pendingCount()` (the file store keeps the outbox ids in memory) this becomes:
 *   return async () => ({ count: await store.pendingCount(), atLeast: false });
 */
export function pendingCounterFor(store: RecordStore, probeLimit: number): () => Promise<PendingCount> {
  return async () => {
    const n = (await store.pending(probeLimit + 1)).length;
    return n > probeLimit ? { count: probeLimit, atLeast: true } : { count: n, atLeast: false };
  };
}
