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
import { type CountyConfig, type CountyConfigInput, loadConfigFile, resolveConfig } from "./county-config.js";
import { buildCountyFlow, type FlowNode, mergeFlows, NODE_IDS } from "./county-flow.js";

const require = createRequire(import.meta.url);

export interface CountyHandle {
  config: CountyConfig;
  store: ArchiveStore;
  /** Editor / admin API base URL. */
  url: string;
  /** True once the MQTT connection is up. */
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
  const entry = join(import.meta.dirname, "nodes", `archive-receiver${ext}`);
  writeFileSync(join(dir, "archive-receiver.cjs"), `module.exports = require(${JSON.stringify(entry)});\n`);
  copyFileSync(asset(join("nodes", "archive-receiver.html")), join(dir, "archive-receiver.html"));
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
    const existing = existsSync(flowFile) ? (JSON.parse(readFileSync(flowFile, "utf8")) as FlowNode[]) : [];
    const flows = mergeFlows(existing, generated.flows);
    // Start without connecting: credentials are only in place after the deploy below.
    writeFileSync(
      flowFile,
      JSON.stringify(
        flows.map((n) => (n.id === NODE_IDS.broker ? { ...n, autoConnect: false } : n)),
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
      httpAdminRoot: config.http.editor ? "/" : false,
      httpNodeRoot: "/api",
      nodesDir: [prepareNodesDir(config.dataDir)],
      healthArchive: { store, deadLetterFile: join(config.dataDir, "dead-letter.jsonl") },
      logging: { console: { level: "warn", metrics: false, audit: false } },
      editorTheme: { tours: false },
      // A health archive never phones home.
      telemetry: { enabled: false, updateNotification: false },
      externalModules: { autoInstall: false, palette: { allowInstall: false } },
    };
    RED.init(server, settings);
    if (config.http.editor) app.use("/", RED.httpAdmin);
    app.use("/api", RED.httpNode);
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
    const connected = () => RED.nodes.getNode(NODE_IDS.broker)?.connected === true;
    return {
      config,
      store,
      url: `http://${config.http.host}:${port}/`,
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
    `READY county=${c.county} editor=${c.http.editor ? county.url : "off"} store=${store} broker=${c.broker.url} mqtt=${up ? "connected" : "connecting"}`,
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
