/**
 * What the county archive holds, read beneath the store's own index: every line of the file
 * store's segments (an id written twice shows up twice), or every row of the PostgreSQL table.
 * No test framework here: the benchmark reads the archive the same way.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { scanSegment, segmentNumber } from "../../../flows/archive/file-segments.js";
import type { CountyStoreConfig } from "./county.js";

export interface ArchiveContents {
  /** One entry per stored copy, in storage order. */
  ids: string[];
  /** Damaged lines in the file store (never expected). */
  corrupt: number;
}

export async function readArchive(store: CountyStoreConfig): Promise<ArchiveContents> {
  if (store.kind === "postgres") {
    const client = new pg.Client({ connectionString: store.url });
    await client.connect();
    try {
      const r = await client.query<{ id: string }>("SELECT id::text AS id FROM archive_records ORDER BY id");
      return { ids: r.rows.map((x) => x.id), corrupt: 0 };
    } finally {
      await client.end();
    }
  }
  const ids: string[] = [];
  let corrupt = 0;
  let names: string[] = [];
  try {
    names = (await readdir(store.dir)).filter((n) => segmentNumber(n) !== null).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  for (const name of names) {
    const scan = scanSegment(await readFile(join(store.dir, name)));
    ids.push(...scan.lines.map((l) => l.id));
    corrupt += scan.corrupt;
  }
  return { ids, corrupt };
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}
