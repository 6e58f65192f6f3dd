/**
 * The durable file store (docs/adr/0001-durable-storage.md). Every file write goes through
 * DurableJSONFile (fsync + rename + folder fsync). By default a save appends one fsynced frame to
 * the day's journal (docs/adr/0007-save-journal.md), which later compaction folds into the person
 * bucket, outbox file and day shard. With `journal: false` (the earlier design, kept for the
 * write-volume benchmark) a save writes its index entries first and the day shard last. Either
 * way a record reported saved is findable and in the outbox while pending after any crash;
 * open() drops index ids whose record never landed.
 */
import { resolve } from "node:path";
import { CheckupRecord, formatIssues, type SyncState } from "../domain/schema.js";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";
import { ShardCounts } from "./counts.js";
import { sweepTemps, syncDir } from "./durable-adapter.js";
import { FileIo } from "./file-io.js";
import { type FsLayer, nodeFs } from "./fs-layer.js";
import {
  DAY_RE,
  DEFAULT_DAY_OFFSET_MINUTES,
  isUuidV7,
  newestFirst,
  oldestFirst,
  shardDayOf,
} from "./keys.js";
import {
  dayOfFileName,
  decodeSeq,
  decodeShard,
  Layout,
  type LoadedShard,
  type SeqFile,
  type ShardFile,
} from "./layout.js";
import { Lru } from "./lru.js";
import { KeyedMutex } from "./mutex.js";
import { Outbox } from "./outbox.js";
import { PersonIndex } from "./person-index.js";
import { makePrivate } from "./private-tree.js";
import { pruneAcked } from "./prune.js";
import { RejectedIndex } from "./rejected-index.js";
import { SaveJournal } from "./save-journal.js";
import { type RecordSummary, SummaryIndex } from "./summaries.js";
import { applySyncMany, type SyncManyParts } from "./sync-many.js";
import type { InspectableRecordStore, QuarantinedRecord, SyncUpdate } from "./types.js";

export interface FileStoreOptions {
  dir: string;
  logger?: Logger;
  /** Injected in tests to record call order or fail with ENOSPC/EIO. */
  fs?: FsLayer;
  /** UTC offset of the station-local day used as the shard key; default UTC+8. */
  dayOffsetMinutes?: number;
  /** Sequence numbers reserved per durable write; a crash skips at most this many. */
  seqBlock?: number;
  /** Save through the per-day journal (default true); false rewrites the shard on every save. */
  journal?: boolean;
  /** Compact a day's journal once it holds this many frames (default 1000) or bytes (default 4 MiB). */
  journalMaxFrames?: number;
  journalMaxBytes?: number;
  /** Person-index entries go to an append-only delta per year (docs/adr/0008); default: `journal`. */
  personDelta?: boolean;
  /** Fold a year's person-index delta into its buckets at this many entries (default 4000). */
  personDeltaMaxEntries?: number;
  /**
   * Fold the delta into the buckets at close (default false), so the folder is one a release
   * older than the delta reads completely (docs/adr/0009). Only `health-station prepare-rollback`
   * asks for it: folding at every stop rewrites buckets, ~9× the record per check-up at a nightly stop.
   */
  personDeltaFoldAtClose?: boolean;
}

/** Folders open in this process: a second store on the same folder would overwrite the first's files. */
const openDirs = new Set<string>();

export function createFileStore(opts: FileStoreOptions): InspectableRecordStore {
  return new FileStore(opts);
}

class FileStore implements InspectableRecordStore {
  readonly #layout: Layout;
  readonly #fs: FsLayer;
  readonly #log: Logger;
  readonly #io: FileIo;
  readonly #outbox: Outbox;
  readonly #rejected: RejectedIndex;
  readonly #syncParts: SyncManyParts;
  readonly #counts: ShardCounts;
  readonly #offset: number;
  readonly #seqBlock: number;
  readonly #fileLock: KeyedMutex;
  readonly #idLock = new KeyedMutex();
  readonly #shards = new Lru<string, LoadedShard>(16);
  readonly #persons: PersonIndex;
  readonly #summaries: SummaryIndex;
  readonly #quarantine = new Map<string, QuarantinedRecord>();
  /** Always there, so even a store saving the older way replays journals a crash left. */
  readonly #journal: SaveJournal;
  readonly #foldAtClose: boolean;
  readonly #useJournal: boolean;
  /** Compactions started after a save (day end, full journal); close() waits for them. */
  #background: Promise<void> = Promise.resolve();
  #nextSeq = 1;
  #reserved = 0;
  #open = false;

  constructor(opts: FileStoreOptions) {
    this.#layout = new Layout(opts.dir);
    this.#fs = opts.fs ?? nodeFs;
    this.#log = (opts.logger ?? silentLogger).child("store");
    this.#offset = opts.dayOffsetMinutes ?? DEFAULT_DAY_OFFSET_MINUTES;
    this.#seqBlock = opts.seqBlock ?? 100;
    this.#io = new FileIo(this.#layout, this.#fs, this.#log);
    this.#fileLock = this.#io.lock;
    this.#outbox = new Outbox(this.#io);
    this.#rejected = new RejectedIndex(this.#io);
    this.#persons = new PersonIndex(this.#io, this.#log, {
      // `journal: false` is the earlier design as a whole, buckets rewritten on every save included.
      delta: opts.personDelta ?? opts.journal !== false,
      ...(opts.personDeltaMaxEntries !== undefined && { deltaMaxEntries: opts.personDeltaMaxEntries }),
    });
    this.#summaries = new SummaryIndex(this.#io, (idNumber) => this.#persons.key(idNumber));
    this.#useJournal = opts.journal !== false;
    this.#foldAtClose = opts.personDeltaFoldAtClose === true;
    this.#journal = new SaveJournal({
      io: this.#io,
      outbox: this.#outbox,
      persons: this.#persons,
      log: this.#log,
      offset: this.#offset,
      loadShard: (day) => this.#loadShard(day),
      apply: (shard, rec, count) => this.#apply(shard, rec, count),
      maxFrames: opts.journalMaxFrames ?? 1000,
      maxBytes: opts.journalMaxBytes ?? 4 * 1024 * 1024,
    });
    const journal = this.#journal;
    this.#syncParts = {
      io: this.#io,
      outbox: this.#outbox,
      rejected: this.#rejected,
      idLock: this.#idLock,
      offset: this.#offset,
      loadShard: (day) => this.#loadShard(day),
      ...(this.#useJournal && {
        journal: async (day: string, changed: CheckupRecord[]) => {
          await journal.append(day, changed, true);
          this.#afterAppend(day);
        },
      }),
    };
    this.#counts = new ShardCounts(
      this.#io,
      (day) => this.#loadShard(day),
      this.#quarantine,
      () => this.#journal.days(),
    );
  }

  personKey(idNumber: string): string {
    return this.#persons.key(idNumber);
  }

  async open(): Promise<void> {
    const l = this.#layout;
    const key = resolve(l.root);
    if (openDirs.has(key))
      throw new StationError("store-locked", `记录库已被打开 / record store already open: ${l.root}`);
    openDirs.add(key);
    try {
      await this.#openUnlocked();
    } catch (err) {
      openDirs.delete(key);
      throw err;
    }
  }

  async #openUnlocked(): Promise<void> {
    const l = this.#layout;
    if (this.#fs === nodeFs) {
      const n = await this.#io.io(l.root, () => makePrivate(l.root));
      if (n > 0) this.#log.info(`data folder made private: ${n} mode(s) tightened to 0700/0600`);
    }
    const dirs = [l.records, l.outbox, l.meta, l.journal];
    for (const d of dirs) await this.#io.io(d, () => this.#fs.mkdir(d));
    for (const d of dirs) await sweepTemps(d, this.#fs);
    await this.#persons.open(() => this.#allRecords());
    await syncDir(l.root, this.#fs);
    this.#open = true;
    try {
      await this.#outbox.load();
      await this.#replayJournals();
      const reserved = decodeSeq(l.seq(), await this.#io.file(l.seq()).read());
      // No sequence file yet: start after the highest stored seq (an empty store starts at 1).
      this.#reserved = reserved ?? (await this.#maxStoredSeq());
      this.#nextSeq = this.#reserved + 1;
      await this.#dropStaleOutbox();
      if (await this.#rejected.load(() => this.#scanRejected()))
        this.#log.info(`rejected-record index built: ${this.#rejected.ids().length} id(s)`);
    } catch (err) {
      this.#open = false;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    await this.#idLock.idle();
    await this.#background;
    await this.#fileLock.idle();
    // A clean close leaves no journal, so the folder is also what the previous release reads.
    for (const day of this.#journal.days())
      await this.#compact(day).catch((err: unknown) =>
        this.#log.warn(`journal ${day}: not compacted at close; the next open replays it`, err),
      );
    await this.#persons.idle();
    // ... and no person-index delta, which a release older than docs/adr/0009 would not read.
    if (this.#foldAtClose) await this.#foldPersonDelta();
    try {
      await this.#counts.persist();
    } catch (err) {
      this.#log.warn("could not save the count cache; the next count() rereads the shards", err);
    }
    this.#open = false;
    openDirs.delete(resolve(this.#layout.root));
    this.#shards.clear();
    this.#persons.clear();
    this.#outbox.clear();
    this.#rejected.clear();
    this.#counts.reset();
    this.#journal.clear();
  }

  /** A kill midway leaves whole buckets and the delta (both read at the next open). */
  async #foldPersonDelta(): Promise<void> {
    const started = performance.now();
    try {
      const n = await this.#persons.foldAll();
      const ms = Math.round(performance.now() - started);
      if (n > 0)
        this.#log.info(`person index: ${n} delta entries folded into the buckets at close in ${ms} ms`);
    } catch (err) {
      this.#log.warn(
        "person index delta not folded at close: this release reads it, an older one would not",
        err,
      );
    }
  }

  nextSeq(): Promise<number> {
    this.#assertOpen();
    return this.#fileLock.run("seq", async () => {
      if (this.#nextSeq > this.#reserved) await this.#reserve(this.#nextSeq + this.#seqBlock - 1);
      return this.#nextSeq++;
    });
  }

  async save(record: CheckupRecord): Promise<void> {
    this.#assertOpen();
    const parsed = CheckupRecord.safeParse(record);
    if (!parsed.success)
      throw new StationError("record-invalid", "记录格式不正确 / record failed validation", {
        issues: formatIssues(parsed.error),
      });
    await this.#idLock.run(parsed.data.id, () => this.#put(parsed.data));
  }

  async get(id: string): Promise<CheckupRecord | null> {
    this.#assertOpen();
    if (!isUuidV7(id)) return null;
    const shard = await this.#shard(shardDayOf(id, this.#offset));
    const rec = shard.valid.get(id);
    // A copy: a caller editing its result must not edit the cached shard.
    return rec ? structuredClone(rec) : null;
  }

  async byPerson(idNumber: string, limit = Number.POSITIVE_INFINITY): Promise<CheckupRecord[]> {
    this.#assertOpen();
    const ids = new Set(await this.#persons.ids(idNumber));
    // Saves still in a journal are in the person index only after compaction.
    for (const r of this.#journal.records()) if (r.person.idNumber === idNumber) ids.add(r.id);
    const out: CheckupRecord[] = [];
    for (const id of ids) {
      // Index entries are written before the record; one whose record never landed is skipped here.
      const rec = await this.get(id);
      if (rec && rec.person.idNumber === idNumber) out.push(rec);
    }
    return out.sort(newestFirst).slice(0, limit);
  }

  async pending(limit = Number.POSITIVE_INFINITY, skip?: (id: string) => boolean): Promise<CheckupRecord[]> {
    this.#assertOpen();
    const out: CheckupRecord[] = [];
    for (const day of this.#outbox.days()) {
      if (out.length >= limit) break;
      const shard = await this.#shard(day);
      const recs = this.#outbox
        .ids(day)
        .filter((id) => !skip?.(id))
        .map((id) => shard.valid.get(id))
        .filter((r): r is CheckupRecord => r?.sync.status === "pending")
        .sort(oldestFirst(this.#offset));
      // Copies only what is returned: a page is a few hundred of a day's records at most.
      for (const r of recs.slice(0, limit - out.length)) out.push(structuredClone(r));
    }
    return out;
  }

  async updateSync(id: string, sync: SyncState): Promise<void> {
    await this.updateSyncMany([{ id, sync }]);
  }

  async updateSyncMany(updates: ReadonlyArray<SyncUpdate>): Promise<void> {
    this.#assertOpen();
    await applySyncMany(this.#syncParts, updates);
  }

  async pendingCount(): Promise<number> {
    this.#assertOpen();
    // Outbox ids, in memory. open() drops stale ones; until then a save that failed on a full disk
    // after writing its outbox entry can count once too many.
    return this.#outbox.size();
  }

  async rejected(limit = Number.POSITIVE_INFINITY): Promise<CheckupRecord[]> {
    this.#assertOpen();
    const out: CheckupRecord[] = [];
    // Sorted ids are in time order, so records of one day are read together from one cached shard.
    for (const id of this.#rejected.ids().sort()) {
      const rec = await this.get(id);
      // A crash between the index write and the shard write leaves a stale id; skip it.
      if (rec?.sync.status === "rejected") out.push(rec);
    }
    return out.sort(newestFirst).slice(0, limit);
  }

  async count(): Promise<number> {
    this.#assertOpen();
    return this.#counts.total();
  }

  async listByDay(day: string): Promise<CheckupRecord[]> {
    this.#assertOpen();
    if (!DAY_RE.test(day)) throw new StationError("bad-request", `日期格式应为 YYYY-MM-DD / bad day ${day}`);
    const shard = await this.#shard(day);
    return [...shard.valid.values()]
      .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
      .map((r) => structuredClone(r));
  }

  async pruneAcked(beforeDay: string): Promise<{ pruned: number; shards: number }> {
    this.#assertOpen();
    if (!DAY_RE.test(beforeDay)) throw new StationError("bad-request", `bad day ${beforeDay}`);
    // Prune works on shard files: fold in the journals of the days it may touch first.
    for (const day of this.#journal.days()) if (day < beforeDay) await this.#compact(day);
    const r = await pruneAcked(
      {
        io: this.#io,
        summaries: this.#summaries,
        counts: this.#counts,
        loadShard: (day) => this.#loadShard(day),
        forget: (day) => this.#shards.delete(this.#layout.shard(day)),
      },
      beforeDay,
    );
    if (r.pruned > 0)
      this.#log.info(`retention: ${r.pruned} acknowledged record(s) before ${beforeDay} pruned`);
    return r;
  }

  async summaries(idNumber: string): Promise<RecordSummary[]> {
    this.#assertOpen();
    return this.#summaries.get(idNumber);
  }

  async quarantined(): Promise<QuarantinedRecord[]> {
    this.#assertOpen();
    await this.#counts.ensure();
    return [...this.#quarantine.values()];
  }

  /**
   * Intent first (person index, outbox, rejected index), then the shard; outbox and rejected
   * entries are removed only after.
   */
  async #put(rec: CheckupRecord): Promise<void> {
    const day = shardDayOf(rec.id, this.#offset);
    const pending = rec.sync.status === "pending";
    const rejected = rec.sync.status === "rejected";
    await this.#ensureSeqCovers(rec.seq);
    if (this.#useJournal) return this.#putJournal(day, rec);
    await this.#persons.add(day.slice(0, 4), rec.person.idNumber, rec.id);
    if (pending) await this.#outbox.add(day, [rec.id]);
    if (rejected) await this.#rejected.add([rec.id]);
    await this.#fileLock.run(this.#layout.shard(day), async () => {
      const shard = await this.#loadShard(day);
      const next: ShardFile = { v: 1, day, records: { ...shard.raw, [rec.id]: rec } };
      await this.#io.file(shard.file).write(next);
      this.#apply(shard, rec, true);
    });
    if (!pending) await this.#outbox.remove(day, [rec.id]);
    if (!rejected) await this.#rejected.remove([rec.id]);
  }

  /** Journal mode: the rejected-index intent, one fsynced frame (the commit point), then removals. */
  async #putJournal(day: string, rec: CheckupRecord): Promise<void> {
    const rejected = rec.sync.status === "rejected";
    if (rejected) await this.#rejected.add([rec.id]);
    await this.#fileLock.run(this.#layout.shard(day), () => this.#journal.append(day, [rec]));
    if (!rejected) await this.#rejected.remove([rec.id]);
    this.#afterAppend(day);
  }

  /** Puts `rec` into a loaded shard (the file is already written or journalled). */
  #apply(shard: LoadedShard, rec: CheckupRecord, count: boolean): void {
    const wasValid = shard.valid.has(rec.id);
    shard.raw = { ...shard.raw, [rec.id]: rec };
    shard.valid.set(rec.id, rec);
    shard.invalid = shard.invalid.filter((q) => q.id !== rec.id);
    this.#quarantine.delete(`${shard.file}#${rec.id}`);
    if (!wasValid && count) this.#counts.added(shard.day);
  }

  /**
   * After a journal append: compact older days' journals (the day has ended) and a full one, in
   * the background, so no save waits for a compaction it does not need for durability.
   */
  #afterAppend(day: string): void {
    // A past day with nothing left to upload is done: fold it now (an upload backlog drains by day).
    const today = new Date(Date.now() + this.#offset * 60_000).toISOString().slice(0, 10);
    const done = (d: string) => d < today && this.#outbox.ids(d).length === 0;
    const due = this.#journal.days().filter((d) => d < day || this.#journal.full(d) || done(d));
    if (due.length === 0) return;
    this.#background = this.#background.then(async () => {
      for (const d of due)
        await this.#compact(d).catch((err: unknown) =>
          this.#log.warn(`journal ${d}: compaction failed; retried later, saves stay in the journal`, err),
        );
    });
  }

  #compact(day: string): Promise<void> {
    return this.#fileLock.run(this.#layout.shard(day), () => this.#journal.compactLocked(day));
  }

  /** At open: every journal left by a crash is replayed and folded into its files. */
  async #replayJournals(): Promise<void> {
    const journal = this.#journal;
    const days = await journal.files.days();
    for (const day of days) await journal.replay(day);
    // Shards read before the replay (a person-index rebuild, the seq scan) lack the journal.
    this.#shards.clear();
    // A full or failing disk must not stop the store opening: the records are in memory, and
    // the journal stays (marked to compact before the next append) until a compaction succeeds.
    for (const day of days)
      await this.#compact(day).catch((err: unknown) =>
        this.#log.warn(`journal ${day}: replayed but not compacted; kept until the disk allows`, err),
      );
  }

  async #ensureSeqCovers(seq: number): Promise<void> {
    if (seq < this.#nextSeq) return;
    // A record carrying a sequence beyond ours (made elsewhere, restored): never hand that number out again.
    await this.#fileLock.run("seq", async () => {
      if (seq >= this.#nextSeq) {
        if (seq > this.#reserved) await this.#reserve(seq + this.#seqBlock);
        this.#nextSeq = seq + 1;
      }
    });
  }

  async #reserve(upTo: number): Promise<void> {
    const data: SeqFile = { v: 1, reserved: upTo };
    await this.#io.file(this.#layout.seq()).write(data);
    this.#reserved = upTo;
  }

  /** Drops outbox ids whose record never landed or is no longer pending. */
  async #dropStaleOutbox(): Promise<void> {
    for (const day of this.#outbox.days()) {
      const shard = await this.#shard(day);
      const stale = this.#outbox.ids(day).filter((id) => shard.valid.get(id)?.sync.status !== "pending");
      if (stale.length === 0) continue;
      this.#log.info(`outbox ${day}: dropping ${stale.length} id(s) with no pending record`);
      await this.#outbox.remove(day, stale);
    }
  }

  #shard(day: string): Promise<LoadedShard> {
    return this.#fileLock.run(this.#layout.shard(day), () => this.#loadShard(day));
  }

  /** Caller holds the shard's file lock, so the cache never goes stale behind a concurrent write. */
  async #loadShard(day: string): Promise<LoadedShard> {
    const file = this.#layout.shard(day);
    const cached = this.#shards.get(file);
    if (cached) return cached;
    const shard = decodeShard(day, file, await this.#io.file(file).read());
    this.#journal.overlay(shard);
    for (const q of shard.invalid) {
      const key = `${file}#${q.id}`;
      if (!this.#quarantine.has(key))
        this.#log.warn(`quarantined record ${q.id} in ${file}: ${q.issues.join("; ")}`);
      this.#quarantine.set(key, q);
    }
    this.#shards.set(file, shard);
    return shard;
  }

  /** Once per store, when it has no rejected index yet: reads every shard (like a first count()). */
  async #scanRejected(): Promise<string[]> {
    const ids: string[] = [];
    for (const name of await this.#io.list(this.#layout.records)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      for (const r of (await this.#shard(day)).valid.values())
        if (r.sync.status === "rejected") ids.push(r.id);
    }
    return ids;
  }

  /** Every valid record, shard by shard (used only to rebuild the person index). */
  async *#allRecords(): AsyncIterable<{ day: string; id: string; idNumber: string }> {
    for (const name of await this.#io.list(this.#layout.records)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      for (const r of (await this.#shard(day)).valid.values())
        yield { day, id: r.id, idNumber: r.person.idNumber };
    }
  }

  async #maxStoredSeq(): Promise<number> {
    let max = 0;
    for (const name of await this.#io.list(this.#layout.records)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      for (const r of (await this.#shard(day)).valid.values()) max = Math.max(max, r.seq);
    }
    return max;
  }

  #assertOpen(): void {
    if (!this.#open) throw new StationError("store-closed", "记录库未打开 / record store is not open");
  }
}
