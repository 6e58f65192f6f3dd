/**
 * On-disk layout of the file store, and the shapes of its small JSON files.
 *
 *   records/<day>.json        {v, day, records: {id: CheckupRecord}}   one shard per station-local day
 *   outbox/<day>.json         {v, ids: [id]}                           pending ids of that day; deleted when empty
 *   persons/<year>/<bb>.json  {v: 2, people: {hmac: [id]}}             256 buckets per year, keyed by
 *                                                                      HMAC(station secret, ID number)
 *   persons/<year>/delta.log  <checksum> {"e": [[hmac, id]]}\n          index entries not yet in the buckets
 *   keys/index.json           {v, key}                                 that secret (person-index.ts)
 *   meta/seq.json             {v, reserved}                            highest sequence number reserved
 *   meta/counts.json          {v, shards: {day: {sig, count, invalid}}} derived cache for count(); never on a save
 *   meta/rejected.json        {v, ids: [id]}                           ids of records the archive rejected (may hold stale ids)
 *   journal/<day>.log         <checksum> {"rs": [record]}\n per frame   saves not yet folded into the files above
 *
 * No file whose size grows with the total record count is rewritten on a save: every file a save
 * touches is bounded by one day's (shard, outbox) or one year's share of a bucket (people). The
 * rejected index grows only with rejections, and is written only when one is added or cleared.
 */
import { join } from "node:path";
import { CheckupRecord, formatIssues } from "../domain/schema.js";
import { storeCorrupt } from "./errors.js";
import type { QuarantinedRecord } from "./types.js";

export interface ShardFile {
  v: 1;
  day: string;
  records: Record<string, unknown>;
}
export interface OutboxFile {
  v: 1;
  ids: string[];
}
export interface RejectedFile {
  v: 1;
  ids: string[];
}
/** v1 (older stores, `people/`): keyed by the raw ID number; v2 (`persons/`): by its HMAC. */
export interface PeopleFile {
  v: 1 | 2;
  people: Record<string, string[]>;
}
export interface SeqFile {
  v: 1;
  reserved: number;
}

/** Per-shard summary cached across restarts; `sig` (inode:size:mtime) says whether it still applies. */
export interface CountsFile {
  v: 1;
  shards: Record<string, { sig: string; count: number; invalid: QuarantinedRecord[] }>;
}

export class Layout {
  readonly records: string;
  readonly outbox: string;
  /** The older, raw-ID-number person index; only read to migrate it (person-index.ts). */
  readonly people: string;
  readonly meta: string;
  readonly persons: string;
  readonly keys: string;
  /** Save journals, one per shard day (journal.ts); empty after a clean close. */
  readonly journal: string;
  constructor(readonly root: string) {
    this.persons = join(root, "persons");
    this.keys = join(root, "keys");
    this.records = join(root, "records");
    this.outbox = join(root, "outbox");
    this.people = join(root, "people");
    this.meta = join(root, "meta");
    this.journal = join(root, "journal");
  }
  shard(day: string): string {
    return join(this.records, `${day}.json`);
  }
  outboxDay(day: string): string {
    return join(this.outbox, `${day}.json`);
  }
  peopleYear(year: string): string {
    return join(this.people, year);
  }
  peopleBucket(year: string, bucket: string): string {
    return join(this.people, year, `${bucket}.json`);
  }
  personsYear(year: string): string {
    return join(this.persons, year);
  }
  personsBucket(year: string, bucket: string): string {
    return join(this.persons, year, `${bucket}.json`);
  }
  indexKey(): string {
    return join(this.keys, "index.json");
  }
  seq(): string {
    return join(this.meta, "seq.json");
  }
  counts(): string {
    return join(this.meta, "counts.json");
  }
  rejected(): string {
    return join(this.meta, "rejected.json");
  }
}

/** `2024-05-01.json` → `2024-05-01`; anything else (temps, backups) → null. */
export function dayOfFileName(name: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(name);
  return m ? m[1]! : null;
}

export interface LoadedShard {
  day: string;
  file: string;
  /** Exactly what is on disk, invalid entries included, so a rewrite never drops them. */
  raw: Record<string, unknown>;
  valid: Map<string, CheckupRecord>;
  invalid: QuarantinedRecord[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates every record of a shard read from disk; a shard of the wrong shape is corrupt. */
export function decodeShard(day: string, file: string, data: unknown): LoadedShard {
  if (data === null) return { day, file, raw: {}, valid: new Map(), invalid: [] };
  if (!isObject(data) || !isObject(data.records)) throw storeCorrupt(file, "not a record shard");
  const raw = data.records;
  const valid = new Map<string, CheckupRecord>();
  const invalid: QuarantinedRecord[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const parsed = CheckupRecord.safeParse(value);
    if (parsed.success && parsed.data.id === key) valid.set(key, parsed.data);
    else {
      const issues = parsed.success ? [`id: stored under key ${key}`] : formatIssues(parsed.error);
      invalid.push({ file, id: key, issues, raw: value });
    }
  }
  return { day, file, raw, valid, invalid };
}

function decodeIds(file: string, data: unknown, what: string): string[] {
  if (!isObject(data) || !Array.isArray(data.ids) || !data.ids.every((x) => typeof x === "string"))
    throw storeCorrupt(file, `not ${what}`);
  return data.ids as string[];
}

export function decodeOutbox(file: string, data: unknown): string[] {
  return data === null ? [] : decodeIds(file, data, "an outbox file");
}

/** null: no index yet (a store older than it); the caller rebuilds it. */
export function decodeRejected(file: string, data: unknown): string[] | null {
  return data === null ? null : decodeIds(file, data, "a rejected-record index");
}

export function decodePeople(file: string, data: unknown): Record<string, string[]> {
  if (data === null) return {};
  if (!isObject(data) || !isObject(data.people)) throw storeCorrupt(file, "not a person index");
  return data.people as Record<string, string[]>;
}

export function decodeSeq(file: string, data: unknown): number | null {
  if (data === null) return null;
  if (!isObject(data) || typeof data.reserved !== "number" || !Number.isInteger(data.reserved))
    throw storeCorrupt(file, "not a sequence file");
  return data.reserved;
}
