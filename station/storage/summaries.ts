/**
 * Compact per-person summaries of records pruned by the retention setting, so the health card
 * still shows a villager's history after the full records are gone from the station.
 *
 *   summaries/<year>/<bb>.json   {v: 1, people: {hmac: [RecordSummary]}}
 *
 * Keyed like the person index (HMAC of the ID number under the station secret); a summary holds
 * no name, ID number or address, only the results. Written before the record is removed from its
 * shard, and idempotent by record id, so a prune cut short by a power cut repeats harmlessly (a
 * record may then appear both in byPerson() and in summaries() until the next prune: match by id).
 */
import type { Assessment, CheckupRecord } from "../domain/schema.js";
import { syncDir } from "./durable-adapter.js";
import { storeCorrupt } from "./errors.js";
import type { FileIo } from "./file-io.js";

/** The shape the health card reads (docs/storage-retention.md). */
export interface RecordSummary {
  v: 1;
  id: string;
  seq: number;
  /** Station-local day of the record (its shard). */
  day: string;
  createdAt: string;
  clockSuspect: boolean;
  /** The record's assessment as saved: BP and glucose classes and values, referral, follow-up. */
  assessment: Assessment | null;
}

interface SummaryFile {
  v: 1;
  people: Record<string, RecordSummary[]>;
}

export function summaryOf(r: CheckupRecord, day: string): RecordSummary {
  return {
    v: 1,
    id: r.id,
    seq: r.seq,
    day,
    createdAt: r.createdAt,
    clockSuspect: r.clockSuspect,
    assessment: r.assessment,
  };
}

export class SummaryIndex {
  constructor(
    private readonly io: FileIo,
    /** HMAC of an ID number (PersonIndex.key). */
    private readonly keyOf: (idNumber: string) => string,
  ) {}

  get root(): string {
    return `${this.io.layout.root}/summaries`;
  }
  #file(year: string, bucket: string): string {
    return `${this.root}/${year}/${bucket}.json`;
  }

  /** Durable; one write per touched bucket file. */
  async add(items: ReadonlyArray<{ idNumber: string; summary: RecordSummary }>): Promise<void> {
    const byFile = new Map<string, Array<{ k: string; s: RecordSummary }>>();
    for (const { idNumber, summary } of items) {
      const k = this.keyOf(idNumber);
      const file = this.#file(summary.day.slice(0, 4), k.slice(0, 2));
      byFile.set(file, [...(byFile.get(file) ?? []), { k, s: summary }]);
    }
    for (const [file, list] of byFile) {
      const dir = file.slice(0, file.lastIndexOf("/"));
      await this.io.io(dir, () => this.io.fs.mkdir(dir));
      await syncDir(this.root, this.io.fs);
      await this.io.lock.run(file, async () => {
        const people = await this.#read(file);
        for (const { k, s } of list) {
          const have = people[k] ?? [];
          if (!have.some((x) => x.id === s.id)) people[k] = [...have, s];
        }
        await this.io.file(file).write({ v: 1, people } satisfies SummaryFile);
      });
    }
  }

  /** Newest first (by seq). */
  async get(idNumber: string): Promise<RecordSummary[]> {
    const k = this.keyOf(idNumber);
    let years: string[];
    try {
      years = await this.io.fs.readdir(this.root);
    } catch {
      return [];
    }
    const out: RecordSummary[] = [];
    for (const year of years.filter((y) => /^\d{4}$/.test(y))) {
      const file = this.#file(year, k.slice(0, 2));
      const people = await this.io.lock.run(file, () => this.#read(file));
      out.push(...(people[k] ?? []));
    }
    return out.sort((a, b) => b.seq - a.seq);
  }

  async #read(file: string): Promise<Record<string, RecordSummary[]>> {
    const data = (await this.io.file<SummaryFile>(file).read()) as unknown;
    if (data === null) return {};
    const f = data as Partial<SummaryFile>;
    if (f.v !== 1 || typeof f.people !== "object" || f.people === null)
      throw storeCorrupt(file, "not a summary file");
    return f.people;
  }
}
