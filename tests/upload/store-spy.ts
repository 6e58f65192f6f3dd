/** A memory store that records how the uploader uses it (pending limits, sync writes). */
import type { SyncState } from "../../station/domain/schema.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import type { RecordStore } from "../../station/storage/types.js";
import { makeRecord } from "../storage/fixtures/records.js";

export interface SpyStore extends RecordStore {
  pendingLimits: (number | undefined)[];
  syncWrites: { id: string; sync: SyncState }[];
}

/** Opens a store holding `n` pending records of station "st-test-01", a minute apart. */
export async function spyStore(n: number): Promise<SpyStore> {
  const base = Date.parse("2024-05-01T09:00:00.000+08:00");
  const inner = createMemoryStore({
    initial: Array.from({ length: n }, (_, i) => makeRecord({ seq: i + 1, at: base + i * 60_000 })),
  });
  await inner.open();
  const spy: SpyStore = {
    ...inner,
    pendingLimits: [],
    syncWrites: [],
    pending: (limit?: number, skip?: (id: string) => boolean) => {
      spy.pendingLimits.push(limit);
      return inner.pending(limit, skip);
    },
    updateSync: (id, sync) => {
      spy.syncWrites.push({ id, sync });
      return inner.updateSync(id, sync);
    },
    // The uploader writes acks in batches; record each write the batch carries.
    updateSyncMany: (updates) => {
      spy.syncWrites.push(...updates.map((u) => ({ id: u.id, sync: u.sync })));
      return inner.updateSyncMany(updates);
    },
  };
  return spy;
}
