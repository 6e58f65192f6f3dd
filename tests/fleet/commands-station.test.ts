/**
 * The county's commands to the real station process over the shipped Mosquitto: the last log
 * lines come back scrubbed of personal data, "retry-uploads" answers with the backlog, and
 * "restart" stops the station cleanly (its death published) with the exit code the service
 * manager restarts on. Every command is in the station's audit log.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Answer, COUNTY_ADMIN, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { PresenceMessage, presenceTopic } from "../../station/mqtt/presence.js";
import { scrub } from "../../station/util/log-ring.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll } from "../faults/lib/children.js";
import { startStation } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { connect } from "../mqtt/clients.js";

const COUNTY = "demo-county";
const ST = "st-cmd-1";
const PW = "station-pw-0123";
const ADMIN = { username: COUNTY_ADMIN, password: "admin-pw-0123" };

let broker: FaultBroker;
let dir: string;
let admin: MqttClient;
const heard: { topic: string; payload: string }[] = [];

beforeAll(async () => {
  broker = await startFaultBroker([ADMIN, { username: ST, password: PW }]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-cmd-"));
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
const command = (id: string, name: string, args: Record<string, unknown> = {}) =>
  admin.publishAsync(
    fleetTopics.cmd(COUNTY, ST),
    JSON.stringify({
      v: 1,
      type: "command",
      id,
      name,
      args,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    }),
    { qos: 1 },
  );
const answerFor = (id: string) =>
  until(() => answers().find((a) => a.id === id), Boolean, `answer ${id}`, 20_000) as Promise<Answer>;

it("scrubs ID numbers, mobile numbers and Chinese text from log lines", () => {
  expect(scrub("card 51012319900101123X read for 杨秀花, phone 13812345678, seq 42")).toBe(
    "card [id] read for […], phone [phone], seq 42",
  );
});

it("answers logs and retry-uploads, and restarts on command with its death published", async () => {
  const s = await station();
  // A villager's card tapped: the kind of moment personal data could reach a log line.
  await s.post("/api/sim/card", { idNumber: await firstRosterId() });
  await command("lg-1", "logs", { lines: 50 });
  const logs = await answerFor("lg-1");
  expect(logs.status).toBe("done");
  const lines = (logs.result as { lines: string[] }).lines;
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.length).toBeLessThanOrEqual(50);
  for (const l of lines) expect(l).not.toMatch(/\d{17}[\dXx]|[\u3400-\u9fff]/);

  await command("ru-1", "retry-uploads");
  expect(await answerFor("ru-1")).toMatchObject({ status: "done", result: { pending: 0 } });

  await command("rs-1", "restart");
  expect(await answerFor("rs-1")).toMatchObject({ status: "done" });
  expect(await s.exitCode).toBe(75);
  const last = heard.filter((m) => m.topic.endsWith("/status")).at(-1)!;
  expect(PresenceMessage.parse(JSON.parse(last.payload))).toMatchObject({
    state: "offline",
    reason: "clean",
  });
  const audit = (await readFile(join(s.dataDir, "fleet/audit.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(audit.map((a) => [a.id, a.name, a.status])).toEqual([
    ["lg-1", "logs", "done"],
    ["ru-1", "retry-uploads", "done"],
    ["rs-1", "restart", "done"],
  ]);
}, 90_000);

function station() {
  return startStation({
    dir,
    stationId: ST,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: PW },
    // The ring keeps what the logger emits: info lines, so there is something to send.
    config: { log: { level: "info" } },
  });
}

async function firstRosterId(): Promise<string> {
  const roster = JSON.parse(
    await readFile(join(import.meta.dirname, "../../station/data/demo-roster.json"), "utf8"),
  );
  return roster.people[0].idNumber as string;
}
