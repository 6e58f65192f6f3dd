/**
 * County archive throughput, end to end: stations publish over a real Mosquitto, the county
 * process (built like `npm run build:server`) validates, stores durably and acks.
 * Baseline in the same run: a bare echo responder that acks without validating or storing,
 * i.e. what the broker and MQTT clients alone allow. Budget: >= 1,000 records/s per store.
 *   npx tsx tests/bench/county-archive.bench.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { startPgTestServer } from "../../scripts/pg-test-server.js";
import type { RecordMessage } from "../../station/mqtt/contract.js";
import { archived, COUNTY } from "../flows/fixtures.js";
import { buildDist } from "../flows/helpers/dist-build.js";
import { startMosquitto } from "../flows/helpers/mosquitto.js";
import { runStations } from "../flows/helpers/station-sim.js";

const STATIONS = 10;
const PER_STATION = 600;
const N = STATIONS * PER_STATION;
const BUDGET = 1000;

async function timed(
  run: () => Promise<{ acked: number }>,
): Promise<{ rate: number; ms: number; acked: number }> {
  const t0 = performance.now();
  const { acked } = await run();
  const ms = performance.now() - t0;
  return { rate: (acked / ms) * 1000, ms, acked };
}

async function stationsRun(url: string) {
  const r = await runStations(url, {
    stations: STATIONS,
    perStation: PER_STATION,
    resendMs: 15_000,
    rounds: 2,
  });
  return { acked: r.ids.filter((id) => r.acks.has(id)).length };
}

async function echoResponder(url: string) {
  const c = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: "echo", reconnectPeriod: 0 });
  c.on("message", (topic, payload) => {
    const m = JSON.parse(payload.toString()) as RecordMessage;
    const ack = {
      v: 1,
      type: "ack",
      acks: [{ id: m.record.id, status: "stored" }],
      at: new Date().toISOString(),
    };
    void c.publishAsync(topic.replace(/record$/, "ack"), JSON.stringify(ack), { qos: 1 });
  });
  await c.subscribeAsync(`hs/v1/${COUNTY}/+/record`, { qos: 1 });
  return c;
}

async function county(
  countyJs: string,
  dir: string,
  name: string,
  url: string,
  store: object,
): Promise<ChildProcess> {
  const cfg = join(dir, `${name}.json`);
  await writeFile(
    cfg,
    JSON.stringify({
      county: COUNTY,
      dataDir: `data-${name}`,
      broker: { url },
      store,
      http: { port: 0, editor: false },
      credentialSecret: "bench-secret-0123456789",
    }),
  );
  const p = spawn(process.execPath, [countyJs, "--config", cfg], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    p.stdout!.on("data", (d) => {
      out += d;
      if (/READY .*mqtt=connected/.test(out)) resolve();
    });
    p.once("exit", (code) => reject(new Error(`county exited ${code}`)));
  });
  return p;
}

async function stop(p: ChildProcess) {
  const done = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  await done;
}

async function storeOnly(dir: string, oneAtATime: boolean) {
  const s = new FileArchiveStore({ dir });
  await s.open();
  const recs = Array.from({ length: 2000 }, (_, i) => archived(i + 1));
  const t0 = performance.now();
  if (oneAtATime) for (const r of recs) await s.putMany([r]);
  else for (let i = 0; i < recs.length; i += 200) await s.putMany(recs.slice(i, i + 200));
  const ms = performance.now() - t0;
  await s.close();
  return (recs.length / ms) * 1000;
}

const dir = await mkdtemp(join(tmpdir(), "hs-bench-"));
const [built, broker] = await Promise.all([buildDist(), startMosquitto()]);
// fsync and synchronous commit on, as a county runs it; the tests' server has them off.
const pg = await startPgTestServer({ durable: true });
try {
  const echo = await echoResponder(broker.url);
  const base = await timed(() => stationsRun(broker.url));
  await echo.endAsync();

  const fileCounty = await county(built.countyJs, dir, "file", broker.url, {
    kind: "file",
    dir: join(dir, "store"),
  });
  const file = await timed(() => stationsRun(broker.url));
  await stop(fileCounty);

  const pgCounty = await county(built.countyJs, dir, "pg", broker.url, { kind: "postgres", url: pg.url });
  const post = await timed(() => stationsRun(broker.url));
  await stop(pgCounty);

  const grouped = await storeOnly(join(dir, "s1"), false);
  const single = await storeOnly(join(dir, "s2"), true);

  const row = (name: string, rate: number, baseline: number, extra = "") =>
    `${name.padEnd(44)} ${rate.toFixed(0).padStart(8)} rec/s   ${(rate / baseline).toFixed(2).padStart(6)}x ${extra}`;
  console.log(`\n${N} records from ${STATIONS} stations over Mosquitto (QoS 1), acked end to end\n`);
  console.log(`${"".padEnd(44)} ${"rate".padStart(14)}   ${"ratio".padStart(7)}`);
  console.log(row("baseline: echo responder (no validate/store)", base.rate, base.rate));
  console.log(row("county archive, file store", file.rate, base.rate, `(${file.acked}/${N} acked)`));
  console.log(
    row("county archive, PostgreSQL 127.0.0.1", post.rate, base.rate, `(${post.acked}/${N} acked)`),
  );
  console.log(row("file store alone, putMany x200 (group)", grouped, single));
  console.log(row("baseline: file store alone, one per fsync", single, single));
  const pass = file.rate >= BUDGET && post.rate >= BUDGET && file.acked === N && post.acked === N;
  console.log(
    `\nbudget: >= ${BUDGET} rec/s end to end, all acked: ${pass ? "PASS" : "FAIL"} (file ${file.rate.toFixed(0)}, postgres ${post.rate.toFixed(0)})`,
  );
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      records: N,
      baselineEchoPerS: Math.round(base.rate),
      filePerS: Math.round(file.rate),
      postgresPerS: Math.round(post.rate),
      fileAcked: file.acked,
      postgresAcked: post.acked,
      storeGroupedPerS: Math.round(grouped),
      storeSinglePerS: Math.round(single),
      budgetPerS: BUDGET,
      pass,
    })}`,
  );
  process.exitCode = pass ? 0 : 1;
} finally {
  await pg.stop();
  await broker.stop();
  await built.cleanup();
  await rm(dir, { recursive: true, force: true });
}
