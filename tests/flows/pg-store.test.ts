import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresArchiveStore } from "../../flows/archive/pg-store.js";
import { findPostgresBin, type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";
import { archiveStoreContract } from "./archive-store.contract.js";
import { archived, recordId } from "./fixtures.js";

// A real PostgreSQL server; missing binaries fail this file with a message naming the package.
let server: PgTestServer;
beforeAll(async () => {
  server = await startPgTestServer();
});
afterAll(async () => {
  await server?.stop();
});

let tableNo = 0;
archiveStoreContract("PostgresArchiveStore", async () => {
  const table = `t${++tableNo}_records`;
  let store = new PostgresArchiveStore({ url: server.url, table, chunk: 1000 });
  await store.open();
  return {
    store,
    reopen: async () => {
      await store.close();
      store = new PostgresArchiveStore({ url: server.url, table });
      await store.open();
      return store;
    },
    cleanup: async () => {
      await store.close();
    },
  };
});

describe("PostgresArchiveStore schema", () => {
  it("creates the tables and records schema versions 1 and 2 once, even when two receivers open at once", async () => {
    const a = new PostgresArchiveStore({ url: server.url, table: "mig_records" });
    const b = new PostgresArchiveStore({ url: server.url, table: "mig_records" });
    await Promise.all([a.open(), b.open()]);
    expect(await a.schemaVersion()).toBe(2);
    const c = new pg.Client(server.url);
    await c.connect();
    const versions = await c.query("SELECT version FROM mig_records_schema_version ORDER BY version");
    const cols = await c.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'mig_records'",
    );
    await c.end();
    expect(versions.rows).toEqual([{ version: 1 }, { version: 2 }]);
    const types = Object.fromEntries(cols.rows.map((r) => [r.column_name, r.data_type]));
    expect(types).toMatchObject({
      id: "uuid",
      record: "jsonb",
      observations: "jsonb",
      received_at: "timestamp with time zone",
    });
    await a.close();
    await b.close();
  });

  it("keeps the record as queryable JSON (what a county's own SQL reads)", async () => {
    const s = new PostgresArchiveStore({ url: server.url, table: "sql_records" });
    await s.open();
    await s.putMany([archived(1)]);
    await s.close();
    const c = new pg.Client(server.url);
    await c.connect();
    const r = await c.query(
      "SELECT record->'person'->>'idNumber' AS id_number, seq FROM sql_records WHERE id = $1",
      [recordId(1)],
    );
    await c.end();
    expect(r.rows).toEqual([{ id_number: archived(1).message.record.person.idNumber, seq: "1" }]);
  });
});

describe("test server discovery", () => {
  it("fails with the Debian package name when the server binaries are missing", () => {
    expect(() => findPostgresBin("/nonexistent-postgresql-root")).toThrow(/Debian package `postgresql`/);
  });

  it("finds the installed version dynamically", () => {
    expect(findPostgresBin()).toMatch(/^\/usr\/lib\/postgresql\/\d+(\.\d+)?\/bin$/);
  });
});
