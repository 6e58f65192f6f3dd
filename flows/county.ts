/**
 * The county archive: Node-RED embedded, running the county flow with the archive-receiver
 * node, configured from one JSON file.
 *   node dist/flows/county.js --config county.json     (prints READY … once started)
 * startCounty() runs it in-process (tests, the station's demo). Node-RED is a singleton, so
 * one county per process.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { FileArchiveStore } from "./archive/file-store.js";
import { PostgresArchiveStore } from "./archive/pg-store.js";
import type { ReceiverTotals } from "./archive/receiver-core.js";
import { findUp } from "./archive/schemas.js";
import type { ArchiveStore } from "./archive/store.js";
import { countyLogin } from "./county-auth.js";
import { type CountyConfig, type CountyConfigInput, loadConfigFile, resolveConfig } from "./county-config.js";
import { buildCountyFlow, type FlowNode, mergeFlows, NODE_IDS } from "./county-flow.js";
import {
  buildFleetFlow,
  FLEET_DASHBOARD_PATH,
  FLEET_IDS,
  FLEET_PAGE_PATH,
  mergeFleetFlow,
} from "./fleet/fleet-flow.js";
import type { FleetHost } from "./nodes/fleet-nodes.js";

const require = createRequire(import.meta.url);

export interface CountyHandle {
  config: CountyConfig;
  store: ArchiveStore;
  /** Editor / admin API base URL. */
  url: string;
  /** The fleet dashboard's page (county login required); null without a fleet section. */
  dashboardUrl: string | null;
  /** True once every MQTT connection (the archive's, the fleet view's) is up. */
  connected(): boolean;
  /** Counts since start from the receiver node (null before the flow runs). */
  totals(): ReceiverTotals | null;
  stop(): Promise<void>;
}

let running = false;

/** Source assets (node HTML, flow template) live beside this file in the source tree, or above dist/. */
function asset(rel: string): string {
  const found = findUp(import.meta.dirname, join("flows", rel)) ?? findUp(import.meta.dirname, rel);
  if (!found) throw new Error(`flows/${rel} not found above ${import.meta.dirname}`);
  return found;
}

/**
 * Node-RED scans nodesDir for `.cjs`/`.js` files with an `.html` beside them. dist/ has no HTML
 * (tsc copies none), so a tiny shim in the data folder points at the compiled entry.
 */
function prepareNodesDir(dataDir: string): string {
  const dir = join(dataDir, "nodes");
  mkdirSync(dir, { recursive: true });
  const ext = import.meta.filename.endsWith(".ts") ? ".cts" : ".cjs";
  for (const name of ["archive-receiver", "fleet-nodes"]) {
    const entry = join(import.meta.dirname, "nodes", `${name}${ext}`);
    writeFileSync(join(dir, `${name}.cjs`), `module.exports = require(${JSON.stringify(entry)});\n`);
    copyFileSync(asset(join("nodes", `${name}.html`)), join(dir, `${name}.html`));
  }
  return dir;
}

function openStore(c: CountyConfig): ArchiveStore {
  if (c.store.kind === "file") return new FileArchiveStore({ dir: c.store.dir });
  return new PostgresArchiveStore({ url: c.store.url!, table: c.store.table });
}

async function waitFor(test: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return test();
}

export async function startCounty(
  input: CountyConfigInput | CountyConfig,
  baseDir?: string,
  /** Given by a host process: where the fleet nodes keep the fleet state (else file or HS_FLEET_PG_URL). */
  host: FleetHost = {},
): Promise<CountyHandle> {
  const config = resolveConfig(input, baseDir);
  if (running)
    throw new Error("a county archive is already running in this process (Node-RED is a singleton)");
  running = true;
  const store = openStore(config);
  let server: Server | null = null;
  try {
    await store.open();
    mkdirSync(config.dataDir, { recursive: true });
    const flowFile = join(config.dataDir, "flows.json");
    const template = JSON.parse(readFileSync(asset("county-archive.json"), "utf8")) as FlowNode[];
    const generated = buildCountyFlow(template, config);
    const tls = generated.flows.some((n) => n.id === NODE_IDS.tls);
    // Without the archive only the TLS node (shared with the fleet connection) stays.
    const archiveNodes = config.archive
      ? generated.flows
      : generated.flows.filter((n) => n.id === NODE_IDS.tls && config.fleet);
    const existing = existsSync(flowFile) ? (JSON.parse(readFileSync(flowFile, "utf8")) as FlowNode[]) : [];
    let flows = mergeFlows(existing, archiveNodes);
    if (!config.archive) {
      const archiveIds = new Set(template.map((n) => n.id).filter((id) => id !== NODE_IDS.tls));
      flows = flows.filter((n) => !archiveIds.has(n.id));
    }
    if (config.fleet) {
      flows = mergeFleetFlow(
        flows,
        buildFleetFlow({
          county: config.county,
          brokerUrl: config.broker.url,
          tls: tls ? NODE_IDS.tls : null,
          username: config.fleet.username,
          offlineAlarmSeconds: config.fleet.offlineAlarmSeconds,
          pageSize: config.fleet.pageSize,
        }),
      );
      generated.credentials[FLEET_IDS.broker] = {
        user: config.fleet.username,
        ...(config.fleet.password ? { password: config.fleet.password } : {}),
      };
    }
    const editor = config.http.editor ?? config.http.users.length > 0;
    const login = countyLogin(config.http.users);
    // Start without connecting: credentials are only in place after the deploy below.
    writeFileSync(
      flowFile,
      JSON.stringify(
        flows.map((n) =>
          n.id === NODE_IDS.broker || n.id === FLEET_IDS.broker ? { ...n, autoConnect: false } : n,
        ),
        null,
        2,
      ),
    );

    const RED = require("node-red");
    const express = createRequire(require.resolve("node-red"))("express");
    const app = express();
    server = createServer(app);
    const settings = {
      userDir: config.dataDir,
      flowFile: "flows.json",
      flowFilePretty: true,
      credentialSecret: config.credentialSecret,
      httpAdminRoot: editor ? "/" : false,
      httpNodeRoot: "/api",
      ...(login.adminAuth ? { adminAuth: login.adminAuth } : {}),
      // Dashboard 2.0's settings: its socket.io needs the same login.
      dashboard: { ioMiddleware: login.ioMiddleware },
      nodesDir: [prepareNodesDir(config.dataDir)],
      healthArchive: { store, deadLetterFile: join(config.dataDir, "dead-letter.jsonl") },
      healthFleet: {
        whoIs: login.userOfSocket,
        packsDir: config.fleet?.packsDir ?? join(config.dataDir, "packs"),
        ...host,
      },
      logging: { console: { level: "warn", metrics: false, audit: false } },
      editorTheme: { tours: false },
      // A health archive never phones home.
      telemetry: { enabled: false, updateNotification: false },
      externalModules: { autoInstall: false, palette: { allowInstall: false } },
    };
    RED.init(server, settings);
    if (editor) app.use("/", RED.httpAdmin);
    // red.js, not the embedded runtime, applies httpNodeAuth; here the host does it.
    app.use("/api", login.httpNodeMiddleware, RED.httpNode);
    // Dashboard 2.0 asks for its icon at /dashboard/, ignoring httpNodeRoot.
    app.get("/dashboard/favicon.svg", (_req: unknown, res: { redirect(to: string): void }) =>
      res.redirect("/api/dashboard/favicon.svg"),
    );
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(config.http.port, config.http.host, () => resolve());
    });
    // RED.start() resolves before Node-RED has loaded its own flows and credentials; that load
    // would wipe credentials deployed now (the broker login, then saved unencrypted). Wait for it.
    const flowsStarted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("Node-RED did not start its flows within 30 s")),
        30_000,
      );
      RED.events.once("flows:started", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await RED.start();
    await flowsStarted;
    await RED.runtime.flows.setFlows({
      flows: { flows, credentials: generated.credentials },
      deploymentType: "full",
    });
    const port = (srv.address() as { port: number }).port;
    const brokers = [config.archive && NODE_IDS.broker, config.fleet && FLEET_IDS.broker].filter(
      (id): id is string => typeof id === "string",
    );
    const connected = () =>
      brokers.length > 0 && brokers.every((id) => RED.nodes.getNode(id)?.connected === true);
    return {
      config,
      store,
      url: `http://${config.http.host}:${port}/`,
      dashboardUrl: config.fleet
        ? `http://${config.http.host}:${port}/api${FLEET_DASHBOARD_PATH}${FLEET_PAGE_PATH}`
        : null,
      connected,
      totals: () => RED.nodes.getNode(NODE_IDS.receiver)?.archiveTotals ?? null,
      stop: async () => {
        await RED.stop();
        await new Promise<void>((r) => srv.close(() => r()));
        srv.closeAllConnections?.();
        await store.close();
        running = false;
      },
    };
  } catch (err) {
    server?.close();
    await store.close().catch(() => {});
    running = false;
    throw err;
  }
}

async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf("--config");
  const path = i >= 0 ? argv[i + 1] : undefined;
  if (!path) {
    console.error("usage: node dist/flows/county.js --config <county.json>");
    process.exitCode = 2;
    return;
  }
  const county = await startCounty(loadConfigFile(path));
  const up = await waitFor(county.connected, 15_000);
  const c = county.config;
  const store = c.store.kind === "file" ? `file:${c.store.dir}` : "postgres";
  console.log(
    `READY county=${c.county} editor=${(c.http.editor ?? c.http.users.length > 0) ? county.url : "off"} dashboard=${county.dashboardUrl ?? "off"} store=${store} broker=${c.broker.url} mqtt=${up ? "connected" : "connecting"}`,
  );
  const shutdown = () => {
    const t = county.totals();
    if (t)
      console.log(
        `STOPPED county=${c.county} stored=${t.stored} duplicates=${t.duplicates} rejected=${t.rejected} dropped=${t.dropped} failedBatches=${t.failedBatches} events=${t.eventsStored} eventDuplicates=${t.eventDuplicates} eventsRejected=${t.eventsRejected}`,
      );
    county.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
