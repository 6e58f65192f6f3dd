/**
 * `node dist/flows/fleet/monitor-main.js --county C --url mqtts://… --ca ca.crt --data-dir D
 * [--port 1881]`: the county fleet monitor as its own process (password in HS_MQTT_PASSWORD). The
 * fleet state goes to PostgreSQL when HS_FLEET_PG_URL is set, else to D/fleet-state.json.
 * Prints `READY <url>` once it serves.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startMonitor } from "./monitor.js";
import { PostgresFleetStateStore } from "./pg-state-store.js";

const { values: v } = parseArgs({
  options: {
    county: { type: "string" },
    url: { type: "string" },
    ca: { type: "string" },
    "data-dir": { type: "string", default: "var/county-fleet" },
    port: { type: "string", default: "1881" },
    "offline-alarm-seconds": { type: "string", default: "600" },
  },
});
if (!v.county || !v.url) {
  console.error(
    "usage: monitor-main --county C --url mqtts://host:8883 [--ca ca.crt] [--data-dir D] [--port P]",
  );
  process.exit(64);
}
const m = await startMonitor({
  county: v.county,
  url: v.url,
  ...(v.ca ? { ca: readFileSync(v.ca) } : {}),
  ...(process.env.HS_MQTT_PASSWORD ? { password: process.env.HS_MQTT_PASSWORD } : {}),
  dataDir: v["data-dir"],
  ...(process.env.HS_FLEET_PG_URL
    ? { store: new PostgresFleetStateStore({ url: process.env.HS_FLEET_PG_URL }) }
    : {}),
  http: { host: "127.0.0.1", port: Number(v.port) },
  offlineAlarmMs: Number(v["offline-alarm-seconds"]) * 1000,
});
process.stdout.write(`READY ${m.url}\n`);
const stop = () => void m.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
