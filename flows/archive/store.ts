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

export interface ArchiveStore extends Partial<ArchiveEventStore> {
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

/** The doctor's audit log and list outcomes (docs/mqtt-api.md): events, not records. */
export type EventStream = "audit" | "outcome";

export interface ArchivedEvent {
  stream: EventStream;
  county: string;
  station: string;
  /** The event's UUIDv7: each is stored once. */
  id: string;
  /** The event as the station sent it (AuditEvent or OutcomeEvent). */
  event: Record<string, unknown>;
  receivedAt: string;
}

/**
 * Optional on ArchiveStore so test doubles need not implement it; both shipped stores do. Same
 * rules as putMany: idempotent by id, durable when the promise resolves, results in input order.
 */
export interface ArchiveEventStore {
  putEvents(events: ArchivedEvent[]): Promise<Array<{ id: string; status: PutStatus }>>;
  /** One stream, sorted by id. */
  listEvents(stream: EventStream, opts?: ListOptions): Promise<ArchivedEvent[]>;
}
