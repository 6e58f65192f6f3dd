/**
 * Reading the file store's folder without opening it as a store. open() sweeps temp files and
 * takes the folder for this process, which a running station must keep for itself; a CLI export
 * or the doctor lists' start-up scan only need to read. Every file is replaced by an atomic
 * rename (DurableJSONFile), so a reader sees either the old or the new version of a file.
 * Saves not yet compacted live in the day's journal (docs/adr/0007-save-journal.md); readers lay
 * its whole frames over the shard, reading the journal first: if the store compacts in between,
 * the shard read after it already holds what the journal held.
 */
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CheckupRecord } from "../domain/schema.js";
import { DurableJSONFile } from "./durable-adapter.js";
import { errnoCode } from "./fs-layer.js";
import { decodeJournal, journalDayOf } from "./journal.js";
import { DEFAULT_DAY_OFFSET_MINUTES, newestFirst, personBucket, shardDayOf } from "./keys.js";
import { dayOfFileName, decodePeople, decodeShard, Layout } from "./layout.js";
import { decodeDelta, YearDelta } from "./person-delta.js";
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

/** Valid records in the day's journal, in append order (later ones win); [] when there is none. */
async function journalRecords(l: Layout, day: string): Promise<CheckupRecord[]> {
  let text: string;
  try {
    text = await readFile(join(l.journal, `${day}.log`), "utf8");
  } catch (e) {
    if (errnoCode(e) === "ENOENT") return [];
    throw e;
  }
  const out: CheckupRecord[] = [];
  for (const raw of decodeJournal(text).records) {
    const parsed = CheckupRecord.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The ids a year's person-index delta holds for `key` (the bucket file's folder is the year). */
async function deltaIds(bucketFile: string, key: string): Promise<string[]> {
  try {
    const text = await readFile(YearDelta.path(dirname(bucketFile)), "utf8");
    return decodeDelta(text).entries.get(key) ?? [];
  } catch (e) {
    if (errnoCode(e) === "ENOENT") return [];
    throw e;
  }
}

/** A day's valid records by id: the journal's laid over the shard's. */
async function dayRecords(l: Layout, day: string): Promise<Map<string, CheckupRecord>> {
  const journal = await journalRecords(l, day);
  const valid = decodeShard(day, l.shard(day), await readJson(l.shard(day))).valid;
  for (const r of journal) valid.set(r.id, r);
  return valid;
}

/** Station-local days that have a record shard or a journal, oldest first. */
export async function storedDays(dataDir: string): Promise<string[]> {
  const l = new Layout(dataDir);
  const days = new Set<string>();
  for (const name of await list(l.records)) days.add(dayOfFileName(name) ?? "");
  for (const name of await list(l.journal)) days.add(journalDayOf(name) ?? "");
  days.delete("");
  return [...days].sort();
}

/** The valid records of one day (invalid ones are the store's to quarantine, not ours to read). */
export async function readDay(dataDir: string, day: string): Promise<CheckupRecord[]> {
  return [...(await dayRecords(new Layout(dataDir), day)).values()];
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
  for (const { file, key } of await indexFiles(l, idNumber)) {
    // Entries not yet folded into the buckets (person-delta.ts), read before the bucket: a fold
    // in between then only moves them into the bucket read next.
    if (file.startsWith(l.persons)) for (const id of await deltaIds(file, key)) ids.add(id);
    for (const id of decodePeople(file, await readJson(file))[key] ?? []) ids.add(id);
  }
  // Saves still in a journal are in the person index only after compaction.
  for (const name of await list(l.journal)) {
    const day = journalDayOf(name);
    if (!day) continue;
    for (const r of await journalRecords(l, day)) if (r.person.idNumber === idNumber) ids.add(r.id);
  }
  const byDay = new Map<string, string[]>();
  for (const id of ids) {
    const day = shardDayOf(id, offsetMinutes);
    byDay.set(day, [...(byDay.get(day) ?? []), id]);
  }
  const out: CheckupRecord[] = [];
  for (const [day, dayIds] of byDay) {
    const valid = await dayRecords(l, day);
    for (const id of dayIds) {
      const rec = valid.get(id);
      // An index entry whose record never landed (crash between the two writes) is skipped.
      if (rec && rec.person.idNumber === idNumber) out.push(rec);
    }
  }
  return out.sort(newestFirst);
}
