/**
 * What the doctor did about a list entry (issue 10 §3), kept in a lowdb file through the
 * durable adapter (fsync + rename, docs/adr/0001): an outcome reported saved survives a power cut.
 * Kinds and hide periods follow Simple.org's overdue list (care-notes.md): agreed to visit hides
 * the entry for 7 days, remind later for 30; removed takes it off with a reason.
 * Each outcome carries a sync state for the upload to the county (outcome-upload.ts): pending
 * until the county broker has taken it.
 *
 * No ID number is written: the person is the same keyed hash the store's person index uses
 * (HMAC under the station's secret), and so is the ID part of an entry key (docs/security.md).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import { addDays } from "../assessment/dates.js";
import { openEnum } from "../domain/open-enum.js";
import { IsoDate, IsoDateTime } from "../domain/schema.js";
import { DurableJSONFile } from "../storage/durable-adapter.js";
import { StationError } from "../util/errors.js";

export const OUTCOME_KINDS = ["agreed", "remind-later", "unreachable", "removed"] as const;
export const REMOVE_REASONS = ["moved", "died", "refused", "visited-elsewhere"] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Simple.org: agreed to visit hides for 7 days, remind later for 30 (simple-android strings.xml). */
export const DEFAULT_HIDE_DAYS = { agreed: 7, "remind-later": 30 } as const;

/** What the doctor sends. `entryKey` names the list entry (ListRow.key). */
export const OutcomeInput = z
  .strictObject({
    entryKey: z.string().min(3).max(200),
    kind: z.enum(OUTCOME_KINDS),
    reason: z.enum(REMOVE_REASONS).optional(),
    note: z.string().max(200).optional(),
  })
  .refine((o) => (o.kind === "removed") === (o.reason !== undefined), {
    message: "removed needs a reason (moved, died, refused, visited-elsewhere); other outcomes take none",
  });
export type OutcomeInput = z.infer<typeof OutcomeInput>;

export const Outcome = z.object({
  id: z.string(),
  entryKey: z.string(),
  /** HMAC of the ID number under the station's index secret. */
  person: z.string().regex(/^[0-9a-f]{64}$/),
  /** personKey(county, ID number) as the audit log has it: what the county can join on when uploaded. */
  personKey: z.string().optional(),
  kind: openEnum(OUTCOME_KINDS),
  reason: openEnum(REMOVE_REASONS).optional(),
  note: z.string().optional(),
  doctorId: z.string(),
  at: IsoDateTime,
  /** Station-local day the outcome was recorded. */
  day: IsoDate,
  /** Hidden from the lists until this day (exclusive), for agreed and remind-later. */
  hideUntil: IsoDate.optional(),
  sync: z.object({ status: openEnum(["pending", "acked"]) }),
});
export type Outcome = z.infer<typeof Outcome>;

const OutcomeFile = z.object({ v: z.literal(2), outcomes: z.array(Outcome) });
type OutcomeFile = z.infer<typeof OutcomeFile>;

/** An entry key names the person by ID number (lists.ts entryKey); on disk, by its hash. */
const ID_PREFIX = /^(\d{17}[\dX])\|/;

export class OutcomeLog {
  #db: Low<OutcomeFile> | null = null;
  #keyOf: ((idNumber: string) => string) | null = null;
  /** Latest outcome per entry key; the whole log stays on disk and in #db. */
  readonly #latest = new Map<string, Outcome>();
  /** People removed as moved or died: off every list. */
  readonly #gone = new Map<string, Outcome>();
  #listeners: Array<(o: Outcome) => void> = [];

  constructor(
    private readonly dir: string,
    private readonly hideDays: { agreed: number; "remind-later": number } = DEFAULT_HIDE_DAYS,
  ) {}

  /** `keyOf`: the person index's keyed hash of an ID number. */
  async open(keyOf: (idNumber: string) => string): Promise<void> {
    this.#keyOf = keyOf;
    await mkdir(this.dir, { recursive: true });
    const db = new Low<OutcomeFile>(new DurableJSONFile(join(this.dir, "outcomes.json")), {
      v: 2,
      outcomes: [],
    });
    await db.read();
    db.data = OutcomeFile.parse(db.data);
    this.#db = db;
    for (const o of db.data.outcomes) this.#index(o);
  }

  /** Hashes are memoised: the lists ask for every row they build. */
  readonly #hashes = new Map<string, string>();

  #person(idNumber: string): string {
    if (!this.#keyOf) throw new StationError("not-ready", "outcome log not open");
    let h = this.#hashes.get(idNumber);
    if (h === undefined) {
      h = this.#keyOf(idNumber);
      this.#hashes.set(idNumber, h);
    }
    return h;
  }

  /** The entry key as stored: its ID number replaced by the person's hash. */
  #stored(entryKey: string): string {
    const m = ID_PREFIX.exec(entryKey);
    return m ? `${this.#person(m[1]!)}|${entryKey.slice(m[0].length)}` : entryKey;
  }

  #index(o: Outcome): void {
    this.#latest.set(o.entryKey, o);
    if (o.kind === "removed" && (o.reason === "moved" || o.reason === "died")) this.#gone.set(o.person, o);
  }

  /** Durable: resolves once the outcome is on disk. */
  async record(
    input: OutcomeInput,
    idNumber: string,
    doctorId: string,
    at: Date,
    day: string,
    countyPersonKey?: string,
  ): Promise<Outcome> {
    const db = this.#db;
    if (!db) throw new StationError("not-ready", "outcome log not open");
    const o: Outcome = {
      id: uuidv7({ msecs: at.getTime() }),
      entryKey: this.#stored(input.entryKey),
      person: this.#person(idNumber),
      ...(countyPersonKey ? { personKey: countyPersonKey } : {}),
      kind: input.kind,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.note ? { note: input.note } : {}),
      doctorId,
      at: at.toISOString(),
      day,
      ...(input.kind === "agreed" || input.kind === "remind-later"
        ? { hideUntil: addDays(day, this.hideDays[input.kind]) }
        : {}),
      sync: { status: "pending" },
    };
    db.data.outcomes.push(o);
    try {
      await db.write();
    } catch (e) {
      db.data.outcomes.pop();
      throw e;
    }
    this.#index(o);
    for (const fn of this.#listeners) fn(o);
    return o;
  }

  onRecord(fn: (o: Outcome) => void): () => void {
    this.#listeners.push(fn);
    return () => {
      this.#listeners = this.#listeners.filter((f) => f !== fn);
    };
  }

  /** Not yet taken by the county broker, oldest first. */
  pending(): Outcome[] {
    return (this.#db?.data.outcomes ?? []).filter((o) => o.sync.status === "pending");
  }

  /** Durable: marks these uploaded. A failed write leaves them to be sent again (the county drops repeats). */
  async markAcked(ids: ReadonlySet<string>): Promise<void> {
    const db = this.#db;
    if (!db) throw new StationError("not-ready", "outcome log not open");
    for (const o of db.data.outcomes) if (ids.has(o.id)) o.sync = { status: "acked" };
    await db.write();
  }

  latest(entryKey: string): Outcome | undefined {
    return this.#latest.get(this.#stored(entryKey));
  }

  /** Removed as moved or died: off every list and the inbox. */
  isGone(idNumber: string): boolean {
    return this.#gone.has(this.#person(idNumber));
  }

  /** The entry is off the list on `day`: hidden for a while, removed, or the person moved or died. */
  hides(entryKey: string, idNumber: string, day: string): boolean {
    if (this.#gone.has(this.#person(idNumber))) return true;
    const o = this.#latest.get(this.#stored(entryKey));
    if (!o) return false;
    if (o.kind === "removed") return true;
    return o.hideUntil !== undefined && day < o.hideUntil;
  }

  /** Every outcome about one person (matched by the person's hash), in the order recorded. */
  forPerson(idNumber: string): Outcome[] {
    const h = this.#person(idNumber);
    return this.all().filter((o) => o.person === h);
  }

  all(): readonly Outcome[] {
    return this.#db?.data.outcomes ?? [];
  }
}
