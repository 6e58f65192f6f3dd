/**
 * Reading the file store's folder without opening it as a store. open() sweeps temp files and
 * takes the folder for this process, which a running station must keep for itself; a CLI export
 * or the doctor lists' start-up scan only need to read. Every file is replaced by an atomic
 * rename (DurableJSONFile), so a reader sees either the old or the new version of a file.
 */
import { readdir } from "node:fs/promises";
import type { CheckupRecord } from "../domain/schema.js";
import { DurableJSONFile } from "./durable-adapter.js";
import { errnoCode } from "./fs-layer.js";
import { DEFAULT_DAY_OFFSET_MINUTES, newestFirst, personBucket, shardDayOf } from "./keys.js";
import { dayOfFileName, decodePeople, decodeShard, Layout } from "./layout.js";
import { type KeyFile, personKey } from "./person-index.js";

async function readJson(file: string): Promise<unknown> {
  // sweepOnFirstRead false: never delete another process's temp files; .bak is used as the store does.
  return new DurableJSONFile<unknown>(file, { sweepOnFirstRead: false }).read();
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (errnoCode(e) === "ENOENT") return [];
    throw e;
  }
}

/** Station-local days that have a record shard, oldest first. */
export async function storedDays(dataDir: string): Promise<string[]> {
  const l = new Layout(dataDir);
  return (await list(l.records))
    .map(dayOfFileName)
    .filter((d): d is string => d !== null)
    .sort();
}

/** The valid records of one day (invalid ones are the store's to quarantine, not ours to read). */
export async function readDay(dataDir: string, day: string): Promise<CheckupRecord[]> {
  const file = new Layout(dataDir).shard(day);
  return [...decodeShard(day, file, await readJson(file)).valid.values()];
}

/** The station's person-index secret (keys/index.json), or null when the store never opened here. */
export async function readIndexSecret(dataDir: string): Promise<Buffer | null> {
  const keyFile = (await readJson(new Layout(dataDir).indexKey())) as Partial<KeyFile> | null;
  return keyFile && typeof keyFile.key === "string" && /^[0-9a-f]{64}$/.test(keyFile.key)
    ? Buffer.from(keyFile.key, "hex")
    : null;
}

/**
 * The index keys that may hold this person: the HMAC under the station's secret (persons/), and
 * the raw number in an older store's people/ that the store has not re-keyed yet.
 */
async function indexFiles(l: Layout, idNumber: string): Promise<Array<{ file: string; key: string }>> {
  const out: Array<{ file: string; key: string }> = [];
  const secret = await readIndexSecret(l.root);
  if (secret) {
    const k = personKey(secret, idNumber);
    for (const year of (await list(l.persons)).sort())
      out.push({ file: l.personsBucket(year, k.slice(0, 2)), key: k });
  }
  for (const year of (await list(l.people)).sort())
    out.push({ file: l.peopleBucket(year, personBucket(idNumber)), key: idNumber });
  return out;
}

/** Every record of one person, newest first, through the person index (no full scan). */
export async function readPersonRecords(
  dataDir: string,
  idNumber: string,
  offsetMinutes = DEFAULT_DAY_OFFSET_MINUTES,
): Promise<CheckupRecord[]> {
  const l = new Layout(dataDir);
  const ids = new Set<string>();
  for (const { file, key } of await indexFiles(l, idNumber))
    for (const id of decodePeople(file, await readJson(file))[key] ?? []) ids.add(id);
  const byDay = new Map<string, string[]>();
  for (const id of ids) {
    const day = shardDayOf(id, offsetMinutes);
    byDay.set(day, [...(byDay.get(day) ?? []), id]);
  }
  const out: CheckupRecord[] = [];
  for (const [day, dayIds] of byDay) {
    const shard = decodeShard(day, l.shard(day), await readJson(l.shard(day)));
    for (const id of dayIds) {
      const rec = shard.valid.get(id);
      // An index entry whose record never landed (crash between the two writes) is skipped.
      if (rec && rec.person.idNumber === idNumber) out.push(rec);
    }
  }
  return out.sort(newestFirst);
}
