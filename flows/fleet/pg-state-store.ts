/**
 * The fleet state in PostgreSQL: one row per station (its presence as jsonb), upserted in one
 * statement per save. The table is created on open under an advisory lock, so two monitors may
 * start at once.
 */
import pg from "pg";
import type { StationPresence } from "./presence.js";
import type { FleetStateStore } from "./state-store.js";

const IDENT = /^[a-z_][a-z0-9_]{0,40}$/;

export class PostgresFleetStateStore implements FleetStateStore {
  readonly table: string;
  #pool: pg.Pool | null = null;
  constructor(private readonly opts: { url: string; table?: string }) {
    this.table = opts.table ?? "fleet_stations";
    if (!IDENT.test(this.table)) throw new TypeError(`bad table name ${this.table}`);
  }
  async open(): Promise<void> {
    this.#pool = new pg.Pool({ connectionString: this.opts.url, max: 2 });
    // A dropped idle connection must not crash the monitor; the next query reconnects.
    this.#pool.on("error", () => {});
    const c = await this.#pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`hs-fleet:${this.table}`]);
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (station_id text PRIMARY KEY, presence jsonb NOT NULL, saved_at timestamptz NOT NULL DEFAULT now())`,
      );
      await c.query("COMMIT");
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }
  async load(): Promise<StationPresence[]> {
    const r = await this.#db().query<{ presence: StationPresence }>(
      `SELECT presence FROM ${this.table} ORDER BY station_id`,
    );
    return r.rows.map((row) => row.presence);
  }
  async save(stations: StationPresence[]): Promise<void> {
    if (stations.length === 0) return;
    await this.#db().query(
      `INSERT INTO ${this.table} (station_id, presence, saved_at)
       SELECT s, p, now() FROM unnest($1::text[], $2::jsonb[]) AS u(s, p)
       ON CONFLICT (station_id) DO UPDATE SET presence = EXCLUDED.presence, saved_at = now()`,
      [stations.map((s) => s.stationId), stations.map((s) => JSON.stringify(s))],
    );
  }
  async close(): Promise<void> {
    await this.#pool?.end();
    this.#pool = null;
  }
  #db(): pg.Pool {
    if (!this.#pool) throw new Error("fleet state store not open");
    return this.#pool;
  }
}
