/**
 * The county fleet monitor with `npm run fleet-sim` stations over the shipped Mosquitto: the
 * stations appear online with their births, a config rollout through the monitor is answered
 * applied by each, the fleet state is saved when the monitor stops, and the monitor's HTTP API is on
 * loopback only.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FleetMonitor, startMonitor } from "../../flows/fleet/monitor.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll, spawnUntilReady } from "../faults/lib/children.js";
import { until } from "../faults/lib/wait.js";

const COUNTY = "demo-county";
const PW = "fleet-pw-0123";
const ROOT = join(import.meta.dirname, "../..");
const STATIONS = ["mon-0", "mon-1", "mon-2"];

let broker: FaultBroker;
let dir: string;
let monitor: FleetMonitor;

beforeAll(async () => {
  broker = await startFaultBroker(
    [COUNTY_ADMIN, ...STATIONS].map((username) => ({ username, password: PW })),
  );
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-monitor-"));
});
afterAll(async () => {
  await monitor?.stop().catch(() => {});
  await killAll();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

const start = () =>
  startMonitor({
    county: COUNTY,
    url: broker.url,
    ca: broker.ca,
    password: PW,
    dataDir: join(dir, "county"),
    http: { host: "127.0.0.1", port: 0 },
  });
const get = async <T>(path: string): Promise<T> => (await (await fetch(`${monitor.url}${path}`)).json()) as T;

it("sees simulated stations online, rolls a config out to them, and saves the fleet state when it stops", async () => {
  monitor = await start();
  await spawnUntilReady(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/fleet-sim.ts",
      "--stations",
      "3",
      "--prefix",
      "mon-",
      "--county",
      COUNTY,
      "--url",
      broker.url,
      "--ca",
      broker.caFile,
      "--dir",
      join(dir, "sim"),
    ],
    { cwd: ROOT, env: { ...process.env, HS_MQTT_PASSWORD: PW } },
    /^READY 3$/m,
    "fleet-sim",
    60_000,
  );
  await until(
    () => get<{ online: number }>("/fleet/summary"),
    (s) => s.online === 3,
    "3 online",
    30_000,
  );
  const page = await get<{ total: number; stations: { stationId: string; birth: { software: string } }[] }>(
    "/fleet/stations?offset=1&limit=1",
  );
  expect(page.total).toBe(3);
  expect(page.stations.map((s) => [s.stationId, s.birth.software])).toEqual([["mon-1", "fleet-sim"]]);

  const res = await fetch(`${monitor.url}/fleet/config`, {
    method: "POST",
    body: JSON.stringify({
      stations: STATIONS,
      version: 4,
      settings: { fleet: { healthPeriodSeconds: 60 } },
    }),
  });
  expect(await res.json()).toEqual({ sent: 3, id: "config:4" });
  const answers = await until(
    () => get<Record<string, { status: string }>>("/fleet/answers?id=config:4"),
    (a) => Object.keys(a).length === 3,
    "3 answers",
    30_000,
  );
  expect(Object.values(answers).map((a) => a.status)).toEqual(["applied", "applied", "applied"]);
  expect((await fetch(`${monitor.url}/fleet/config`, { method: "POST", body: "{}" })).status).toBe(400);

  // A roster pack through the monitor, checked and swapped in by each simulated station.
  const roster = await readFile(join(ROOT, "station/data/demo-roster.json"));
  const packed = await fetch(`${monitor.url}/fleet/pack`, {
    method: "POST",
    body: JSON.stringify({
      stations: STATIONS,
      name: "roster",
      version: 2,
      base64: roster.toString("base64"),
    }),
  });
  expect(await packed.json()).toMatchObject({ sent: 3, id: "pack:roster:2" });
  const packAnswers = await until(
    () => get<Record<string, { status: string }>>("/fleet/answers?id=pack:roster:2"),
    (a) => Object.values(a).filter((x) => x.status === "applied").length === 3,
    "3 stations on roster 2",
    30_000,
  );
  expect(Object.keys(packAnswers).sort()).toEqual(STATIONS);
  await until(
    () => get<{ stations: { birth: { packs: { roster: string | null } } }[] }>("/fleet/stations"),
    (p) => p.stations.every((x) => x.birth.packs.roster === "2"),
    "births showing roster 2",
    30_000,
  );

  await monitor.stop();
  const saved = JSON.parse(await readFile(join(dir, "county/fleet-state.json"), "utf8")) as {
    stations: { stationId: string; online: boolean }[];
  };
  expect(saved.stations.map((s) => [s.stationId, s.online]).sort()).toEqual(STATIONS.map((s) => [s, true]));
  // Reloading that state is proven where nothing else can supply it: tests/fleet/state-store.test.ts
  // (both stores) and monitor-pg.test.ts (a birth sent without retain). Here the stations still run
  // and their retained births would refill a monitor that had saved nothing.
  monitor = await start();
}, 120_000);

it("serves only on loopback", async () => {
  const port = Number(new URL(monitor.url).port);
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  if (!external) throw new Error("this machine has no non-loopback IPv4 address to test against");
  await expect(fetch(`http://${external}:${port}/fleet/summary`)).rejects.toThrow();
});
