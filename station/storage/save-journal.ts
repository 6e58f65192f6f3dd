/**
 * The file store's journal mode (docs/adr/0007-save-journal.md): which days have saves that live
 * only in their journal, how a save appends to it, and how a journal is folded into the day's
 * shard, outbox file and person buckets (compaction) before it is deleted.
 */
import { CheckupRecord, formatIssues } from "../domain/schema.js";
import type { Logger } from "../util/logger.js";
import type { FileIo } from "./file-io.js";
import { decodeJournal, encodeFrame, JournalFiles } from "./journal.js";
import { shardDayOf } from "./keys.js";
import type { LoadedShard, ShardFile } from "./layout.js";
import type { Outbox } from "./outbox.js";
import type { PersonIndex } from "./person-index.js";

export interface SaveJournalParts {
  io: FileIo;
  outbox: Outbox;
  persons: PersonIndex;
  log: Logger;
  offset: number;
  /** Loads a shard (with journal records laid over it); the caller holds the shard's lock. */
  loadShard(day: string): Promise<LoadedShard>;
  /** Puts one record into a loaded shard and the store's caches; `count`: a save, not a reload. */
  apply(shard: LoadedShard, rec: CheckupRecord, count: boolean): void;
  /** Compact a journal once it holds this many frames or bytes. */
  maxFrames: number;
  maxBytes: number;
}

interface Live {
  records: Map<string, CheckupRecord>;
  /**
   * Ids compaction must add to the person index: saved (or replayed) through this journal. An
   * upload ack only changes the sync state of a record that is already indexed (its shard or
   * its save's frame came first), so a drained backlog re-reads no person buckets.
   */
  unindexed: Set<string>;
  frames: number;
  bytes: number;
  /** An append failed part way: the file may end in a torn frame, so compact before appending again. */
  broken: boolean;
}

export class SaveJournal {
  readonly files: JournalFiles;
  readonly #live = new Map<string, Live>();

  constructor(private readonly p: SaveJournalParts) {
    this.files = new JournalFiles(p.io.layout.journal, p.io.fs);
  }

  /** Days whose journal holds saves not yet in their shard, oldest first. */
  days(): string[] {
    return [...this.#live.keys()].sort();
  }

  /** Every record that is only in a journal so far. */
  *records(): Iterable<CheckupRecord> {
    for (const live of this.#live.values()) yield* live.records.values();
  }

  clear(): void {
    this.#live.clear();
  }

  /** Called on a shard just read from disk, so it shows the saves still in its journal. */
  overlay(shard: LoadedShard): void {
    for (const rec of this.#live.get(shard.day)?.records.values() ?? []) this.p.apply(shard, rec, false);
  }

  /**
   * One durable frame for `recs` (all of `day`), then the caches; the caller holds the shard's
   * lock. Resolves only when the frame is fsynced: this is the save's commit point. `syncOnly`:
   * the records exist already and only their sync state changed (upload acks).
   */
  async append(day: string, recs: CheckupRecord[], syncOnly = false): Promise<void> {
    if (this.#live.get(day)?.broken) await this.compactLocked(day);
    let live = this.#live.get(day);
    const frame = encodeFrame(recs);
    try {
      await this.files.append(day, frame, live === undefined);
    } catch (err) {
      if (live) live.broken = true;
      else
        this.#live.set(day, { records: new Map(), unindexed: new Set(), frames: 0, bytes: 0, broken: true });
      // Fold the journal into the files now, so the frame that failed (torn, or whole but not
      // known to be durable) is dropped with it; if the disk refuses that too, the journal stays
      // and the next append retries it first.
      await this.compactLocked(day).catch((e: unknown) =>
        this.p.log.warn(`journal ${day}: compaction after a failed append failed too`, e),
      );
      throw err;
    }
    if (!live) {
      live = { records: new Map(), unindexed: new Set(), frames: 0, bytes: 0, broken: false };
      this.#live.set(day, live);
    }
    const shard = await this.p.loadShard(day);
    for (const rec of recs) {
      live.records.set(rec.id, rec);
      if (!syncOnly) live.unindexed.add(rec.id);
      this.p.apply(shard, rec, true);
      this.p.outbox.note(day, rec.id, rec.sync.status === "pending");
    }
    live.frames++;
    live.bytes += Buffer.byteLength(frame);
  }

  /** True when `day`'s journal has reached its bound. */
  full(day: string): boolean {
    const live = this.#live.get(day);
    return live !== undefined && (live.frames >= this.p.maxFrames || live.bytes >= this.p.maxBytes);
  }

  /**
   * Person buckets and the outbox file first, then the shard, and only then the journal is
   * deleted: a crash at any point leaves the journal, and replaying it again is an upsert.
   * The caller holds the shard's lock.
   */
  async compactLocked(day: string): Promise<void> {
    const live = this.#live.get(day);
    if (!live) return;
    const shard = await this.p.loadShard(day);
    const entries = [...live.unindexed].map((id) => ({
      idNumber: live.records.get(id)!.person.idNumber,
      id,
    }));
    if (entries.length > 0) await this.p.persons.addMany(day.slice(0, 4), entries);
    await this.p.outbox.persist(day);
    const data: ShardFile = { v: 1, day, records: shard.raw };
    await this.p.io.file(shard.file).write(data);
    await this.files.remove(day);
    this.#live.delete(day);
  }

  /**
   * At open: reads `day`'s journal into memory (whole frames only) and marks it for compaction.
   * The outbox must be loaded first, so the journal's changes land on top of it.
   */
  async replay(day: string): Promise<void> {
    const text = await this.files.read(day);
    const d = decodeJournal(text);
    if (d.damaged > 0)
      this.p.log.warn(`journal ${day}: ${d.damaged} damaged frame(s) skipped (not a crash: check the disk)`);
    if (d.tornTail) this.p.log.info(`journal ${day}: torn last frame dropped (a save cut short)`);
    // Whether a frame was a save or an ack is not recorded: index them all (an upsert).
    const live: Live = {
      records: new Map(),
      unindexed: new Set(),
      frames: d.frames,
      bytes: d.bytes,
      broken: true,
    };
    for (const raw of d.records) {
      const parsed = CheckupRecord.safeParse(raw);
      if (!parsed.success || shardDayOf(parsed.data.id, this.p.offset) !== day) {
        // Saves are validated before they are journalled, so this is damage, not a crash.
        const issues = parsed.success ? ["id: belongs to another day"] : formatIssues(parsed.error);
        this.p.log.warn(`journal ${day}: entry skipped: ${issues.join("; ")}`);
        continue;
      }
      live.records.set(parsed.data.id, parsed.data);
      live.unindexed.add(parsed.data.id);
      this.p.outbox.note(day, parsed.data.id, parsed.data.sync.status === "pending");
    }
    this.#live.set(day, live);
  }
}
