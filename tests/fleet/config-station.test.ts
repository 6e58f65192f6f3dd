/**
 * Versioned configuration end to end: the real station process against the shipped Mosquitto,
 * the county's admin identity writing retained desired config. Config written while the station
 * is down is applied when it connects; a live key takes effect, a restart-only key waits for the
 * restart; stale, malformed and unauthorised config is refused with a reason (or never arrives);
 * and a station SIGKILLed right after a config arrives comes back on one whole version.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Answer, COUNTY_ADMIN, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { PresenceMessage, presenceTopic } from "../../station/mqtt/presence.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll } from "../faults/lib/children.js";
import { startStation } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { connect } from "../mqtt/clients.js";

const COUNTY = "demo-county";
const ST = "st-config-1";
const PW = "station-pw-0123";
const ADMIN = { username: COUNTY_ADMIN, password: "admin-pw-0123" };

let broker: FaultBroker;
let dir: string;
let admin: MqttClient;
const heard: { topic: string; payload: string }[] = [];

beforeAll(async () => {
  broker = await startFaultBroker([ADMIN, { username: ST, password: PW }]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-config-"));
  admin = await connect({ url: broker.url, ca: broker.ca, ...ADMIN });
  admin.on("message", (topic, payload) => heard.push({ topic, payload: payload.toString() }));
  await admin.subscribeAsync([fleetTopics.answer(COUNTY, ST), presenceTopic(COUNTY, ST)], { qos: 1 });
});
afterAll(async () => {
  await admin?.endAsync(true);
  await killAll();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

const answers = () =>
  heard.filter((m) => m.topic.endsWith("/answer")).map((m) => Answer.parse(JSON.parse(m.payload)));
const births = () =>
  heard
    .filter((m) => m.topic.endsWith("/status"))
    .map((m) => PresenceMessage.parse(JSON.parse(m.payload)))
    .filter((p) => p.state === "online");
const station = () =>
  startStation({
    dir,
    stationId: ST,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: PW },
  });
const desire = (version: number | string, settings: Record<string, unknown>) =>
  admin.publishAsync(
    fleetTopics.config(COUNTY, ST),
    JSON.stringify({ v: 1, type: "config-desired", version, settings, issuedAt: new Date().toISOString() }),
    { qos: 1, retain: true },
  );
const answerFor = (id: string, n = 1) =>
  until(
    () => answers().filter((a) => a.id === id),
    (a) => a.length >= n,
    `answer ${id}`,
    20_000,
  ).then((a) => a.at(-1)!);

it("applies config written while offline, refuses stale/malformed, and holds restart-only keys until a restart", async () => {
  await desire(1, { workflow: { inactivitySeconds: 45 }, fleet: { alarms: { diskLowMegabytes: 10 } } });
  const s1 = await station();
  expect(await answerFor("config:1")).toMatchObject({
    status: "applied",
    result: { live: ["workflow.inactivitySeconds", "fleet.alarms.diskLowMegabytes"], pendingRestart: [] },
  });
  await until(births, (b) => b.some((x) => x.birth?.configVersion === 1), "birth with config 1", 10_000);
  expect(await s1.get<{ fleet: { configVersion: number } }>("/api/health")).toMatchObject({
    fleet: { configVersion: 1 },
  });

  await desire(2, { workflow: { inactivitySeconds: 5, resultSeconds: "x" } });
  const bad = await answerFor("config:2");
  expect(bad).toMatchObject({ status: "rejected" });
  expect(bad.errors).toHaveLength(2);
  await desire(0, { workflow: { inactivitySeconds: 60 } });
  expect(await answerFor("config:0")).toMatchObject({ status: "rejected" });
  await desire("three", {});
  expect((await answerFor("config:?")).status).toBe("rejected");
  // A station cannot write its own desired config (the ACL drops it): nothing is answered.
  const forger = await connect({ url: broker.url, ca: broker.ca, username: ST, password: PW, clientId: ST });
  await forger.publishAsync(
    fleetTopics.config(COUNTY, ST),
    JSON.stringify({ v: 1, type: "config-desired", version: 99 }),
    { qos: 1 },
  );
  await forger.endAsync(true);

  await desire(3, { log: { level: "error" }, workflow: { inactivitySeconds: 60 } });
  expect(await answerFor("config:3")).toMatchObject({
    status: "pending-restart",
    result: { live: ["workflow.inactivitySeconds"], pendingRestart: ["log.level"] },
  });
  // Had the forged v99 arrived, it would have been applied and v3 refused as stale.
  expect(answers().some((a) => a.id === "config:99")).toBe(false);
  await s1.stop();
  const s2 = await station();
  // The retained v3 comes again on connect: re-reported as applied, since it now runs whole.
  expect(await answerFor("config:3", 2)).toMatchObject({ status: "applied" });
  expect(await s2.get<{ fleet: { configVersion: number } }>("/api/health")).toMatchObject({
    fleet: { configVersion: 3 },
  });
  await s2.stop();
}, 120_000);

it("a station SIGKILLed as a config arrives restarts on one whole version and converges on the desired one", async () => {
  const s = await station();
  await answerFor("config:3", 3);
  await desire(4, { workflow: { inactivitySeconds: 77 } });
  await s.kill();
  const applied = JSON.parse(await readFile(join(s.dataDir, "fleet/config-applied.json"), "utf8"));
  expect([3, 4]).toContain(applied.version);
  expect(applied.settings.workflow.inactivitySeconds).toBe(applied.version === 4 ? 77 : 60);
  const again = await station();
  await answerFor("config:4");
  expect(await again.get<{ fleet: { configVersion: number } }>("/api/health")).toMatchObject({
    fleet: { configVersion: 4 },
  });
  await again.stop();
}, 120_000);
