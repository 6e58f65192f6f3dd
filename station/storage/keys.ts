/** Where a record lives: shard day from the UUIDv7 id's own timestamp, so get(id) needs no global index. */
import { createHash } from "node:crypto";
import type { CheckupRecord } from "../domain/schema.js";
import { UUID_V7 } from "../domain/schema.js";

/** China Standard Time (UTC+8), no daylight saving: a shard is one local calendar day at the station. */
export const DEFAULT_DAY_OFFSET_MINUTES = 480;

export function isUuidV7(id: string): boolean {
  return UUID_V7.test(id);
}

/** Milliseconds since the epoch held in the first 48 bits of a UUIDv7 (RFC 9562 §5.7). */
export function uuidV7Millis(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** YYYY-MM-DD of the id's timestamp at the given UTC offset. */
export function shardDayOf(id: string, offsetMinutes = DEFAULT_DAY_OFFSET_MINUTES): string {
  return new Date(uuidV7Millis(id) + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** One of 256 buckets; hashing spreads people evenly whatever their region code. */
export function personBucket(idNumber: string): string {
  return createHash("sha256").update(idNumber).digest("hex").slice(0, 2);
}

/** Oldest first: by shard day, then station sequence, then id. Both stores order `pending()` this way. */
export function oldestFirst(offsetMinutes: number) {
  return (a: CheckupRecord, b: CheckupRecord): number => {
    const da = shardDayOf(a.id, offsetMinutes);
    const db = shardDayOf(b.id, offsetMinutes);
    if (da !== db) return da < db ? -1 : 1;
    if (a.seq !== b.seq) return a.seq - b.seq;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Newest first by station sequence (survives wall-clock jumps), then id. */
export function newestFirst(a: CheckupRecord, b: CheckupRecord): number {
  if (a.seq !== b.seq) return b.seq - a.seq;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
