/**
 * Health and alarms end to end: the real station process (its fleet limits set low) against the
 * shipped Mosquitto, watched by the county's admin identity. A device unplugged past its limit
 * raises an alarm; plugged back, the alarm clears; the retained alarm set a late county reads
 * is the one that holds now; health reports carry a gap-free seq.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AlarmBook, SeqWatch } from "../../flows/fleet/alarm-book.js";
import { COUNTY_ADMIN, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { AlarmsMessage, HealthMessage } from "../../station/mqtt/fleet-reports.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll } from "../faults/lib/children.js";
import { type StationProcess, startStation } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { connect } from "../mqtt/clients.js";

const COUNTY = "demo-county";
const ST = "st-health-1";
const PW = "station-pw-0123";
const ADMIN = { username: COUNTY_ADMIN, password: "admin-pw-0123" };

let broker: FaultBroker;
let dir: string;
let admin: MqttClient;
let station: StationProcess;
const heard: { topic: string; payload: string }[] = [];

beforeAll(async () => {
  broker = await startFaultBroker([ADMIN, { username: ST, password: PW }]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-health-"));
  admin = await connect({ url: broker.url, ca: broker.ca, ...ADMIN });
  admin.on("message", (topic, payload) => heard.push({ topic, payload: payload.toString() }));
  await admin.subscribeAsync([fleetTopics.health(COUNTY, ST), fleetTopics.alarms(COUNTY, ST)], { qos: 1 });
  station = await startStation({
    dir,
    stationId: ST,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: PW },
    config: { fleet: { checkSeconds: 1, healthPeriodSeconds: 10, alarms: { deviceDownSeconds: 2 } } },
  });
});
afterAll(async () => {
  await station?.stop().catch(() => {});
  await admin?.endAsync(true);
  await killAll();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

const alarms = () =>
  heard
    .filter((m) => m.topic === fleetTopics.alarms(COUNTY, ST))
    .map((m) => AlarmsMessage.parse(JSON.parse(m.payload)));
const health = () =>
  heard
    .filter((m) => m.topic === fleetTopics.health(COUNTY, ST))
    .map((m) => HealthMessage.parse(JSON.parse(m.payload)));
const activeIds = () => (alarms().at(-1)?.active ?? []).map((a) => a.id);

it("raises device-disconnected past its limit, clears it when plugged back; health reports without gaps", async () => {
  await until(
    () => health(),
    (h) => h.length >= 1,
    "first health report",
    15_000,
  );
  expect(health()[0]).toMatchObject({ cause: "birth", metrics: { devicesDisconnected: 0 } });
  expect(activeIds()).toEqual([]);

  const unplugAt = Date.now();
  await station.post("/api/sim/device", { name: "bp", plugged: false });
  // Health sees the change at once (deadband 0); the alarm waits for its limit.
  await until(
    () => health(),
    (h) => h.some((x) => x.metrics.devicesDisconnected === 1),
    "health change",
    10_000,
  );
  expect(health().find((x) => x.metrics.devicesDisconnected === 1)?.cause).toBe("change");
  await until(activeIds, (ids) => ids.includes("device-disconnected:bp"), "alarm raised", 15_000);
  const raised = alarms().at(-1)!;
  expect(Date.now() - unplugAt).toBeGreaterThanOrEqual(2_000);
  expect(raised.changes).toEqual([
    expect.objectContaining({ id: "device-disconnected:bp", event: "raised" }),
  ]);
  expect(raised.active[0]).toMatchObject({ kind: "device-disconnected", severity: "major" });

  await station.post("/api/sim/device", { name: "bp", plugged: true });
  await until(activeIds, (ids) => ids.length === 0, "alarm cleared", 15_000);
  expect(alarms().at(-1)!.changes).toEqual([
    expect.objectContaining({ id: "device-disconnected:bp", event: "cleared" }),
  ]);

  // A county process starting now reads the retained set: nothing holds.
  const late = await connect({ url: broker.url, ca: broker.ca, ...ADMIN, clientId: "ignored" });
  // Same username as `admin`: the broker hands `late` that session, so `admin` is done listening here.
  const book = new AlarmBook();
  const got = new Promise<void>((resolve) =>
    late.on("message", (_t, p) => {
      book.apply(ST, p);
      resolve();
    }),
  );
  await late.subscribeAsync(fleetTopics.alarms(COUNTY, ST), { qos: 1 });
  await got;
  expect(book.list([], 60_000, Date.now())).toEqual([]);
  await late.endAsync(true);

  // Health and alarms share one seq per connection: no gap in what the county heard.
  const watch = new SeqWatch();
  const all = heard
    .filter((m) => m.topic.endsWith("/health") || m.topic.endsWith("/alarms"))
    .map((m) => JSON.parse(m.payload) as { bdSeq: number; seq: number });
  watch.birth(ST, all[0]!.bdSeq);
  expect(all.map((m) => watch.see(ST, m.bdSeq, m.seq))).toEqual(all.map(() => "ok"));
}, 90_000);
