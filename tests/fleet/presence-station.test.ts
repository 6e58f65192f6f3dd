/**
 * Presence that cannot lie, end to end: the real station process against the real Mosquitto
 * with the shipped config, watched by the county's admin identity. bdSeq in birth and Will,
 * across a clean stop, a restart and a SIGKILL; the birth's details; the rebirth command and its
 * answer; and the county's book ignoring a late Will of an earlier connection.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PresenceBook } from "../../flows/fleet/presence.js";
import { Answer, COUNTY_ADMIN, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { PresenceMessage, presenceTopic } from "../../station/mqtt/presence.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll } from "../faults/lib/children.js";
import { startStation } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { connect } from "../mqtt/clients.js";

const COUNTY = "demo-county";
const ST = "st-presence-1";
const PW = "station-pw-0123";
const ADMIN = { username: COUNTY_ADMIN, password: "admin-pw-0123" };

let broker: FaultBroker;
let dir: string;
let admin: MqttClient;
const heard: { topic: string; payload: string; at: number }[] = [];

beforeAll(async () => {
  broker = await startFaultBroker([ADMIN, { username: ST, password: PW }]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-presence-"));
  admin = await connect({ url: broker.url, ca: broker.ca, ...ADMIN });
  admin.on("message", (topic, payload) => heard.push({ topic, payload: payload.toString(), at: Date.now() }));
  await admin.subscribeAsync([presenceTopic(COUNTY, "+"), fleetTopics.answer(COUNTY, "+")], { qos: 1 });
});
afterAll(async () => {
  await admin?.endAsync(true);
  await killAll();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

const presences = () =>
  heard
    .filter((m) => m.topic === presenceTopic(COUNTY, ST))
    .map((m) => PresenceMessage.parse(JSON.parse(m.payload)));
const answers = () =>
  heard
    .filter((m) => m.topic === fleetTopics.answer(COUNTY, ST))
    .map((m) => Answer.parse(JSON.parse(m.payload)));
const station = () =>
  startStation({
    dir,
    stationId: ST,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: PW },
  });
const waitPresences = (n: number, what: string) =>
  until(
    () => presences(),
    (p) => p.length >= n,
    what,
    30_000,
  );
const command = (id: string, name: string, ttlMs = 60_000) =>
  admin.publishAsync(
    fleetTopics.cmd(COUNTY, ST),
    JSON.stringify({
      v: 1,
      type: "command",
      id,
      name,
      expiresAt: new Date(Date.now() + ttlMs).toISOString(),
    }),
    { qos: 1 },
  );

it("carries one bdSeq per connection in birth and death, across a clean stop, a restart and a SIGKILL", async () => {
  const first = await station();
  const [b1] = await waitPresences(1, "first birth");
  expect(b1).toMatchObject({ state: "online", stationId: ST });
  expect(b1!.birth).toMatchObject({
    software: JSON.parse(await readFile(join(import.meta.dirname, "../../package.json"), "utf8")).version,
    configVersion: null,
    backlog: { count: 0, oldestAt: null },
    clock: { suspect: false },
  });
  expect(Object.keys(b1!.birth!.devices).sort()).toEqual([
    "bp",
    "cardReader",
    "glucose",
    "peripherals",
    "printer",
  ]);
  expect(b1!.birth!.diskFreeBytes).toBeGreaterThan(0);

  // Rebirth on request: same bdSeq, answered, audited; an expired command is refused.
  await command("rb-1", "rebirth");
  await command("rb-old", "rebirth", -1_000);
  await until(
    () => answers(),
    (a) => a.length >= 2,
    "two answers",
    15_000,
  );
  expect(answers().map((a) => [a.id, a.status])).toEqual([
    ["rb-1", "done"],
    ["rb-old", "expired"],
  ]);
  await waitPresences(2, "rebirth");
  expect(presences()[1]).toMatchObject({ state: "online", bdSeq: b1!.bdSeq });

  await first.stop();
  await waitPresences(3, "clean death");
  expect(presences()[2]).toMatchObject({ state: "offline", reason: "clean", bdSeq: b1!.bdSeq });
  const audit = (await readFile(join(first.dataDir, "fleet/audit.jsonl"), "utf8")).trim().split("\n");
  expect(audit.map((l) => JSON.parse(l).id)).toEqual(["rb-1", "rb-old"]);

  const second = await station();
  await waitPresences(4, "second birth");
  expect(presences()[3]).toMatchObject({ state: "online", bdSeq: b1!.bdSeq + 1 });
  await second.kill();
  await waitPresences(5, "the Will");
  expect(presences()[4]).toMatchObject({ state: "offline", reason: "lost", bdSeq: b1!.bdSeq + 1 });

  const third = await station();
  await waitPresences(6, "third birth");
  expect(presences()[5]).toMatchObject({ state: "online", bdSeq: b1!.bdSeq + 2 });

  // The county's book, fed what it heard plus the second connection's Will arriving late.
  const book = new PresenceBook();
  for (const m of heard.filter((x) => x.topic === presenceTopic(COUNTY, ST))) book.apply(ST, m.payload, m.at);
  const late = heard.filter((x) => x.topic === presenceTopic(COUNTY, ST))[4]!;
  expect(book.apply(ST, late.payload, Date.now()).kind).toBe("stale");
  expect(book.get(ST)).toMatchObject({ online: true, bdSeq: b1!.bdSeq + 2 });
  await third.stop();
}, 120_000);
