/**
 * The two things the uploader needs from the record store beyond RecordStore's paging, behind one
 * seam each: a batched durable sync update and a cheap outbox size.
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
 * One `updateSyncMany` per batch: each touched shard and outbox file is rewritten once. The store
 * writes nothing for a batch it rejects, so when this throws, SyncBatcher reports every id failed
 * and that is true: they are all still pending on disk.
 */
export function syncWriterFor(store: RecordStore): SyncWriter {
  return async (u) => {
    await store.updateSyncMany(u);
    return { written: u.map((x) => x.id), failed: [] };
  };
}

/** Outbox size for the status line, loading no records (the file store keeps the outbox ids in memory). */
export function pendingCounterFor(store: RecordStore): () => Promise<number> {
  return () => store.pendingCount();
}
