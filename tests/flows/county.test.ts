/**
 * The county archive as deployed: built like `npm run build:server`, run as
 * `node dist/flows/county.js --config …` against a real Mosquitto, and (scale-out) two such
 * processes on one shared subscription writing to one real PostgreSQL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { PostgresArchiveStore } from "../../flows/archive/pg-store.js";
import { type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";
import { COUNTY } from "./fixtures.js";
import { type Built, buildDist } from "./helpers/dist-build.js";
import { type Mosquitto, startMosquitto } from "./helpers/mosquitto.js";
import { runStations, type SimResult } from "./helpers/station-sim.js";

const SECRET = "test-secret-0123456789";

interface County {
  proc: ChildProcess;
  out: () => string;
  stop(): Promise<string>;
}

async function runCounty(built: Built, dir: string, config: object): Promise<County> {
  const cfgPath = join(dir, `county-${(config as { dataDir: string }).dataDir}.json`);
  await writeFile(
    cfgPath,
    JSON.stringify({ county: COUNTY, credentialSecret: SECRET, http: { port: 0 }, ...config }),
  );
  const proc = spawn(process.execPath, [built.countyJs, "--config", cfgPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no READY within 60 s:\n${out}`)), 60_000);
    const check = () => {
      if (/READY .*mqtt=connected/.test(out)) {
        clearTimeout(t);
        resolve();
      } else if (proc.exitCode !== null) {
        clearTimeout(t);
        reject(new Error(`county exited ${proc.exitCode}:\n${out}`));
      } else setTimeout(check, 50);
    };
    check();
  });
  return {
    proc,
    out: () => out,
    stop: async () => {
      proc.kill("SIGTERM");
      await exited;
      return out;
    },
  };
}

function expectExactlyOnceAcks(r: SimResult): void {
  const missing = r.ids.filter((id) => !r.acks.has(id));
  expect(missing, "records without any ack").toEqual([]);
  const storedTwice = r.ids.filter((id) => r.acks.get(id)!.filter((s) => s === "stored").length !== 1);
  expect(storedTwice, "records not acked as stored exactly once").toEqual([]);
  for (const statuses of r.acks.values())
    expect(statuses.every((s) => s === "stored" || s === "duplicate")).toBe(true);
}

describe("county archive from dist/", () => {
  let built: Built;
  let broker: Mosquitto;
  let dir: string;
  beforeAll(async () => {
    [built, broker] = await Promise.all([buildDist(), startMosquitto()]);
    dir = await mkdtemp(join(tmpdir(), "hs-county-"));
  });
  afterAll(async () => {
    await broker?.stop();
    await built?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("stores, acks, dead-letters garbage, and keeps the flow and credentials in the data folder", async () => {
    const county = await runCounty(built, dir, {
      dataDir: "data",
      broker: { url: broker.url, username: "archive", password: "not-in-the-flow-file" },
      store: { kind: "file", dir: "store" },
    });
    const garbage = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await garbage.publishAsync(`hs/v1/${COUNTY}/st-001/record`, Buffer.from([1, 2, 3]), { qos: 1 });
    await garbage.endAsync();
    const r = await runStations(broker.url, { stations: 2, perStation: 40, duplicateEvery: 5 });
    // A doctor's audit event and list outcome reach the same receiver through the flow's own subscriptions.
    const doctor = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    const acked = new Promise<string[]>((resolve) => {
      const ids: string[] = [];
      doctor.on("message", (_t, p) => {
        ids.push(
          ...JSON.parse(p.toString()).acks.map((a: { id: string; status: string }) => `${a.id}:${a.status}`),
        );
        if (ids.length === 2) resolve(ids);
      });
    });
    await doctor.subscribeAsync(`hs/v1/${COUNTY}/st-001/ack`, { qos: 1 });
    const auditId = "0190a000-0000-7000-8000-0000000000a1";
    const outcomeId = "0190a000-0000-7000-8000-0000000000b1";
    const at = new Date().toISOString();
    await doctor.publishAsync(
      `hs/v1/${COUNTY}/st-001/audit`,
      JSON.stringify({
        v: 1,
        type: "audit",
        stationId: "st-001",
        sentAt: at,
        events: [
          { v: 1, id: auditId, seq: 1, at, stationId: "st-001", type: "sign-out", doctorId: "dr-wang" },
        ],
      }),
      { qos: 1 },
    );
    await doctor.publishAsync(
      `hs/v1/${COUNTY}/st-001/outcome`,
      JSON.stringify({
        v: 1,
        type: "outcomes",
        stationId: "st-001",
        sentAt: at,
        outcomes: [
          {
            v: 1,
            id: outcomeId,
            kind: "unreachable",
            programme: "hypertension",
            doctorId: "dr-wang",
            at,
            day: "2026-04-01",
          },
        ],
      }),
      { qos: 1 },
    );
    expect((await acked).sort()).toEqual([`${auditId}:stored`, `${outcomeId}:stored`]);
    await doctor.endAsync();
    const log = await county.stop();
    expectExactlyOnceAcks(r);
    expect(log).toMatch(
      /STOPPED county=demo-county stored=80 duplicates=\d+ rejected=0 dropped=1 failedBatches=0 events=2 eventDuplicates=0 eventsRejected=0/,
    );

    const store = new FileArchiveStore({ dir: join(dir, "store") });
    await store.open();
    expect(await store.count()).toBe(80);
    expect((await store.listEvents("audit")).map((e) => e.id)).toEqual([auditId]);
    expect((await store.listEvents("outcome")).map((e) => e.id)).toEqual([outcomeId]);
    await store.close();
    const dead = (await readFile(join(dir, "data", "dead-letter.jsonl"), "utf8")).trim().split("\n");
    expect(dead.map((l) => JSON.parse(l).code)).toEqual(["no-record-id"]);
    const flowText = await readFile(join(dir, "data", "flows.json"), "utf8");
    expect(JSON.parse(flowText).find((n: { id: string }) => n.id === "hs-mqtt-in").topic).toBe(
      `$share/archive/hs/v1/${COUNTY}/+/record`,
    );
    expect(flowText).not.toContain("not-in-the-flow-file");
    expect(await readFile(join(dir, "data", "flows_cred.json"), "utf8")).not.toContain(
      "not-in-the-flow-file",
    );
  });

  describe("scale-out: two receivers on one shared subscription, one PostgreSQL", () => {
    let pg: PgTestServer;
    beforeAll(async () => {
      pg = await startPgTestServer();
    });
    afterAll(async () => {
      await pg?.stop();
    });

    it("stores every record exactly once and acks every record, with both receivers working", async () => {
      const store = { kind: "postgres", url: pg.url };
      const [a, b] = await Promise.all(
        ["a", "b"].map((k) =>
          runCounty(built, dir, {
            dataDir: `data-${k}`,
            broker: { url: broker.url, clientId: `archive-${k}` },
            store,
          }),
        ),
      );
      const r = await runStations(broker.url, { stations: 5, perStation: 60, duplicateEvery: 4 });
      const logs = await Promise.all([a!.stop(), b!.stop()]);
      expectExactlyOnceAcks(r);
      const stored = logs.map((l) => Number(/STOPPED .*stored=(\d+)/.exec(l)?.[1] ?? "NaN"));
      expect(stored[0]! + stored[1]!).toBe(300);
      expect(Math.min(...stored), "the shared subscription spread the load").toBeGreaterThan(0);

      const check = new PostgresArchiveStore({ url: pg.url });
      await check.open();
      expect(await check.count()).toBe(300);
      const ids = new Set(r.ids);
      const listed = await check.list({ limit: 1000 });
      expect(listed.map((x) => x.message.record.id).every((id) => ids.has(id))).toBe(true);
      await check.close();
    });
  });
});
