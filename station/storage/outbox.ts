/**
 * The outbox: ids of records still to upload, one small file per shard day (outbox/<day>.json),
 * mirrored in memory. An id is added before its record is written and removed only after the
 * record is written as no longer pending (docs/adr/0001-durable-storage.md).
 */
import { syncDir } from "./durable-adapter.js";
import type { FileIo } from "./file-io.js";
import { dayOfFileName, decodeOutbox, type OutboxFile } from "./layout.js";

export class Outbox {
  #days = new Map<string, Set<string>>();

  constructor(readonly io: FileIo) {}

  /** Shard days holding pending ids, oldest first. */
  days(): string[] {
    return [...this.#days.keys()].sort();
  }

  ids(day: string): string[] {
    return [...(this.#days.get(day) ?? [])];
  }

  /** Ids in the outbox, every day together; no file read. */
  size(): number {
    let n = 0;
    for (const ids of this.#days.values()) n += ids.size;
    return n;
  }

  clear(): void {
    this.#days.clear();
  }

  async load(): Promise<void> {
    this.#days.clear();
    const { layout } = this.io;
    for (const name of await this.io.list(layout.outbox)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      const file = layout.outboxDay(day);
      this.#days.set(day, new Set(decodeOutbox(file, await this.io.file(file).read())));
    }
  }

  /**
   * Journal mode (journal.ts): the change is made in memory only; the save journal holds it on
   * disk until compaction calls persist(day).
   */
  note(day: string, id: string, pending: boolean): void {
    const ids = this.#days.get(day) ?? new Set<string>();
    if (pending) ids.add(id);
    else ids.delete(id);
    if (ids.size > 0) this.#days.set(day, ids);
    else this.#days.delete(day);
  }

  /** Writes the day's file as memory has it (deleted when empty); compaction calls it. */
  async persist(day: string): Promise<void> {
    const file = this.io.layout.outboxDay(day);
    await this.io.lock.run(file, async () => {
      const ids = this.#days.get(day);
      if (ids && ids.size > 0) {
        await this.io.file(file).write({ v: 1, ids: [...ids] } satisfies OutboxFile);
        return;
      }
      await this.io.unlinkIfExists(`${file}.bak`);
      await this.io.unlinkIfExists(file);
      await syncDir(this.io.layout.outbox, this.io.fs);
    });
  }

  /** One rewrite of the day's file for all of `add`; none when every id is already there. */
  async add(day: string, add: readonly string[]): Promise<void> {
    const file = this.io.layout.outboxDay(day);
    await this.io.lock.run(file, async () => {
      const ids = this.#days.get(day) ?? new Set<string>();
      const fresh = [...new Set(add)].filter((id) => !ids.has(id));
      if (fresh.length === 0) return;
      const data: OutboxFile = { v: 1, ids: [...ids, ...fresh] };
      await this.io.file(file).write(data);
      this.#days.set(day, new Set(data.ids));
    });
  }

  /** One rewrite (or the unlink) of the day's file for all of `remove`; none when no id is there. */
  async remove(day: string, remove: readonly string[]): Promise<void> {
    const file = this.io.layout.outboxDay(day);
    await this.io.lock.run(file, async () => {
      const ids = this.#days.get(day);
      if (!ids || !remove.some((id) => ids.has(id))) return;
      const gone = new Set(remove);
      const left = [...ids].filter((id) => !gone.has(id));
      if (left.length > 0) {
        const data: OutboxFile = { v: 1, ids: left };
        await this.io.file(file).write(data);
        this.#days.set(day, new Set(left));
        return;
      }
      // Backup first: a crash between the two unlinks must not leave a stale .bak to be read as the outbox.
      await this.io.unlinkIfExists(`${file}.bak`);
      await this.io.unlinkIfExists(file);
      await syncDir(this.io.layout.outbox, this.io.fs);
      this.#days.delete(day);
    });
  }
}
