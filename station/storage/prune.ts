/**
 * Retention: removes records the archive has acknowledged from shards older than a cut-off day,
 * keeping a summary of each (summaries.ts). Pending and rejected records, and entries that fail
 * validation, are never removed. Per shard: summaries first (durable), then the shard rewritten
 * without the pruned records (or deleted when empty), then its `.bak` removed, since it still
 * holds them.
 */
import type { CheckupRecord } from "../domain/schema.js";
import type { ShardCounts } from "./counts.js";
import type { FileIo } from "./file-io.js";
import { dayOfFileName, type LoadedShard, type ShardFile } from "./layout.js";
import { type SummaryIndex, summaryOf } from "./summaries.js";

export interface PruneParts {
  io: FileIo;
  summaries: SummaryIndex;
  counts: ShardCounts;
  /** Loads a shard; the caller holds its lock. */
  loadShard(day: string): Promise<LoadedShard>;
  /** Drops a shard from the cache (after it was deleted). */
  forget(day: string): void;
}

export async function pruneAcked(
  p: PruneParts,
  beforeDay: string,
): Promise<{ pruned: number; shards: number }> {
  const { io } = p;
  let pruned = 0;
  let shards = 0;
  for (const name of await io.list(io.layout.records)) {
    const day = dayOfFileName(name);
    if (!day || day >= beforeDay) continue;
    const file = io.layout.shard(day);
    const n = await io.lock.run(file, async () => {
      const shard = await p.loadShard(day);
      const victims: CheckupRecord[] = [...shard.valid.values()].filter((r) => r.sync.status === "acked");
      if (victims.length === 0) return 0;
      await p.summaries.add(
        victims.map((r) => ({ idNumber: r.person.idNumber, summary: summaryOf(r, day) })),
      );
      const gone = new Set(victims.map((r) => r.id));
      const raw = Object.fromEntries(Object.entries(shard.raw).filter(([id]) => !gone.has(id)));
      if (Object.keys(raw).length === 0) {
        await io.unlinkIfExists(file);
        p.forget(day);
      } else {
        await io.file(file).write({ v: 1, day, records: raw } satisfies ShardFile);
        shard.raw = raw;
        for (const id of gone) shard.valid.delete(id);
      }
      await io.unlinkIfExists(`${file}.bak`);
      p.counts.removed(day, gone.size);
      return gone.size;
    });
    pruned += n;
    if (n > 0) shards++;
  }
  return { pruned, shards };
}
