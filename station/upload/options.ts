/** The uploader's options and their defaults. */
import { UPLOAD_WINDOW_DEFAULT } from "../config/schema.js";
import type { PresenceSource } from "../mqtt/presence.js";
import type { RecordStore } from "../storage/types.js";
import type { Logger } from "../util/logger.js";
import { pendingCounterFor, type SyncWriter, syncWriterFor } from "./store-adapter.js";
import { type BackoffPolicy, realScheduler, type Scheduler } from "./timing.js";

export interface UploaderOptions {
  store: RecordStore;
  county: string;
  stationId: string;
  broker: {
    /** mqtts://host:8883 in production; mqtt:// only for tests and the local demo. */
    url: string;
    username?: string;
    password?: string;
    /** Path of the county CA certificate (PEM); required for mqtts://. */
    caFile?: string;
  };
  /** Records published and awaiting the archive's ack, at most. Default UPLOAD_WINDOW_DEFAULT (256). */
  window?: number;
  /** No ack within this → the record is retried after a backoff. Default 60 s. */
  ackTimeoutMs?: number;
  /** Ack payloads larger than this are dropped before parsing. Default 1 MiB. */
  maxAckBytes?: number;
  retry?: BackoffPolicy;
  reconnect?: BackoffPolicy;
  /** Acks are collected this long before one durable batch write. Default 50 ms. */
  ackBatchMs?: number;
  /** Outbox re-check when idle, in case a save was not followed by kick(). Default 60 s. */
  pollMs?: number;
  /** Pending count refreshed at most this often. Default 2 s. */
  statusRefreshMs?: number;
  connectTimeoutMs?: number;
  keepaliveSeconds?: number;
  scheduler?: Scheduler;
  random?: () => number;
  logger?: Logger;
  /** Birth/death sequence and birth details (station/fleet); default in memory, no details. */
  presence?: PresenceSource;
  /** More topics to hear on the same connection (station/fleet: config, packs, commands). */
  extraTopics?: string[];
  /** Seams for the store batch API (store-adapter.ts). */
  syncWriter?: SyncWriter;
  pendingCounter?: () => Promise<number>;
}

export type ResolvedUploaderOptions = Required<
  Omit<UploaderOptions, "broker" | "logger" | "presence" | "extraTopics">
> &
  Pick<UploaderOptions, "broker" | "presence" | "extraTopics">;

export function resolveUploaderOptions(opts: UploaderOptions): ResolvedUploaderOptions {
  return {
    window: UPLOAD_WINDOW_DEFAULT,
    ackTimeoutMs: 60_000,
    maxAckBytes: 1024 * 1024,
    retry: { baseMs: 5_000, capMs: 300_000 },
    reconnect: { baseMs: 1_000, capMs: 300_000 },
    ackBatchMs: 50,
    pollMs: 60_000,
    statusRefreshMs: 2_000,
    connectTimeoutMs: 30_000,
    keepaliveSeconds: 60,
    random: Math.random,
    scheduler: realScheduler,
    syncWriter: syncWriterFor(opts.store),
    pendingCounter: pendingCounterFor(opts.store),
    // An option given as undefined keeps its default.
    ...(Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as UploaderOptions),
  };
}
