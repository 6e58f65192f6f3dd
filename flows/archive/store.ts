/**
 * Where the county archive keeps records. Every implementation passes the same contract suite
 * (tests/flows/archive-store.contract.ts): idempotent by record id, one durable write per batch.
 */
import type { RecordMessage } from "../../station/mqtt/contract.js";

export interface ArchivedRecord {
  message: RecordMessage;
  /** ISO 8601 instant the archive received it. */
  receivedAt: string;
}

export type PutStatus = "stored" | "duplicate";

export interface ListOptions {
  station?: string;
  /** Only ids greater than this (ids are UUIDv7, so this pages in creation order). */
  afterId?: string;
  /** Default 100. */
  limit?: number;
}

export interface ArchiveStore {
  open(): Promise<void>;
  close(): Promise<void>;
  /**
   * Stores each record unless its id is already stored. When the promise resolves, every
   * "stored" record is durable. Results are in input order; a repeated id within one call is
   * "stored" once, then "duplicate".
   */
  putMany(records: ArchivedRecord[]): Promise<Array<{ id: string; status: PutStatus }>>;
  count(): Promise<number>;
  get(id: string): Promise<ArchivedRecord | null>;
  /** Sorted by record id. */
  list(opts?: ListOptions): Promise<ArchivedRecord[]>;
}

export const DEFAULT_LIST_LIMIT = 100;
