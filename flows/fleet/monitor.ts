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
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import mqtt, { type MqttClient } from "mqtt";
import { Answer, COUNTY_ADMIN, FLEET_VERSION, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { presenceTopic } from "../../station/mqtt/presence.js";
import { AlarmBook, SeqWatch } from "./alarm-book.js";
import { packChunks } from "./packs.js";
import { PresenceBook } from "./presence.js";
import { FileFleetStateStore, type FleetStateStore } from "./state-store.js";

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
  presence: PresenceBook;
  alarms: AlarmBook;
  answers: Map<string, Map<string, Answer>>;
  stop(): Promise<void>;
}

export async function startMonitor(o: MonitorOptions): Promise<FleetMonitor> {
  const presence = new PresenceBook();
  const alarms = new AlarmBook();
  const seqs = new SeqWatch();
  const answers = new Map<string, Map<string, Answer>>(); // answer id → station → answer
  const store = o.store ?? new FileFleetStateStore(o.dataDir);
  await store.open();
  try {
    presence.load(await store.load());
  } catch {}
  let dirty = false;
  let saving: Promise<void> = Promise.resolve();
  const save = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    // One save at a time; a failed one is retried at the next tick.
    saving = saving
      .then(() => store.save(presence.all()))
      .catch(() => {
        dirty = true;
      });
  }, 5_000);
  save.unref();

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
  const rebirth = (station: string) =>
    client.publish(
      fleetTopics.cmd(o.county, station),
      JSON.stringify({
        v: FLEET_VERSION,
        type: "command",
        id: randomUUID(),
        name: "rebirth",
        args: {},
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      }),
      { qos: 1 },
    );
  client.on("message", (topic, payload) => {
    const [, , , station, kind] = topic.split("/");
    if (!station) return;
    const now = Date.now();
    dirty = true;
    if (kind === "status") {
      const r = presence.apply(station, payload, now);
      if (r.kind === "birth" || r.kind === "rebirth") seqs.birth(station, r.station.bdSeq);
      return;
    }
    presence.seen(station, now);
    if (kind === "alarms") alarms.apply(station, payload);
    if (kind === "health" || kind === "alarms") {
      try {
        const m = JSON.parse(payload.toString()) as { bdSeq?: number; seq?: number };
        if (
          typeof m.bdSeq === "number" &&
          typeof m.seq === "number" &&
          seqs.see(station, m.bdSeq, m.seq) === "gap"
        )
          rebirth(station);
      } catch {}
    }
    if (kind === "answer") {
      const a = Answer.safeParse(JSON.parse(payload.toString()));
      if (!a.success) return;
      let byStation = answers.get(a.data.id);
      if (!byStation) {
        byStation = new Map();
        answers.set(a.data.id, byStation);
      }
      byStation.set(station, a.data);
    }
  });
  await client.subscribeAsync(
    [
      presenceTopic(o.county, "+"),
      fleetTopics.health(o.county, "+"),
      fleetTopics.alarms(o.county, "+"),
      fleetTopics.answer(o.county, "+"),
    ],
    { qos: 1 },
  );

  const offlineMs = o.offlineAlarmMs ?? 600_000;
  // The monitor is the county's one admin login (client id = username), so rollouts go through it.
  const rollout = async (body: {
    stations: string[];
    version: number;
    settings: Record<string, unknown>;
  }) => {
    const msg = JSON.stringify({
      v: FLEET_VERSION,
      type: "config-desired",
      version: body.version,
      settings: body.settings,
      issuedAt: new Date().toISOString(),
      issuedBy: o.username ?? COUNTY_ADMIN,
    });
    await Promise.all(
      body.stations.map((s) =>
        client.publishAsync(fleetTopics.config(o.county, s), msg, { qos: 1, retain: true }),
      ),
    );
    return { sent: body.stations.length, id: `config:${body.version}` };
  };
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const send = (body: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "POST" && u.pathname === "/fleet/pack") {
      readBody(req)
        .then(async (text) => {
          const b = JSON.parse(text) as { stations: string[]; name: string; version: number; base64: string };
          if (
            !Array.isArray(b.stations) ||
            !b.name ||
            !Number.isInteger(b.version) ||
            typeof b.base64 !== "string"
          )
            return send({ error: "stations[], name, version and base64 required" }, 400);
          const chunks = packChunks(b.name, b.version, Buffer.from(b.base64, "base64"));
          for (const s of b.stations)
            await Promise.all(
              chunks.map((c) => client.publishAsync(fleetTopics.pack(o.county, s, b.name), c, { qos: 1 })),
            );
          send({ sent: b.stations.length, chunks: chunks.length, id: `pack:${b.name}:${b.version}` });
        })
        .catch((e: Error) => send({ error: e.message }, 400));
      return;
    }
    if (req.method === "POST" && u.pathname === "/fleet/config") {
      let text = "";
      req.on("data", (d) => {
        text += d;
      });
      req.on("end", () => {
        try {
          const b = JSON.parse(text) as {
            stations: string[];
            version: number;
            settings: Record<string, unknown>;
          };
          if (!Array.isArray(b.stations) || !Number.isInteger(b.version) || typeof b.settings !== "object")
            return send({ error: "stations[], version and settings required" }, 400);
          rollout(b).then(send, (e: Error) => send({ error: e.message }, 500));
        } catch (e) {
          send({ error: (e as Error).message }, 400);
        }
      });
      return;
    }
    const all = presence.all();
    if (u.pathname === "/fleet/summary")
      return send({
        stations: all.length,
        online: all.filter((s) => s.online).length,
        alarms: alarms.list(all, offlineMs, Date.now()).length,
      });
    if (u.pathname === "/fleet/stations") {
      const offset = Math.max(0, Number(u.searchParams.get("offset") ?? 0) || 0);
      const limit = Math.min(500, Math.max(1, Number(u.searchParams.get("limit") ?? 100) || 100));
      const sorted = all.sort((a, b) => a.stationId.localeCompare(b.stationId));
      return send({ total: sorted.length, stations: sorted.slice(offset, offset + limit) });
    }
    if (u.pathname === "/fleet/alarms") return send(alarms.list(all, offlineMs, Date.now()));
    if (u.pathname === "/fleet/answers") {
      const byStation = answers.get(u.searchParams.get("id") ?? "");
      return send(Object.fromEntries(byStation ?? []));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(o.http.port, o.http.host, r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${o.http.host}:${port}`,
    presence,
    alarms,
    answers,
    async stop() {
      clearInterval(save);
      await saving;
      await store.save(presence.all());
      await store.close();
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
