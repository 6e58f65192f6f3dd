/**
 * The embedded county side for `npm start` and a station that runs alone: an in-process MQTT
 * broker (Aedes, MQTT 3.1.1) on loopback, and the county archive receiver (the same
 * ReceiverCore the Node-RED node runs) storing to the append-only file archive, and the county
 * fleet view logged in as `county-admin`, so the demo station shows in the fleet state: with
 * `dashboard`, the county's own Node-RED fleet flow and dashboard (flows/county.ts, archive off:
 * the receiver above stores the records), else the JSON fleet monitor (flows/fleet/monitor.ts).
 * Both keep the state in flows/fleet/fleet-state.ts. A county runs Mosquitto and `npm run county`
 * instead (docs/county-archive.md, docs/fleet.md).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { ReceiverCore } from "../../flows/archive/receiver-core.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import { startCounty } from "../../flows/county.js";
import { type FleetMonitor, startMonitor } from "../../flows/fleet/monitor.js";
import { FileFleetStateStore } from "../../flows/fleet/state-store.js";
import { topics } from "../mqtt/contract.js";
import { COUNTY_ADMIN } from "../mqtt/fleet-contract.js";
import { disableNagle } from "../mqtt/no-delay.js";
import type { Logger } from "../util/logger.js";
import { ARCHIVE_USER, allowed } from "./broker-acl.js";

export interface EmbeddedCounty {
  url: string;
  archive: FileArchiveStore;
  /** The station's credentials on this broker, made at start-up and never written anywhere. */
  station: { username: string; password: string };
  /** The JSON fleet monitor, as `county-admin` on this broker (fleet.url); null with the dashboard. */
  fleet: FleetMonitor | null;
  /** The Node-RED fleet dashboard and the file holding its login; null without it. */
  dashboard: { url: string; loginFile: string } | null;
  stop(): Promise<void>;
}

/** A username is bound to its password and to its client id: nobody can take over another's session. */
function authenticator(users: ReadonlyMap<string, Buffer>, log: Logger) {
  return (
    client: { id: string },
    username: string | undefined,
    password: Buffer | undefined,
    done: (err: (Error & { returnCode: number }) | null, ok: boolean | null) => void,
  ) => {
    const want = username === undefined ? undefined : users.get(username);
    const ok =
      want !== undefined &&
      password !== undefined &&
      password.length === want.length &&
      timingSafeEqual(password, want) &&
      client.id === username;
    if (ok) return done(null, true);
    log.warn(`embedded broker refused a client (client id ${JSON.stringify(client.id).slice(0, 80)})`);
    // CONNACK 4, bad user name or password.
    done(Object.assign(new Error("not authorised"), { returnCode: 4 }), false);
  };
}

export async function startEmbeddedCounty(opts: {
  county: string;
  /** The one station this broker serves (its username and client id). */
  stationId: string;
  archiveDir: string;
  /** Where the fleet monitor saves fleet-state.json. */
  fleetDir: string;
  /** Loopback port of the fleet monitor's JSON (0: any free port). */
  fleetPort?: number;
  /** Run the Node-RED fleet view with its dashboard on this loopback port instead of the monitor. */
  dashboardPort?: number;
  logger: Logger;
}): Promise<EmbeddedCounty> {
  const log = opts.logger;
  // Fresh secrets every start: they live only in this process, so no file can leak them.
  const archivePassword = randomBytes(24).toString("base64url");
  const stationPassword = randomBytes(24).toString("base64url");
  const adminPassword = randomBytes(24).toString("base64url");
  const users = new Map([
    [ARCHIVE_USER, Buffer.from(archivePassword)],
    [opts.stationId, Buffer.from(stationPassword)],
    [COUNTY_ADMIN, Buffer.from(adminPassword)],
  ]);
  const userOf = new WeakMap<object, string>();
  const authenticate = authenticator(users, log);
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) =>
      authenticate(client, username, password, (err, ok) => {
        if (ok && username !== undefined) userOf.set(client, username);
        done(err, ok);
      }),
    // The same topic rules as the county's Mosquitto ACL (flows/broker/acl). Denied publishes are
    // dropped, as Mosquitto does for MQTT 3.1.1.
    authorizePublish: (client, packet, cb) => {
      const user = client ? (userOf.get(client) ?? null) : null;
      if (allowed(user, "write", packet.topic)) return cb(null);
      log.warn(`embedded broker dropped a publish by ${user ?? "?"} to ${packet.topic.slice(0, 120)}`);
      cb(new Error("not authorised"));
    },
    authorizeSubscribe: (client, sub, cb) => {
      const user = userOf.get(client) ?? null;
      cb(null, allowed(user, "read", sub.topic) ? sub : null);
    },
  });
  // Nagle off both ways, as on the county's Mosquitto (set_tcp_nodelay): acks leave at once.
  const server: Server = createServer({ noDelay: true }, broker.handle);
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Loopback only: nothing outside this machine may publish into the demo archive.
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;

  const archive = new FileArchiveStore({ dir: opts.archiveDir });
  await archive.open();
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: ARCHIVE_USER,
    username: ARCHIVE_USER,
    password: archivePassword,
    reconnectPeriod: 1000,
  });
  const core = new ReceiverCore({
    store: archive,
    validators: loadValidators(),
    onBatch: (b) => {
      for (const a of b.acks) client.publish(a.topic, JSON.stringify(a.payload), { qos: 1 });
      if (b.stored || b.duplicates || b.rejects.length)
        log.info(`archive: ${b.stored} stored, ${b.duplicates} duplicate, ${b.rejects.length} rejected`);
      const ev = b.events;
      if (ev.stored || ev.duplicates || ev.rejects.length)
        log.info(
          `archive: ${ev.stored} audit/outcome events stored, ${ev.duplicates} duplicate, ${ev.rejects.length} messages refused`,
        );
      if (b.error) log.error("archive store failed; records will be re-sent", b.error);
    },
    onDrop: (d) => log.warn(`archive dropped a message on ${d.topic}: ${d.reason}`),
  });
  disableNagle(client);
  client.on("connect", () => disableNagle(client));
  client.on("message", (topic, payload) => {
    core.accept(topic, payload).catch(() => {
      // Store failure: already logged by onBatch; the station re-sends unacked records.
    });
  });
  await client.subscribeAsync(
    [topics.record(opts.county, "+"), topics.audit(opts.county, "+"), topics.outcome(opts.county, "+")],
    { qos: 1 },
  );
  let dashboard: (EmbeddedCounty["dashboard"] & { stop(): Promise<void> }) | null = null;
  if (opts.dashboardPort !== undefined) {
    try {
      dashboard = await startDashboard(opts.county, url, adminPassword, opts.fleetDir, opts.dashboardPort);
    } catch (e) {
      // The demo dashboard is a convenience: the station runs on without it, with the JSON monitor.
      log.warn(`county fleet dashboard not started (${(e as Error).message}); using the JSON fleet monitor`);
    }
  }
  const fleet = dashboard
    ? null
    : await startMonitor({
        county: opts.county,
        url,
        username: COUNTY_ADMIN,
        password: adminPassword,
        dataDir: opts.fleetDir,
        http: { host: "127.0.0.1", port: opts.fleetPort ?? 0 },
      });
  log.info(
    `embedded county broker ${url}, archive in ${opts.archiveDir}, ${
      dashboard
        ? `fleet dashboard ${dashboard.url} (login in ${dashboard.loginFile})`
        : `fleet monitor ${fleet!.url}/fleet/`
    }`,
  );

  return {
    url,
    archive,
    station: { username: opts.stationId, password: stationPassword },
    fleet,
    dashboard: dashboard ? { url: dashboard.url, loginFile: dashboard.loginFile } : null,
    async stop() {
      await (fleet ?? dashboard)?.stop().catch((e: Error) => log.warn(`fleet view stop: ${e.message}`));
      await core.drain();
      await client.endAsync();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
      await archive.close();
    },
  };
}

/**
 * The county's Node-RED fleet flow and dashboard in this process, on the embedded broker. Its login
 * (user `county-it`) is made here and written only to `{fleetDir}/dashboard-login.txt` (mode 0600):
 * the dashboard is never open to whoever reaches the port.
 */
async function startDashboard(
  county: string,
  url: string,
  adminPassword: string,
  fleetDir: string,
  port: number,
) {
  const password = randomBytes(12).toString("base64url");
  const bcrypt = createRequire(createRequire(import.meta.url).resolve("node-red"))("bcryptjs") as {
    hash(p: string, rounds: number): Promise<string>;
  };
  const c = await startCounty(
    {
      county,
      dataDir: join(fleetDir, "node-red"),
      broker: { url, sharedSubscription: false },
      // The flow has no archive receiver (archive: false); the store is opened and stays empty.
      store: { kind: "file", dir: join(fleetDir, "node-red", "no-archive") },
      archive: false,
      fleet: { password: adminPassword },
      http: {
        host: "127.0.0.1",
        port,
        users: [{ username: "county-it", passwordHash: await bcrypt.hash(password, 10) }],
      },
      credentialSecret: randomBytes(24).toString("base64url"),
    },
    undefined,
    { store: new FileFleetStateStore(fleetDir) },
  );
  mkdirSync(fleetDir, { recursive: true });
  const loginFile = join(fleetDir, "dashboard-login.txt");
  writeFileSync(loginFile, `county-it ${password}\n`, { mode: 0o600 });
  return { url: c.dashboardUrl!, loginFile, stop: () => c.stop() };
}
