/**
 * Every record on a station's disk, read raw (no schema), as a running station leaves them: the
 * day shards, overlaid by the save journals not yet folded into them (docs/adr/0007). End-to-end
 * tests check the saved record field by field with this.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJournal } from "../../station/storage/journal.js";

// biome-ignore lint/suspicious/noExplicitAny: raw records, checked field by field by the tests
export type RawRecord = Record<string, any>;

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [] as string[];
    throw e;
  });
}

export async function rawRecords(dataDir: string): Promise<Map<string, RawRecord>> {
  const out = new Map<string, RawRecord>();
  const shards = join(dataDir, "records");
  // Day shards only: a save in flight leaves a temp file beside them.
  for (const f of (await names(shards)).filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n))) {
    const shard = JSON.parse(await readFile(join(shards, f), "utf8")) as {
      records?: Record<string, RawRecord>;
    };
    for (const [id, r] of Object.entries(shard.records ?? {})) out.set(id, r);
  }
  const journals = join(dataDir, "journal");
  for (const f of (await names(journals)).filter((n) => n.endsWith(".log")).sort())
    for (const r of decodeJournal(await readFile(join(journals, f), "utf8")).records as RawRecord[])
      out.set(String(r.id), r);
  return out;
}
