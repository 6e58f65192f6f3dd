/**
 * Ids of records the county archive rejected (meta/rejected.json), mirrored in memory, so a
 * village doctor can list them after a restart without a scan of every shard. Written like the
 * outbox, intent first: an id is added before its shard says "rejected" and removed only after
 * the shard says otherwise, so a crash can leave a stale id (filtered when read) but never a
 * rejected record missing from the index.
 */
import type { FileIo } from "./file-io.js";
import { decodeRejected, type RejectedFile } from "./layout.js";

export class RejectedIndex {
  #ids = new Set<string>();

  constructor(readonly io: FileIo) {}

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  ids(): string[] {
    return [...this.#ids];
  }

  clear(): void {
    this.#ids.clear();
  }

  /**
   * Reads the index; when there is none (a store written before it existed), builds it once with
   * `scan` and writes it, so later opens read one small file. Returns whether it scanned.
   */
  async load(scan: () => Promise<string[]>): Promise<boolean> {
    const file = this.io.layout.rejected();
    const stored = decodeRejected(file, await this.io.file(file).read());
    if (stored !== null) {
      this.#ids = new Set(stored);
      return false;
    }
    const found = await scan();
    await this.io.lock.run(file, () => this.#write(new Set(found)));
    return true;
  }

  /** One rewrite for all of `add`; none when every id is already listed. */
  async add(add: readonly string[]): Promise<void> {
    await this.io.lock.run(this.io.layout.rejected(), async () => {
      if (add.every((id) => this.#ids.has(id))) return;
      await this.#write(new Set([...this.#ids, ...add]));
    });
  }

  /** One rewrite for all of `remove`; none when no id is listed. */
  async remove(remove: readonly string[]): Promise<void> {
    await this.io.lock.run(this.io.layout.rejected(), async () => {
      if (!remove.some((id) => this.#ids.has(id))) return;
      const gone = new Set(remove);
      await this.#write(new Set([...this.#ids].filter((id) => !gone.has(id))));
    });
  }

  /** Caller holds the file's lock. Memory changes only once the file is durably written. */
  async #write(ids: Set<string>): Promise<void> {
    const data: RejectedFile = { v: 1, ids: [...ids] };
    await this.io.file(this.io.layout.rejected()).write(data);
    this.#ids = ids;
  }
}
