/**
 * The person index: which records belong to whom, without the ID number on disk.
 *
 *   keys/index.json              {v, key}                    per-station HMAC secret (0600; in backups)
 *   persons/<year>/<bb>.json     {v: 2, people: {hmac: [id]}} bb = first byte of the hmac
 *   persons/<year>/delta.log     entries not yet folded into the buckets (person-delta.ts)
 *
 * The key is HMAC-SHA256(secret, ID number). Without the secret nobody can tell from the index
 * (or a file name) whether a given ID number is there, even by trying all ~10^9 valid numbers of
 * a county. Callers still pass the ID number (RecordStore.byPerson); hashing stays in here.
 *
 * Older stores kept `people/<year>/<bb>.json` keyed by the raw number: open() re-keys them into
 * `persons/` (rebuilt from scratch if a migration was cut short) and then deletes `people/`.
 */
import { createHmac, randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../util/logger.js";
import { sweepTemps, syncDir } from "./durable-adapter.js";
import { storeCorrupt } from "./errors.js";
import type { FileIo } from "./file-io.js";
import { errnoCode } from "./fs-layer.js";
import { decodePeople, type PeopleFile } from "./layout.js";
import { Lru } from "./lru.js";
import { YearDelta } from "./person-delta.js";

/** The index key of an ID number: HMAC-SHA256 under the station's secret, hex. */
export function personKey(secret: Buffer, idNumber: string): string {
  return createHmac("sha256", secret).update(idNumber).digest("hex");
}

export interface KeyFile {
  v: 1;
  /** 32 random bytes, hex. */
  key: string;
}

type Entries = Map<string, Map<string, Record<string, string[]>>>; // year → bucket → people

export interface PersonIndexOptions {
  /** Append new entries to the year's delta (default) instead of rewriting their buckets. */
  delta?: boolean;
  /** Fold a year's delta into its buckets once it holds this many entries (default 4,000). */
  deltaMaxEntries?: number;
}

export class PersonIndex {
  readonly #buckets = new Lru<string, Record<string, string[]>>(64);
  /** persons/<year> folders known to exist (and whose creation is fsynced). */
  #years = new Set<string>();
  #secret: Buffer | null = null;
  readonly #deltas = new Map<string, YearDelta>();
  readonly #useDelta: boolean;
  readonly #maxDelta: number;
  #folding: Promise<void> = Promise.resolve();

  constructor(
    private readonly io: FileIo,
    private readonly log: Logger,
    opts: PersonIndexOptions = {},
  ) {
    this.#useDelta = opts.delta !== false;
    this.#maxDelta = opts.deltaMaxEntries ?? 4000;
  }

  get root(): string {
    return this.io.layout.persons;
  }
  #yearDir(year: string): string {
    return this.io.layout.personsYear(year);
  }
  #file(year: string, bucket: string): string {
    return this.io.layout.personsBucket(year, bucket);
  }

  /** `records`: every stored record, read only when the index must be rebuilt (lost key). */
  async open(records: () => AsyncIterable<{ day: string; id: string; idNumber: string }>): Promise<void> {
    const fs = this.io.fs;
    const created = await this.#loadKey();
    const legacy = this.io.layout.people;
    const retired = `${legacy}.migrated`;
    const hasLegacy = (await this.#listOrNull(legacy)) !== null;
    const current = (await this.#listOrNull(this.root)) ?? [];
    if (hasLegacy) {
      await this.#rebuild(await this.#readLegacy(legacy), "re-keyed from the older ID-number index");
      // One atomic rename marks the migration done; deleting a whole folder is not atomic.
      await this.io.io(legacy, () => fs.rename(legacy, retired));
      await syncDir(this.io.layout.root, fs);
    }
    await this.io.io(retired, () => rm(retired, { recursive: true, force: true }));
    if (hasLegacy) {
      // persons/ is complete now
    } else if (created && current.length > 0) {
      // The key was lost (a restore without keys/): the index is useless without it; rebuild.
      const entries: Entries = new Map();
      for await (const r of records()) this.#put(entries, r.day.slice(0, 4), this.key(r.idNumber), r.id);
      await this.#rebuild(entries, "rebuilt from the records (the index key was missing)");
    }
    await this.io.io(this.root, () => fs.mkdir(this.root));
    this.#years = new Set(await this.io.list(this.root));
    for (const year of this.#years) await sweepTemps(this.#yearDir(year), fs);
    // Deltas are read even by a store that writes buckets directly, so no entry is ever missed.
    for (const year of this.#years) {
      const d = this.#delta(year);
      const got = await d.load();
      if (!got?.tornTail && !got?.damaged) continue;
      if (got.damaged) this.log.warn(`person index ${year}: ${got.damaged} damaged delta frame(s) skipped`);
      // Never append after a torn frame: fold the whole frames now (the journal that wrote the
      // torn one is still there and is replayed). If the disk refuses, the next add folds first.
      await this.#foldLocked(year, d).catch((err: unknown) =>
        this.log.warn(`person index ${year}: delta not folded at open; retried before the next add`, err),
      );
    }
  }

  clear(): void {
    this.#buckets.clear();
    this.#deltas.clear();
    this.#secret = null;
  }

  #delta(year: string): YearDelta {
    let d = this.#deltas.get(year);
    if (!d) {
      d = new YearDelta(YearDelta.path(this.#yearDir(year)), this.io.fs);
      this.#deltas.set(year, d);
    }
    return d;
  }

  /** HMAC-SHA256 of the ID number under this station's secret, hex. */
  key(idNumber: string): string {
    if (!this.#secret) throw new Error("person index not open");
    return personKey(this.#secret, idNumber);
  }

  async ids(idNumber: string): Promise<string[]> {
    const k = this.key(idNumber);
    const out: string[] = [];
    for (const year of [...this.#years].sort()) {
      const file = this.#file(year, k.slice(0, 2));
      // The delta first: a fold finishing while the bucket loads then only moves these into it.
      const fromDelta = [...(this.#deltas.get(year)?.entries.get(k) ?? [])];
      const people = await this.io.lock.run(file, () => this.#load(file));
      out.push(...new Set([...(people[k] ?? []), ...fromDelta]));
    }
    return out;
  }

  async add(year: string, idNumber: string, id: string): Promise<void> {
    await this.addMany(year, [{ idNumber, id }]);
  }

  /**
   * Durable before it resolves: one fsynced delta frame for the whole batch (journal
   * compaction), or with `delta: false` one rewrite per touched bucket.
   */
  async addMany(year: string, entries: ReadonlyArray<{ idNumber: string; id: string }>): Promise<void> {
    if (!this.#useDelta) return this.#addToBuckets(year, entries);
    const d = this.#delta(year);
    await this.io.lock.run(d.file, async () => {
      if (d.broken) await this.#foldLocked(year, d);
      const pairs: Array<[string, string]> = [];
      for (const e of entries) {
        const k = this.key(e.idNumber);
        if (!d.has(k, e.id) && !pairs.some(([pk, pid]) => pk === k && pid === e.id)) pairs.push([k, e.id]);
      }
      if (pairs.length === 0) return;
      await this.#ensureYear(year);
      await d.append(pairs);
      // The entries are durable now; a fold that fails is retried at the next add.
      // The entries are durable now. The fold rewrites every bucket of the year, so it runs
      // after this compaction, not inside it (a save may be waiting on the compaction's lock).
      if (d.count >= this.#maxDelta) this.#foldLater(year, d);
    });
    // A later year has begun: earlier years' deltas will not grow much more, so fold them.
    for (const [y, old] of this.#deltas)
      if (y < year && old.count > 0)
        await this.io.lock
          .run(old.file, () => this.#foldLocked(y, old))
          .catch((err: unknown) => this.log.warn(`person index ${y}: delta fold failed; retried later`, err));
  }

  /**
   * Folds every year's delta into its buckets (a planned stop: docs/adr/0009). A release older
   * than the delta reads buckets only, so a clean stop must leave none. Crash-safe like any fold:
   * a kill midway leaves whole buckets and the delta, which the next open reads again.
   */
  async foldAll(): Promise<number> {
    let folded = 0;
    for (const [year, d] of this.#deltas)
      await this.io.lock.run(d.file, async () => {
        if (!d.exists && d.count === 0) return;
        folded += d.count;
        await this.#foldLocked(year, d);
      });
    return folded;
  }

  /** Resolves when folds started in the background are done (close waits for it). */
  async idle(): Promise<void> {
    await this.#folding;
  }

  #foldLater(year: string, d: YearDelta): void {
    const run = this.io.lock
      .run(d.file, async () => {
        if (d.count >= this.#maxDelta) await this.#foldLocked(year, d);
      })
      .catch((err: unknown) =>
        this.log.warn(`person index ${year}: delta fold failed; retried at the next add`, err),
      );
    this.#folding = Promise.all([this.#folding, run]).then(() => {});
  }

  /** Merges the delta into its buckets (each rewritten whole, durably), then deletes it. */
  async #foldLocked(year: string, d: YearDelta): Promise<void> {
    const byBucket = new Map<string, Array<[string, string[]]>>();
    for (const [k, ids] of d.entries)
      byBucket.set(k.slice(0, 2), [...(byBucket.get(k.slice(0, 2)) ?? []), [k, ids]]);
    if (byBucket.size > 0) await this.#ensureYear(year);
    for (const [bucket, list] of byBucket) {
      const file = this.#file(year, bucket);
      await this.io.lock.run(file, async () => {
        const next = { ...(await this.#load(file)) };
        let changed = false;
        for (const [k, ids] of list)
          for (const id of ids) {
            if (next[k]?.includes(id)) continue;
            next[k] = [...(next[k] ?? []), id];
            changed = true;
          }
        if (!changed) return;
        await this.io.file(file).write({ v: 2, people: next } satisfies PeopleFile);
        this.#buckets.set(file, next);
      });
    }
    if (d.exists) await d.remove();
    this.log.info(`person index ${year}: delta folded into ${byBucket.size} bucket(s)`);
  }

  async #ensureYear(year: string): Promise<void> {
    if (this.#years.has(year)) return;
    const dir = this.#yearDir(year);
    await this.io.io(dir, () => this.io.fs.mkdir(dir));
    await syncDir(this.root, this.io.fs);
    this.#years.add(year);
  }

  /** The earlier design: one durable rewrite per touched bucket (kept for the benchmark). */
  async #addToBuckets(year: string, entries: ReadonlyArray<{ idNumber: string; id: string }>): Promise<void> {
    const byFile = new Map<string, Array<{ k: string; id: string }>>();
    for (const e of entries) {
      const k = this.key(e.idNumber);
      const file = this.#file(year, k.slice(0, 2));
      byFile.set(file, [...(byFile.get(file) ?? []), { k, id: e.id }]);
    }
    for (const [file, adds] of byFile) {
      await this.io.lock.run(file, async () => {
        const people = await this.#load(file);
        const next = { ...people };
        let changed = false;
        for (const { k, id } of adds) {
          if (next[k]?.includes(id)) continue;
          next[k] = [...(next[k] ?? []), id];
          changed = true;
        }
        if (!changed) return;
        await this.#ensureYear(year);
        const data: PeopleFile = { v: 2, people: next };
        await this.io.file(file).write(data);
        this.#buckets.set(file, next);
      });
    }
  }

  async #load(file: string): Promise<Record<string, string[]>> {
    const cached = this.#buckets.get(file);
    if (cached) return cached;
    const people = decodePeople(file, await this.io.file(file).read());
    this.#buckets.set(file, people);
    return people;
  }

  /** Reads the secret, or makes one (durably, before any index entry uses it). True when made now. */
  async #loadKey(): Promise<boolean> {
    const dir = this.io.layout.keys;
    const file = this.io.layout.indexKey();
    await this.io.io(dir, () => this.io.fs.mkdir(dir));
    await sweepTemps(dir, this.io.fs);
    const data = (await this.io.file<KeyFile>(file).read()) as unknown;
    if (data !== null) {
      const k = data as Partial<KeyFile>;
      if (k.v !== 1 || typeof k.key !== "string" || !/^[0-9a-f]{64}$/.test(k.key))
        throw storeCorrupt(file, "not an index key file");
      this.#secret = Buffer.from(k.key, "hex");
      return false;
    }
    const key = randomBytes(32).toString("hex");
    await this.io.file<KeyFile>(file).write({ v: 1, key });
    await syncDir(this.io.layout.root, this.io.fs);
    this.#secret = Buffer.from(key, "hex");
    this.log.info("person index key created (keys/index.json): back it up with the data folder");
    return true;
  }

  async #readLegacy(legacy: string): Promise<Entries> {
    const entries: Entries = new Map();
    for (const year of await this.io.list(legacy)) {
      for (const name of await this.io.list(join(legacy, year))) {
        if (!/^[0-9a-f]{2}\.json$/.test(name)) continue; // temps and .bak
        const file = join(legacy, year, name);
        const people = decodePeople(file, await this.io.file(file).read());
        for (const [idNumber, ids] of Object.entries(people))
          for (const id of ids) this.#put(entries, year, this.key(idNumber), id);
      }
    }
    return entries;
  }

  #put(entries: Entries, year: string, k: string, id: string): void {
    const byBucket = entries.get(year) ?? new Map<string, Record<string, string[]>>();
    entries.set(year, byBucket);
    const bucket = k.slice(0, 2);
    const people = byBucket.get(bucket) ?? {};
    byBucket.set(bucket, people);
    const ids = people[k] ?? [];
    if (!ids.includes(id)) people[k] = [...ids, id];
  }

  /** Replaces persons/ with `entries` (a half-built persons/ from a cut-short run is dropped first). */
  async #rebuild(entries: Entries, why: string): Promise<void> {
    const fs = this.io.fs;
    await this.io.io(this.root, () => rm(this.root, { recursive: true, force: true }));
    await this.io.io(this.root, () => fs.mkdir(this.root));
    let n = 0;
    for (const [year, byBucket] of entries) {
      await this.io.io(this.#yearDir(year), () => fs.mkdir(this.#yearDir(year)));
      for (const [bucket, people] of byBucket) {
        await this.io.file(this.#file(year, bucket)).write({ v: 2, people } satisfies PeopleFile);
        n += Object.keys(people).length;
      }
      await syncDir(this.#yearDir(year), fs);
    }
    await syncDir(this.root, fs);
    await syncDir(this.io.layout.root, fs);
    this.log.info(`person index ${why}: ${n} person-year entries`);
  }

  async #listOrNull(dir: string): Promise<string[] | null> {
    try {
      return await this.io.fs.readdir(dir);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return null;
      throw err;
    }
  }
}
