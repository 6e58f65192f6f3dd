/** The station's local record store. Both implementations pass tests/storage/contract.ts. */
import type { CheckupRecord, SyncState } from "../domain/schema.js";
import type { RecordSummary } from "./summaries.js";

export type { RecordSummary } from "./summaries.js";

export interface SyncUpdate {
  id: string;
  sync: SyncState;
}

export interface RecordStore {
  /** Create folders, clean up after a crash, load the small indexes. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Durable monotonic per-station sequence; may skip numbers after a crash, never goes back. */
  nextSeq(): Promise<number>;
  /** Durable upsert by id: resolves only once the record and its index entries are on disk. */
  save(record: CheckupRecord): Promise<void>;
  get(id: string): Promise<CheckupRecord | null>;
  /** Newest first. */
  byPerson(idNumber: string, limit?: number): Promise<CheckupRecord[]>;
  /**
   * sync.status === "pending", oldest first (shard day, then seq). Ids that `skip` accepts are
   * left out before the limit applies and are never copied: the uploader skips the records it
   * already holds instead of re-reading them on every page.
   */
  pending(limit?: number, skip?: (id: string) => boolean): Promise<CheckupRecord[]>;
  /** Durable; the record leaves the outbox when status is not "pending". */
  updateSync(id: string, sync: SyncState): Promise<void>;
  /**
   * updateSync for a whole batch (archive acks arrive in bursts). Durable: resolves once every
   * touched day shard, then every touched outbox file, has been rewritten once for the batch.
   * The last update per id wins. An unknown id rejects the whole batch with "record-not-found"
   * (details.ids lists them) and nothing is written, so a retry of the batch is always safe.
   */
  updateSyncMany(updates: ReadonlyArray<SyncUpdate>): Promise<void>;
  /** Records waiting to be uploaded (the outbox size), without reading any record. */
  pendingCount(): Promise<number>;
  /** sync.status === "rejected", newest first (by seq), without scanning every shard. */
  rejected(limit?: number): Promise<CheckupRecord[]>;
  count(): Promise<number>;
  /** day = YYYY-MM-DD, the shard key (station-local day of the id's timestamp); ordered by seq. */
  listByDay(day: string): Promise<CheckupRecord[]>;
  /**
   * Retention: removes acknowledged records of shard days before `beforeDay`, keeping a
   * RecordSummary of each. Pending and rejected records are never removed.
   */
  pruneAcked(beforeDay: string): Promise<{ pruned: number; shards: number }>;
  /**
   * Summaries of this person's pruned records, newest first. The health card shows these after
   * byPerson(); after a prune cut short by a power cut one id can be in both: match by id.
   */
  summaries(idNumber: string): Promise<RecordSummary[]>;
}

/** A stored record that no longer passes CheckupRecord validation. Kept on disk as it was, never dropped. */
export interface QuarantinedRecord {
  /** Shard file (file store) or "memory". */
  file: string;
  id: string | null;
  issues: string[];
  raw: unknown;
}

export interface InspectableRecordStore extends RecordStore {
  /**
   * The person index's key of an ID number (HMAC under this station's secret): for data kept
   * per person outside the store (the county's summaries pack), never the number itself.
   */
  personKey(idNumber: string): string;
  /** Every stored record that failed validation (scans all shards on first call). */
  quarantined(): Promise<QuarantinedRecord[]>;
}
