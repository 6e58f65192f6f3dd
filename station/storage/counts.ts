/**
 * Record counts per shard day for count(). The first count() in a process reads every shard
 * whose summary in meta/counts.json is stale (its file signature changed); after that, saves
 * keep the counts current, and the summary is written after a scan and at close. Never written
 * by a save, so it costs nothing on the hot path.
 */
import type { FileIo } from "./file-io.js";
import { type CountsFile, dayOfFileName, type LoadedShard } from "./layout.js";
import type { QuarantinedRecord } from "./types.js";

export class ShardCounts {
  #live: Map<string, number> | null = null;
  #scan: Promise<Map<string, number>> | null = null;

  constructor(
    readonly io: FileIo,
    /** Loads a shard; the caller holds that shard's lock. */
    readonly loadShard: (day: string) => Promise<LoadedShard>,
    readonly quarantine: Map<string, QuarantinedRecord>,
  ) {}

  async total(): Promise<number> {
    let n = 0;
    for (const c of (await this.ensure()).values()) n += c;
    return n;
  }

  ensure(): Promise<Map<string, number>> {
    this.#scan ??= this.#doScan().catch((err: unknown) => {
      this.#scan = null;
      this.#live = null;
      throw err;
    });
    return this.#scan;
  }

  /** Called under the shard's lock after a write that made `day` hold one more valid record. */
  added(day: string): void {
    if (this.#live) this.#live.set(day, (this.#live.get(day) ?? 0) + 1);
  }

  /** Called under the shard's lock after retention removed `n` valid records of `day`. */
  removed(day: string, n: number): void {
    if (this.#live) this.#live.set(day, Math.max(0, (this.#live.get(day) ?? 0) - n));
  }

  /** At close: keep the summary for the next process, if this one ever counted. */
  async persist(): Promise<void> {
    const counts = this.#scan ? await this.#scan.catch(() => null) : null;
    if (counts) await this.#write(counts);
  }

  reset(): void {
    this.#live = null;
    this.#scan = null;
  }

  async #doScan(): Promise<Map<string, number>> {
    // Live from the start, so saves during the scan are counted; each day is settled under its lock.
    const counts = new Map<string, number>();
    this.#live = counts;
    const cache = await this.#read();
    const { layout } = this.io;
    let reread = 0;
    for (const name of await this.io.list(layout.records)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      const file = layout.shard(day);
      await this.io.lock.run(file, async () => {
        const cached = cache[day];
        if (cached && cached.sig === (await this.io.sig(file))) {
          counts.set(day, cached.count);
          for (const q of cached.invalid) this.quarantine.set(`${q.file}#${q.id}`, q);
        } else {
          counts.set(day, (await this.loadShard(day)).valid.size);
          reread++;
        }
      });
    }
    // Written now as well as at close: a station is more often switched off than shut down.
    if (reread > 0) await this.#write(counts);
    return counts;
  }

  async #read(): Promise<CountsFile["shards"]> {
    try {
      const data = await this.io.file<CountsFile>(this.io.layout.counts()).read();
      return data && typeof data.shards === "object" && data.shards !== null ? data.shards : {};
    } catch (err) {
      // Derived data: rebuild it rather than refuse to count.
      this.io.log.warn("count cache unreadable; recounting", err);
      return {};
    }
  }

  async #write(counts: Map<string, number>): Promise<void> {
    const shards: CountsFile["shards"] = {};
    for (const day of [...counts.keys()]) {
      const file = this.io.layout.shard(day);
      // Under the shard's lock, so the signature and the count describe the same version.
      shards[day] = await this.io.lock.run(file, async () => ({
        sig: await this.io.sig(file),
        count: counts.get(day) ?? 0,
        invalid: [...this.quarantine.values()].filter((q) => q.file === file),
      }));
    }
    const data: CountsFile = { v: 1, shards };
    await this.io.file(this.io.layout.counts()).write(data);
  }
}
