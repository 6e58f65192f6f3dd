/**
 * Issue 11 §6: the fleet state survives a monitor restart in the file store (the embedded
 * default) and in PostgreSQL (a real server, as the archive's pg tests use).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresFleetStateStore } from "../../flows/fleet/pg-state-store.js";
import type { StationPresence } from "../../flows/fleet/presence.js";
import { FileFleetStateStore, type FleetStateStore } from "../../flows/fleet/state-store.js";
import { type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";

const station = (id: string, bdSeq: number, online: boolean): StationPresence => ({
  stationId: id,
  online,
  bdSeq,
  offlineReason: online ? null : "lost",
  since: "2026-11-30T08:00:00.000Z",
  lastSeenAt: "2026-11-30T08:05:00.000Z",
  birth: null,
});

let pgServer: PgTestServer;
let dir: string;
beforeAll(async () => {
  pgServer = await startPgTestServer();
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-state-"));
});
afterAll(async () => {
  await pgServer?.stop();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const kinds: Array<[string, () => FleetStateStore]> = [
  ["file", () => new FileFleetStateStore(join(dir, `f${n}`))],
  ["postgres", () => new PostgresFleetStateStore({ url: pgServer.url, table: `fleet_t${n}` })],
];

describe.each(kinds)("%s fleet state store", (_kind, make) => {
  it("starts empty, and a reopened store loads the last state saved", async () => {
    n++;
    const a = make();
    await a.open();
    expect(await a.load()).toEqual([]);
    await a.save([station("st-b", 3, true), station("st-a", 1, true)]);
    await a.save([station("st-a", 2, false), station("st-b", 3, true)]);
    await a.close();
    const b = make();
    await b.open();
    const loaded = (await b.load()).sort((x, y) => x.stationId.localeCompare(y.stationId));
    expect(loaded).toEqual([station("st-a", 2, false), station("st-b", 3, true)]);
    await b.close();
  });
});

it("two PostgreSQL stores opening the same table at once both work", async () => {
  const a = new PostgresFleetStateStore({ url: pgServer.url, table: "fleet_both" });
  const b = new PostgresFleetStateStore({ url: pgServer.url, table: "fleet_both" });
  await Promise.all([a.open(), b.open()]);
  await a.save([station("st-x", 1, true)]);
  expect(await b.load()).toEqual([station("st-x", 1, true)]);
  await Promise.all([a.close(), b.close()]);
});
