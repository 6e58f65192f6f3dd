/**
 * A broker without a packet limit (an in-process Aedes) hands the station a command bigger than
 * MAX_PACKET_BYTES: the station drops the link before reading it, reconnects, and tells the
 * county what it refused; nothing of the message is acted on.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Aedes } from "aedes";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "../../station/config/load.js";
import { FleetAgent } from "../../station/fleet/agent.js";
import { Answer, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { MAX_PACKET_BYTES } from "../../station/mqtt/limits.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import { Uploader } from "../../station/upload/uploader.js";
import { silentLogger } from "../../station/util/logger.js";
import { until } from "../faults/lib/wait.js";

const COUNTY = "demo-county";
const ST = "st-big-1";
let broker: Aedes;
let server: Server;
let url: string;
let dir: string;
let county: MqttClient;
let uploader: Uploader;
let agent: FleetAgent;

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-big-"));
});
afterAll(async () => {
  agent?.stop();
  await uploader?.stop();
  await county?.endAsync(true);
  await new Promise((r) => server.close(r));
  await new Promise<void>((r) => broker.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

it("refuses an oversized command unread, reconnects, and reports the refusal to the county", async () => {
  const store = createMemoryStore();
  const config = parseConfig({ station: { id: ST, countyId: COUNTY } });
  const ran: string[] = [];
  agent = new FleetAgent({
    county: COUNTY,
    stationId: ST,
    dataDir: dir,
    store,
    logger: silentLogger,
    settings: config.fleet,
    commands: {
      big: () => {
        ran.push("big");
        return { status: "done" };
      },
    },
    facts: {
      software: "test",
      packs: () => ({}),
      devices: () => ({}),
      backlogCount: () => 0,
      rejectedCount: () => 0,
      savesFailing: () => false,
      helpSinceMs: () => null,
      nowMs: () => Date.now(),
      startedAtMs: Date.now(),
    },
  });
  uploader = new Uploader({
    store,
    county: COUNTY,
    stationId: ST,
    broker: { url },
    presence: agent.presence,
    extraTopics: agent.topics,
    reconnect: { baseMs: 50, capMs: 200 },
    logger: silentLogger,
  });
  agent.attach(uploader);
  await agent.start();
  await uploader.start();
  await until(() => uploader.status.connected, Boolean, "connected", 10_000);
  const firstBdSeq = uploader.bdSeq;

  county = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: "county-admin", reconnectPeriod: 0 });
  const answers: Answer[] = [];
  county.on("message", (_t, p) => answers.push(Answer.parse(JSON.parse(p.toString()))));
  await county.subscribeAsync(fleetTopics.answer(COUNTY, ST), { qos: 1 });
  const big = JSON.stringify({
    v: 1,
    type: "command",
    id: "huge",
    name: "big",
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    args: { junk: "x".repeat(MAX_PACKET_BYTES) },
  });
  await county.publishAsync(fleetTopics.cmd(COUNTY, ST), big, { qos: 1 });

  await until(
    () => answers,
    (a) => a.some((x) => x.about === "message"),
    "the refusal reported",
    15_000,
  );
  const refusal = answers.find((x) => x.about === "message")!;
  expect(refusal).toMatchObject({ status: "refused" });
  expect(refusal.reason).toMatch(
    new RegExp(`oversized.*packet type 3 of \\d+ bytes refused \\(limit ${MAX_PACKET_BYTES}\\)`),
  );
  expect(uploader.bdSeq).toBeGreaterThan(firstBdSeq);
  expect(ran).toEqual([]);
  expect(answers.some((x) => x.id === "huge")).toBe(false);
});
