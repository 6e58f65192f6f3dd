/**
 * Issue 11 §6 (npm start): the embedded broker gives the in-process fleet monitor a `county-admin`
 * login made at start-up, so the demo station's birth reaches the fleet state; nobody else can
 * log in as county-admin.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type EmbeddedCounty, startEmbeddedCounty } from "../../station/embedded/county.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { presencePayload, presenceTopic } from "../../station/mqtt/presence.js";
import { silentLogger } from "../../station/util/logger.js";
import { until } from "../faults/lib/wait.js";

const COUNTY = "demo-county";
const STATION = "st-demo-01";
let dir: string;
let county: EmbeddedCounty;
const clients: MqttClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hs-embedded-fleet-"));
  county = await startEmbeddedCounty({
    county: COUNTY,
    stationId: STATION,
    archiveDir: join(dir, "archive"),
    fleetDir: join(dir, "fleet"),
    logger: silentLogger,
  });
});
afterAll(async () => {
  for (const c of clients) await c.endAsync(true).catch(() => {});
  await county?.stop();
  await rm(dir, { recursive: true, force: true });
});

const connect = async (o: { clientId: string; username?: string; password?: string }) => {
  const c = await mqtt.connectAsync(county.url, { protocolVersion: 4, reconnectPeriod: 0, ...o });
  clients.push(c);
  return c;
};

it("the station's birth shows in the embedded fleet monitor", async () => {
  const st = await connect({ clientId: STATION, ...county.station });
  await st.publishAsync(presenceTopic(COUNTY, STATION), presencePayload(STATION, "online", new Date(), 7), {
    qos: 1,
    retain: true,
  });
  type Page = { total: number; stations: { stationId: string; online: boolean; bdSeq: number }[] };
  const body = await until(
    async () => (await (await fetch(`${county.fleet!.url}/fleet/stations`)).json()) as Page,
    (b) => b.total === 1,
    "the station in the fleet state",
    10_000,
  );
  expect(body.stations[0]).toMatchObject({ stationId: STATION, online: true, bdSeq: 7 });
});

it("refuses county-admin without its start-up password, and the station's login as county-admin", async () => {
  await expect(connect({ clientId: COUNTY_ADMIN })).rejects.toThrow();
  await expect(
    connect({ clientId: COUNTY_ADMIN, username: COUNTY_ADMIN, password: "guess" }),
  ).rejects.toThrow();
  await expect(connect({ clientId: COUNTY_ADMIN, ...county.station })).rejects.toThrow();
});
