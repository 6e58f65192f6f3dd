/**
 * Issue 11 §6: the county fleet monitor with its state in PostgreSQL (real Mosquitto, real
 * PostgreSQL). The station's birth is sent without retain, so after the restart only the
 * database can know the station.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FleetMonitor, startMonitor } from "../../flows/fleet/monitor.js";
import { PostgresFleetStateStore } from "../../flows/fleet/pg-state-store.js";
import { type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { presencePayload, presenceTopic } from "../../station/mqtt/presence.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { until } from "../faults/lib/wait.js";

const COUNTY = "demo-county";
const PW = "fleet-pw-0123";
const STATION = "pg-st-0";
let broker: FaultBroker;
let pgServer: PgTestServer;
let dir: string;
let monitor: FleetMonitor | null = null;

beforeAll(async () => {
  broker = await startFaultBroker([COUNTY_ADMIN, STATION].map((username) => ({ username, password: PW })));
  pgServer = await startPgTestServer();
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-pg-"));
});
afterAll(async () => {
  await monitor?.stop().catch(() => {});
  await broker?.close();
  await pgServer?.stop();
  await rm(dir, { recursive: true, force: true });
});

const start = () =>
  startMonitor({
    county: COUNTY,
    url: broker.url,
    ca: broker.ca,
    password: PW,
    dataDir: join(dir, "county"),
    store: new PostgresFleetStateStore({ url: pgServer.url, table: "fleet_monitor" }),
    http: { host: "127.0.0.1", port: 0 },
  });

it("keeps a station it heard in PostgreSQL across a monitor restart", async () => {
  monitor = await start();
  const st = await mqtt.connectAsync(broker.url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    username: STATION,
    password: PW,
    ca: broker.ca,
  });
  await st.publishAsync(presenceTopic(COUNTY, STATION), presencePayload(STATION, "online", new Date(), 5), {
    qos: 1,
  });
  const m = monitor;
  await until(
    async () => (await (await fetch(`${m.url}/fleet/summary`)).json()) as { online: number },
    (s) => s.online === 1,
    "the station online",
    10_000,
  );
  await st.endAsync();
  await monitor.stop();
  monitor = await start();
  const page = (await (await fetch(`${monitor.url}/fleet/stations`)).json()) as {
    total: number;
    stations: { stationId: string; bdSeq: number }[];
  };
  expect(page.total).toBe(1);
  expect(page.stations[0]).toMatchObject({ stationId: STATION, bdSeq: 5 });
}, 60_000);
