/**
 * The archive store a county runs: PostgreSQL. Each batch is one INSERT … SELECT FROM unnest(…)
 * ON CONFLICT (id) DO NOTHING RETURNING id, so one round trip stores a batch and tells stored
 * from duplicate. Schema migrations run on open under an advisory lock, so several receivers
 * can start at once.
 */
import pg from "pg";
import type { RecordMessage } from "../../station/mqtt/contract.js";
import {
  type ArchivedEvent,
  type ArchivedRecord,
  type ArchiveStore,
  DEFAULT_LIST_LIMIT,
  type EventStream,
  type ListOptions,
  type PutStatus,
} from "./store.js";

export interface PostgresArchiveStoreOptions {
  /** postgres://user:pass@host:port/db */
  url: string;
  /** Table name prefix-free; default "archive_records". */
  table?: string;
  /** Rows per INSERT statement. Default 1000. */
  chunk?: number;
  poolSize?: number;
}

/** Numbered migrations; never edit one that has shipped, add the next. */
const MIGRATIONS: Array<(t: string) => string> = [
  (t) => `
    CREATE TABLE ${t} (
      id uuid PRIMARY KEY,
      station_id text NOT NULL,
      county text NOT NULL,
      seq bigint NOT NULL,
      created_at timestamptz NOT NULL,
      sent_at text NOT NULL,
      received_at timestamptz NOT NULL,
      record jsonb NOT NULL,
      observations jsonb NOT NULL
    );
    CREATE INDEX ${t}_station_seq ON ${t} (station_id, seq);
    CREATE INDEX ${t}_county_created ON ${t} (county, created_at);`,
  // The doctors' audit logs and list outcomes (docs/mqtt-api.md), one row per event.
  (t) => `
    CREATE TABLE ${t}_events (
      id uuid PRIMARY KEY,
      stream text NOT NULL,
      station_id text NOT NULL,
      county text NOT NULL,
      received_at timestamptz NOT NULL,
      event jsonb NOT NULL
    );
    CREATE INDEX ${t}_events_stream_station ON ${t}_events (stream, station_id, id);`,
];

const IDENT = /^[a-z_][a-z0-9_]{0,40}$/;

interface Row {
  id: string;
  station_id: string;
  county: string;
  sent_at: string;
  received_at: Date;
  record: RecordMessage["record"];
  observations: RecordMessage["observations"];
}

export class PostgresArchiveStore implements ArchiveStore {
  readonly table: string;
  #pool: pg.Pool | null = null;
  readonly #opts: PostgresArchiveStoreOptions;

  constructor(opts: PostgresArchiveStoreOptions) {
    this.#opts = opts;
    this.table = opts.table ?? "archive_records";
    if (!IDENT.test(this.table)) throw new TypeError(`bad table name ${this.table}`);
  }

  async open(): Promise<void> {
    this.#pool = new pg.Pool({ connectionString: this.#opts.url, max: this.#opts.poolSize ?? 4 });
    // A dropped idle connection must not crash the process; the next query reconnects.
    this.#pool.on("error", () => {});
    const c = await this.#pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`hs-archive:${this.table}`]);
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${this.table}_schema_version (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const r = await c.query<{ v: number | null }>(
        `SELECT max(version) AS v FROM ${this.table}_schema_version`,
      );
      for (let v = (r.rows[0]?.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
        await c.query(MIGRATIONS[v - 1]!(this.table));
        await c.query(`INSERT INTO ${this.table}_schema_version (version) VALUES ($1)`, [v]);
      }
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    await this.#pool?.end();
    this.#pool = null;
  }

  async schemaVersion(): Promise<number> {
    const r = await this.#db().query<{ v: number }>(
      `SELECT max(version) AS v FROM ${this.table}_schema_version`,
    );
    return r.rows[0]?.v ?? 0;
  }

  async putMany(records: ArchivedRecord[]): Promise<Array<{ id: string; status: PutStatus }>> {
    const db = this.#db();
    // First occurrence of an id inside the call is the one inserted; later ones are duplicates.
    const firstAt = new Map<string, number>();
    records.forEach((r, i) => {
      if (!firstAt.has(r.message.record.id)) firstAt.set(r.message.record.id, i);
    });
    // Sorted by id: concurrent batches then take row locks in one order and cannot deadlock.
    const unique = [...firstAt.values()]
      .map((i) => records[i]!)
      .sort((a, b) => (a.message.record.id < b.message.record.id ? -1 : 1));
    const stored = new Set<string>();
    const chunk = this.#opts.chunk ?? 1000;
    for (let i = 0; i < unique.length; i += chunk) {
      const part = unique.slice(i, i + chunk);
      const m = part.map((r) => r.message);
      const res = await db.query<{ id: string }>(
        `INSERT INTO ${this.table} (id, station_id, county, seq, created_at, sent_at, received_at, record, observations)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::text[],
                              $7::timestamptz[], $8::jsonb[], $9::jsonb[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          m.map((x) => x.record.id),
          m.map((x) => x.stationId),
          m.map((x) => x.county),
          m.map((x) => x.record.seq),
          m.map((x) => x.record.createdAt),
          m.map((x) => x.sentAt),
          part.map((r) => r.receivedAt),
          m.map((x) => JSON.stringify(x.record)),
          m.map((x) => JSON.stringify(x.observations)),
        ],
      );
      for (const row of res.rows) stored.add(row.id);
    }
    return records.map((r, i) => {
      const id = r.message.record.id;
      return { id, status: firstAt.get(id) === i && stored.has(id) ? "stored" : "duplicate" };
    });
  }

  /** Audit events and outcomes: one INSERT … ON CONFLICT (id) DO NOTHING per call, like putMany. */
  async putEvents(events: ArchivedEvent[]): Promise<Array<{ id: string; status: PutStatus }>> {
    const firstAt = new Map<string, number>();
    events.forEach((e, i) => {
      if (!firstAt.has(e.id)) firstAt.set(e.id, i);
    });
    const unique = [...firstAt.values()].map((i) => events[i]!).sort((a, b) => (a.id < b.id ? -1 : 1));
    const stored = new Set<string>();
    if (unique.length > 0) {
      const res = await this.#db().query<{ id: string }>(
        `INSERT INTO ${this.table}_events (id, stream, station_id, county, received_at, event)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          unique.map((e) => e.id),
          unique.map((e) => e.stream),
          unique.map((e) => e.station),
          unique.map((e) => e.county),
          unique.map((e) => e.receivedAt),
          unique.map((e) => JSON.stringify(e.event)),
        ],
      );
      for (const row of res.rows) stored.add(row.id);
    }
    return events.map((e, i) => ({
      id: e.id,
      status: firstAt.get(e.id) === i && stored.has(e.id) ? "stored" : "duplicate",
    }));
  }

  async listEvents(stream: EventStream, opts: ListOptions = {}): Promise<ArchivedEvent[]> {
    const args: unknown[] = [stream];
    const where = ["stream = $1"];
    if (opts.station) where.push(`station_id = $${args.push(opts.station)}`);
    if (opts.afterId) where.push(`id > $${args.push(opts.afterId)}::uuid`);
    const r = await this.#db().query<{
      id: string;
      stream: EventStream;
      station_id: string;
      county: string;
      received_at: Date;
      event: Record<string, unknown>;
    }>(
      `SELECT * FROM ${this.table}_events WHERE ${where.join(" AND ")} ORDER BY id LIMIT $${args.push(opts.limit ?? DEFAULT_LIST_LIMIT)}`,
      args,
    );
    return r.rows.map((row) => ({
      stream: row.stream,
      county: row.county,
      station: row.station_id,
      id: row.id,
      event: row.event,
      receivedAt: row.received_at.toISOString(),
    }));
  }

  async count(): Promise<number> {
    const r = await this.#db().query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table}`);
    return Number(r.rows[0]?.n ?? 0);
  }

  async get(id: string): Promise<ArchivedRecord | null> {
    // A malformed id cannot be stored; asking for one is "not found", not a SQL error.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return null;
    const r = await this.#db().query<Row>(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return r.rows[0] ? fromRow(r.rows[0]) : null;
  }

  async list(opts: ListOptions = {}): Promise<ArchivedRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.station) where.push(`station_id = $${args.push(opts.station)}`);
    if (opts.afterId) where.push(`id > $${args.push(opts.afterId)}::uuid`);
    const sql = `SELECT * FROM ${this.table} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                 ORDER BY id LIMIT $${args.push(opts.limit ?? DEFAULT_LIST_LIMIT)}`;
    const r = await this.#db().query<Row>(sql, args);
    return r.rows.map(fromRow);
  }

  #db(): pg.Pool {
    if (!this.#pool) throw new Error("archive store is not open");
    return this.#pool;
  }
}

function fromRow(row: Row): ArchivedRecord {
  // The record's own version says which message carried it (every version is stored alike).
  const rest = {
    type: "checkup-record" as const,
    county: row.county,
    stationId: row.station_id,
    sentAt: row.sent_at,
    observations: row.observations,
  };
  return {
    message: messageOf(rest, row.record),
    receivedAt: row.received_at.toISOString(),
  };
}

/** The message version always follows the record's (docs/mqtt-api.md "Record versions"). */
function messageOf(
  rest: Omit<RecordMessage, "v" | "record">,
  record: RecordMessage["record"],
): RecordMessage {
  switch (record.schemaVersion) {
    case 3:
      return { ...rest, v: 3, record };
    case 2:
      return { ...rest, v: 2, record };
    default:
      return { ...rest, v: 1, record };
  }
}
