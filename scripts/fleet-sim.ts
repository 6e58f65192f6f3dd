/**
 * npm run fleet-sim -- --stations N --county C --url mqtts://… --ca ca.crt [--dir D]
 *   [--prefix sim-] [--keepalive 60] [--id-offset 0]
 * Runs N light stations in one process, each with the station's own MQTT code: the uploader's
 * link (bdSeq, birth, Will, jittered reconnect, packet guard) and the fleet agent (health,
 * alarms, county config, commands), over an in-memory record store and no devices. Station i is
 * `{prefix}{i}` with the password in HS_MQTT_PASSWORD. Prints `READY n` once every station has
 * been started and `UP n` whenever the number connected changes (at most twice a second).
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../station/config/load.js";
import type { StationConfig } from "../station/config/schema.js";
import { FleetAgent } from "../station/fleet/agent.js";
import { rosterPack } from "../station/fleet/roster-pack.js";
import { createRoster } from "../station/roster/roster.js";
import { SwappableRoster } from "../station/roster/swappable.js";
import { createMemoryStore } from "../station/storage/memory-store.js";
import { Uploader } from "../station/upload/uploader.js";
import { silentLogger } from "../station/util/logger.js";

const { values: v } = parseArgs({
  options: {
    stations: { type: "string", default: "10" },
    county: { type: "string", default: "demo-county" },
    url: { type: "string" },
    ca: { type: "string" },
    dir: { type: "string", default: join(tmpdir(), "hs-fleet-sim") },
    prefix: { type: "string", default: "sim-" },
    keepalive: { type: "string", default: "60" },
    "id-offset": { type: "string", default: "0" },
  },
});
if (!v.url) {
  console.error("fleet-sim: --url is required");
  process.exit(64);
}
const n = Number(v.stations);
const password = process.env.HS_MQTT_PASSWORD;
const started = Date.now();
const uploaders: Uploader[] = [];
const agents: FleetAgent[] = [];
const connected = new Set<string>();
let lastPrinted = -1;
const print = () => {
  if (connected.size !== lastPrinted) {
    lastPrinted = connected.size;
    process.stdout.write(`UP ${connected.size}\n`);
  }
};
// Ref'd on purpose: the links' redial timers are unref'd (a station's HTTP server keeps it alive),
// and with every socket closed by a broker restart nothing else would keep this process running.
setInterval(print, 500);

for (let i = 0; i < n; i++) {
  const id = `${v.prefix}${Number(v["id-offset"]) + i}`;
  const dataDir = join(v.dir, id);
  mkdirSync(dataDir, { recursive: true });
  const store = createMemoryStore();
  let running: StationConfig = parseConfig({ station: { id, countyId: v.county } });
  const fileConfig = running;
  let uploader: Uploader | null = null;
  const since = new Date(started).toISOString();
  const agent = new FleetAgent({
    county: v.county,
    stationId: id,
    dataDir,
    store,
    logger: silentLogger,
    settings: { ...running.fleet, checkSeconds: 30 },
    // The station's own roster pack kind: checked whole and swapped in, as on a real station.
    packs: {
      roster: rosterPack(
        new SwappableRoster(createRoster({ version: 1, county: v.county, synthetic: true, people: [] })),
      ),
    },
    config: {
      fileConfig,
      running: () => running,
      appliedVersion: null,
      applyLive: (c) => {
        running = c;
        // As the station does (station/app.ts): county-set health and alarm limits take effect at once.
        agent.updateSettings(c.fleet);
      },
    },
    facts: {
      software: "fleet-sim",
      packs: () => ({ roster: null }),
      devices: () => ({ bp: { state: "connected", since }, glucose: { state: "connected", since } }),
      backlogCount: () => uploader?.status.pending ?? 0,
      rejectedCount: () => 0,
      savesFailing: () => false,
      helpSinceMs: () => null,
      nowMs: () => Date.now(),
      startedAtMs: started,
    },
  });
  uploader = new Uploader({
    store,
    county: v.county,
    stationId: id,
    broker: {
      url: v.url,
      username: id,
      ...(password ? { password } : {}),
      ...(v.ca ? { caFile: v.ca } : {}),
    },
    presence: agent.presence,
    extraTopics: agent.topics,
    keepaliveSeconds: Number(v.keepalive),
    logger: silentLogger,
  });
  agent.attach(uploader);
  uploader.on("status", (s) => {
    if (s.connected) connected.add(id);
    else connected.delete(id);
  });
  await agent.start();
  await uploader.start();
  uploaders.push(uploader);
  agents.push(agent);
}
process.stdout.write(`READY ${n}\n`);

const stop = async () => {
  for (const a of agents) a.stop();
  await Promise.all(uploaders.map((u) => u.stop()));
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
