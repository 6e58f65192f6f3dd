/**
 * The durable file store (docs/adr/0001-durable-storage.md). Every write goes through
 * DurableJSONFile (fsync + rename + folder fsync). A save writes its index entries first (person
 * bucket, outbox) and the record's day shard last, so a record reported saved is always findable
 * and always in the outbox while pending; open() drops index ids whose record never landed.
 */
import { resolve } from "node:path";
import { CheckupRecord, formatIssues, SyncState } from "../domain/schema.js";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";
import { DurableJSONFile, sweepTemps, syncDir } from "./durable-adapter.js";
import { toStorageError } from "./errors.js";
import { errnoCode, type FsLayer, nodeFs } from "./fs-layer.js";
import {
  DAY_RE,
  DEFAULT_DAY_OFFSET_MINUTES,
  isUuidV7,
  newestFirst,
  oldestFirst,
  personBucket,
  shardDayOf,
} from "./keys.js";
import {
  type CountsFile,
  dayOfFileName,
  decodeOutbox,
  decodePeople,
  decodeSeq,
  decodeShard,
  Layout,
  type LoadedShard,
  type OutboxFile,
  type PeopleFile,
  type SeqFile,
  type ShardFile,
} from "./layout.js";
import { Lru } from "./lru.js";
import { KeyedMutex } from "./mutex.js";
import type { InspectableRecordStore, QuarantinedRecord } from "./types.js";

export interface FileStoreOptions {
  dir: string;
  logger?: Logger;
  /** Injected in tests to record call order or fail with ENOSPC/EIO. */
  fs?: FsLayer;
  /** UTC offset of the station-local day used as the shard key; default UTC+8. */
  dayOffsetMinutes?: number;
  /** Sequence numbers reserved per durable write; a crash skips at most this many. */
  seqBlock?: number;
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
  readonly #offset: number;
  readonly #seqBlock: number;
  readonly #fileLock = new KeyedMutex();
  readonly #idLock = new KeyedMutex();
  readonly #shards = new Lru<string, LoadedShard>(16);
  readonly #buckets = new Lru<string, Record<string, string[]>>(64);
  /** Pending ids per shard day, mirrored from outbox/<day>.json. */
  #outbox = new Map<string, Set<string>>();
  #quarantine = new Map<string, QuarantinedRecord>();
  /** Valid records per day; null until the first count() scans every shard. */
  #counts: Map<string, number> | null = null;
  #scan: Promise<Map<string, number>> | null = null;
  /** people/<year> folders known to exist (and whose creation is fsynced). */
  #years = new Set<string>();
  #nextSeq = 1;
  #reserved = 0;
  #open = false;

  constructor(opts: FileStoreOptions) {
    this.#layout = new Layout(opts.dir);
    this.#fs = opts.fs ?? nodeFs;
    this.#log = (opts.logger ?? silentLogger).child("store");
    this.#offset = opts.dayOffsetMinutes ?? DEFAULT_DAY_OFFSET_MINUTES;
    this.#seqBlock = opts.seqBlock ?? 100;
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
    for (const d of [l.records, l.outbox, l.people, l.meta]) await this.#io(d, () => this.#fs.mkdir(d));
    for (const d of [l.records, l.outbox, l.meta]) await sweepTemps(d, this.#fs);
    this.#years = new Set(await this.#list(l.people));
    for (const year of this.#years) await sweepTemps(l.peopleYear(year), this.#fs);
    await syncDir(l.root, this.#fs);
    this.#open = true;
    try {
      const reserved = decodeSeq(l.seq(), await this.#file(l.seq()).read());
      // No sequence file yet: start after the highest stored seq (an empty store starts at 1).
      this.#reserved = reserved ?? (await this.#maxStoredSeq());
      this.#nextSeq = this.#reserved + 1;
      await this.#loadOutbox();
    } catch (err) {
      this.#open = false;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    await this.#idLock.idle();
    await this.#fileLock.idle();
    try {
      const counts = this.#scan ? await this.#scan.catch(() => null) : null;
      if (counts) await this.#writeCountCache(counts);
    } catch (err) {
      this.#log.warn("could not save the count cache; the next count() rereads the shards", err);
    }
    this.#open = false;
    openDirs.delete(resolve(this.#layout.root));
    this.#shards.clear();
    this.#buckets.clear();
    this.#outbox.clear();
    this.#counts = null;
    this.#scan = null;
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
    const bucket = personBucket(idNumber);
    const ids = new Set<string>();
    for (const year of [...this.#years].sort()) {
      const people = await this.#bucket(year, bucket);
      for (const id of people[idNumber] ?? []) ids.add(id);
    }
    const out: CheckupRecord[] = [];
    for (const id of ids) {
      // Index entries are written before the record; one whose record never landed is skipped here.
      const rec = await this.get(id);
      if (rec && rec.person.idNumber === idNumber) out.push(rec);
    }
    return out.sort(newestFirst).slice(0, limit);
  }

  async pending(limit = Number.POSITIVE_INFINITY): Promise<CheckupRecord[]> {
    this.#assertOpen();
    const out: CheckupRecord[] = [];
    for (const day of [...this.#outbox.keys()].sort()) {
      if (out.length >= limit) break;
      const shard = await this.#shard(day);
      const recs = [...(this.#outbox.get(day) ?? [])]
        .map((id) => shard.valid.get(id))
        .filter((r): r is CheckupRecord => r?.sync.status === "pending");
      out.push(...recs.sort(oldestFirst(this.#offset)).map((r) => structuredClone(r)));
    }
    return out.slice(0, limit);
  }

  async updateSync(id: string, sync: SyncState): Promise<void> {
    this.#assertOpen();
    const state = SyncState.parse(sync);
    await this.#idLock.run(id, async () => {
      const rec = await this.get(id);
      if (!rec) throw new StationError("record-not-found", `找不到记录 / no record ${id}`, { id });
      await this.#put({ ...rec, sync: state });
    });
  }

  async count(): Promise<number> {
    this.#assertOpen();
    const counts = await this.#scanAll();
    let n = 0;
    for (const c of counts.values()) n += c;
    return n;
  }

  async listByDay(day: string): Promise<CheckupRecord[]> {
    this.#assertOpen();
    if (!DAY_RE.test(day)) throw new StationError("bad-request", `日期格式应为 YYYY-MM-DD / bad day ${day}`);
    const shard = await this.#shard(day);
    return [...shard.valid.values()]
      .sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1))
      .map((r) => structuredClone(r));
  }

  async quarantined(): Promise<QuarantinedRecord[]> {
    this.#assertOpen();
    await this.#scanAll();
    return [...this.#quarantine.values()];
  }

  /** Intent first (person index, outbox), then the shard; the outbox entry is removed only after. */
  async #put(rec: CheckupRecord): Promise<void> {
    const day = shardDayOf(rec.id, this.#offset);
    const pending = rec.sync.status === "pending";
    await this.#ensureSeqCovers(rec.seq);
    await this.#indexPerson(day.slice(0, 4), rec.person.idNumber, rec.id);
    if (pending) await this.#outboxAdd(day, rec.id);
    await this.#fileLock.run(this.#layout.shard(day), async () => {
      const shard = await this.#loadShard(day);
      const next: ShardFile = { v: 1, day, records: { ...shard.raw, [rec.id]: rec } };
      await this.#file(shard.file).write(next);
      const wasValid = shard.valid.has(rec.id);
      shard.raw = next.records;
      shard.valid.set(rec.id, rec);
      shard.invalid = shard.invalid.filter((q) => q.id !== rec.id);
      this.#quarantine.delete(`${shard.file}#${rec.id}`);
      if (this.#counts && !wasValid) this.#counts.set(day, (this.#counts.get(day) ?? 0) + 1);
    });
    if (!pending) await this.#outboxRemove(day, [rec.id]);
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
    await this.#file(this.#layout.seq()).write(data);
    this.#reserved = upTo;
  }

  async #indexPerson(year: string, idNumber: string, id: string): Promise<void> {
    const bucket = personBucket(idNumber);
    const file = this.#layout.peopleBucket(year, bucket);
    await this.#fileLock.run(file, async () => {
      const people = await this.#loadBucket(year, bucket);
      if (people[idNumber]?.includes(id)) return;
      if (!this.#years.has(year)) {
        const dir = this.#layout.peopleYear(year);
        await this.#io(dir, () => this.#fs.mkdir(dir));
        await syncDir(this.#layout.people, this.#fs);
        this.#years.add(year);
      }
      const next = { ...people, [idNumber]: [...(people[idNumber] ?? []), id] };
      const data: PeopleFile = { v: 1, people: next };
      await this.#file(file).write(data);
      this.#buckets.set(file, next);
    });
  }

  async #outboxAdd(day: string, id: string): Promise<void> {
    const file = this.#layout.outboxDay(day);
    await this.#fileLock.run(file, async () => {
      const ids = this.#outbox.get(day) ?? new Set<string>();
      if (ids.has(id)) return;
      const data: OutboxFile = { v: 1, ids: [...ids, id] };
      await this.#file(file).write(data);
      this.#outbox.set(day, new Set(data.ids));
    });
  }

  async #outboxRemove(day: string, remove: string[]): Promise<void> {
    const file = this.#layout.outboxDay(day);
    await this.#fileLock.run(file, async () => {
      const ids = this.#outbox.get(day);
      if (!ids || !remove.some((id) => ids.has(id))) return;
      const left = [...ids].filter((id) => !remove.includes(id));
      if (left.length > 0) {
        const data: OutboxFile = { v: 1, ids: left };
        await this.#file(file).write(data);
        this.#outbox.set(day, new Set(left));
        return;
      }
      // Backup first: a crash between the two unlinks must not leave a stale .bak to be read as the outbox.
      await this.#unlinkIfExists(`${file}.bak`);
      await this.#unlinkIfExists(file);
      await syncDir(this.#layout.outbox, this.#fs);
      this.#outbox.delete(day);
    });
  }

  /** Loads every outbox day and drops ids whose record never landed or is no longer pending. */
  async #loadOutbox(): Promise<void> {
    this.#outbox.clear();
    for (const name of await this.#list(this.#layout.outbox)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      const file = this.#layout.outboxDay(day);
      this.#outbox.set(day, new Set(decodeOutbox(file, await this.#file(file).read())));
    }
    for (const [day, ids] of [...this.#outbox]) {
      const shard = await this.#shard(day);
      const stale = [...ids].filter((id) => shard.valid.get(id)?.sync.status !== "pending");
      if (stale.length === 0) continue;
      this.#log.info(`outbox ${day}: dropping ${stale.length} id(s) with no pending record`);
      await this.#outboxRemove(day, stale);
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
    const shard = decodeShard(day, file, await this.#file(file).read());
    for (const q of shard.invalid) {
      const key = `${file}#${q.id}`;
      if (!this.#quarantine.has(key))
        this.#log.warn(`quarantined record ${q.id} in ${file}: ${q.issues.join("; ")}`);
      this.#quarantine.set(key, q);
    }
    this.#shards.set(file, shard);
    return shard;
  }

  #bucket(year: string, bucket: string): Promise<Record<string, string[]>> {
    const file = this.#layout.peopleBucket(year, bucket);
    return this.#fileLock.run(file, () => this.#loadBucket(year, bucket));
  }

  async #loadBucket(year: string, bucket: string): Promise<Record<string, string[]>> {
    const file = this.#layout.peopleBucket(year, bucket);
    const cached = this.#buckets.get(file);
    if (cached) return cached;
    const people = decodePeople(file, await this.#file(file).read());
    this.#buckets.set(file, people);
    return people;
  }

  /** Counts every shard once per process, reusing the cached summary of shards unchanged since. */
  #scanAll(): Promise<Map<string, number>> {
    this.#scan ??= this.#doScan().catch((err: unknown) => {
      this.#scan = null;
      this.#counts = null;
      throw err;
    });
    return this.#scan;
  }

  async #doScan(): Promise<Map<string, number>> {
    // Live from the start, so saves during the scan are counted; each day is settled under its lock.
    const counts = new Map<string, number>();
    this.#counts = counts;
    const cache = await this.#readCountCache();
    let reread = 0;
    for (const name of await this.#list(this.#layout.records)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      const file = this.#layout.shard(day);
      await this.#fileLock.run(file, async () => {
        const cached = cache[day];
        if (cached && cached.sig === (await this.#sig(file))) {
          counts.set(day, cached.count);
          for (const q of cached.invalid) this.#quarantine.set(`${q.file}#${q.id}`, q);
        } else {
          counts.set(day, (await this.#loadShard(day)).valid.size);
          reread++;
        }
      });
    }
    // Written now as well as at close: a station is more often switched off than shut down.
    if (reread > 0) await this.#writeCountCache(counts);
    return counts;
  }

  async #readCountCache(): Promise<CountsFile["shards"]> {
    try {
      const data = await this.#file<CountsFile>(this.#layout.counts()).read();
      return data && typeof data.shards === "object" && data.shards !== null ? data.shards : {};
    } catch (err) {
      // Derived data: rebuild it rather than refuse to count.
      this.#log.warn("count cache unreadable; recounting", err);
      return {};
    }
  }

  async #writeCountCache(counts: Map<string, number>): Promise<void> {
    const shards: CountsFile["shards"] = {};
    for (const day of [...counts.keys()]) {
      const file = this.#layout.shard(day);
      // Under the shard's lock, so the signature and the count describe the same version.
      shards[day] = await this.#fileLock.run(file, async () => ({
        sig: await this.#sig(file),
        count: counts.get(day) ?? 0,
        invalid: [...this.#quarantine.values()].filter((q) => q.file === file),
      }));
    }
    const data: CountsFile = { v: 1, shards };
    await this.#file(this.#layout.counts()).write(data);
  }

  async #sig(file: string): Promise<string> {
    try {
      const st = await this.#fs.stat(file);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return "missing";
      throw toStorageError(err, file);
    }
  }

  async #maxStoredSeq(): Promise<number> {
    let max = 0;
    for (const name of await this.#list(this.#layout.records)) {
      const day = dayOfFileName(name);
      if (!day) continue;
      for (const r of (await this.#shard(day)).valid.values()) max = Math.max(max, r.seq);
    }
    return max;
  }

  #file<T>(file: string): DurableJSONFile<T> {
    return new DurableJSONFile<T>(file, { fs: this.#fs, logger: this.#log, sweepOnFirstRead: false });
  }

  async #list(dir: string): Promise<string[]> {
    return (await this.#io(dir, () => this.#fs.readdir(dir))).sort();
  }

  async #unlinkIfExists(file: string): Promise<void> {
    try {
      await this.#fs.unlink(file);
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw toStorageError(err, file);
    }
  }

  async #io<R>(file: string, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      throw toStorageError(err, file);
    }
  }

  #assertOpen(): void {
    if (!this.#open) throw new StationError("store-closed", "记录库未打开 / record store is not open");
  }
}
