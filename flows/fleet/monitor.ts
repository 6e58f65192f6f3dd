/**
 * The county's fleet monitor (a process of its own, or in-process): as the county's admin
 * identity it hears every station's presence, health, alarms and answers, keeps them in the
 * presence and alarm books, asks for a rebirth on a sequence gap, saves the fleet state (a file,
 * or PostgreSQL when given; at most every few seconds) and serves it as JSON:
 *   GET /fleet/summary                      counts: stations, online, alarms
 *   GET /fleet/stations?offset=0&limit=100  paged (a county has hundreds; a province far more)
 *   GET /fleet/alarms                       every alarm holding, with its acknowledgement
 *   GET /fleet/answers?id=config:3          per station, the last answer with that id
 *   POST /fleet/config {stations, version, settings}   publishes desired config (retained) to each
 *   POST /fleet/pack {stations, name, version, base64}  publishes a data pack's chunks to each
 * Loopback only: it is for county IT on the county's own machine.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import mqtt, { type MqttClient } from "mqtt";
import { type Answer, COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import type { AlarmBook } from "./alarm-book.js";
import { FleetState, type Outgoing } from "./fleet-state.js";
import type { PresenceBook } from "./presence.js";
import { FileFleetStateStore, FleetSaver, type FleetStateStore } from "./state-store.js";

export interface MonitorOptions {
  county: string;
  url: string;
  ca?: Buffer;
  username?: string;
  password?: string;
  /** Fleet state is saved here (fleet-state.json) unless a store is given. */
  dataDir: string;
  /** Where the fleet state is kept (PostgresFleetStateStore); opened and closed by the monitor. */
  store?: FleetStateStore;
  http: { host: string; port: number };
  /** A station silent this long is an "offline" alarm. Default 10 min. */
  offlineAlarmMs?: number;
}

export interface FleetMonitor {
  url: string;
  fleet: FleetState;
  presence: PresenceBook;
  alarms: AlarmBook;
  answers: Map<string, Map<string, Answer>>;
  stop(): Promise<void>;
}

export async function startMonitor(o: MonitorOptions): Promise<FleetMonitor> {
  const fleet = new FleetState(o.county, o.offlineAlarmMs ?? 600_000, o.username ?? COUNTY_ADMIN);
  const store = o.store ?? new FileFleetStateStore(o.dataDir);
  const saver = await FleetSaver.open(fleet, store);

  const client: MqttClient = await mqtt.connectAsync(o.url, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 2_000,
    username: o.username ?? COUNTY_ADMIN,
    // Mosquitto makes the username the client id anyway; the embedded broker requires it.
    clientId: o.username ?? COUNTY_ADMIN,
    ...(o.password ? { password: o.password } : {}),
    ...(o.ca ? { ca: o.ca, rejectUnauthorized: true } : {}),
  });
  const sendAll = (msgs: Outgoing[]) =>
    Promise.all(msgs.map((m) => client.publishAsync(m.topic, m.payload, { qos: m.qos, retain: m.retain })));
  client.on("message", (topic, payload) => {
    const out = fleet.hear(topic, payload, Date.now());
    if (out.length) sendAll(out).catch(() => {});
  });
  await client.subscribeAsync(fleet.subscriptions(), { qos: 1 });

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const send = (body: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "POST" && (u.pathname === "/fleet/pack" || u.pathname === "/fleet/config")) {
      readBody(req)
        .then(async (text) => {
          const b = JSON.parse(text) as {
            stations: string[];
            version: number;
            name?: string;
            base64?: string;
            settings?: Record<string, unknown>;
          };
          if (u.pathname === "/fleet/pack") {
            if (
              !Array.isArray(b.stations) ||
              !b.name ||
              !Number.isInteger(b.version) ||
              typeof b.base64 !== "string"
            )
              return send({ error: "stations[], name, version and base64 required" }, 400);
            const r = fleet.packRollout(
              b.stations,
              b.name,
              b.version,
              Buffer.from(b.base64, "base64"),
              Date.now(),
            );
            await sendAll(r.messages);
            return send({ sent: b.stations.length, chunks: r.chunks, id: r.id });
          }
          if (!Array.isArray(b.stations) || !Number.isInteger(b.version) || typeof b.settings !== "object")
            return send({ error: "stations[], version and settings required" }, 400);
          const r = fleet.configRollout(b.stations, b.version, b.settings, Date.now());
          await sendAll(r.messages);
          send({ sent: b.stations.length, id: r.id });
        })
        .catch((e: Error) => send({ error: e.message }, 400));
      return;
    }
    const now = Date.now();
    if (u.pathname === "/fleet/summary") return send(fleet.summary(now));
    if (u.pathname === "/fleet/stations") {
      const offset = Math.max(0, Number(u.searchParams.get("offset") ?? 0) || 0);
      const limit = Math.min(500, Math.max(1, Number(u.searchParams.get("limit") ?? 100) || 100));
      return send(fleet.page(offset, limit));
    }
    if (u.pathname === "/fleet/alarms") return send(fleet.alarmList(now));
    if (u.pathname === "/fleet/answers") {
      const byStation = fleet.answers.get(u.searchParams.get("id") ?? "");
      return send(Object.fromEntries(byStation ?? []));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(o.http.port, o.http.host, r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${o.http.host}:${port}`,
    fleet,
    presence: fleet.presence,
    alarms: fleet.alarms,
    answers: fleet.answers,
    async stop() {
      await saver.stop();
      await new Promise((r) => server.close(r));
      await client.endAsync();
    },
  };
}

function readBody(req: IncomingMessage, limit = 32 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.on("data", (d: Buffer) => {
      text += d;
      if (text.length > limit) req.destroy(new Error("body too large"));
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
