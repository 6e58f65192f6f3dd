/**
 * Fleet at scale (issue 11 §8), against the real Mosquitto with the shipped config, the county
 * fleet monitor as its own process, and `npm run fleet-sim` stations (the station's own MQTT and
 * fleet code). Sizes: BENCH_FLEET_SMALL (baseline, default 200) and BENCH_FLEET_N (default 2000).
 *   presence   all N visible online on the county side (and the same at the baseline size)
 *   storm      broker restarted: every station back (a birth with a newer bdSeq) within 30 s;
 *              the peak births per second on the county side shows the jitter
 *   rollout    a config version to all N: 99.9 % applied within 60 s
 *   detection  one station SIGSTOPped (link dead, no FIN) is offline within 1.5× its keepalive;
 *              one SIGKILLed (the kernel closes its socket) at once
 *   county     the monitor's CPU seconds and RSS at the baseline size and at N
 * Prints BENCH_RESULT with the figures and the N / baseline ratios.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idCheckChar } from "../../station/domain/id-number.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { startFaultBroker } from "../faults/lib/broker.js";
import { rssMb, spawnUntil } from "./lib/proc.js";

const SMALL = Number(process.env.BENCH_FLEET_SMALL ?? 200);
const N = Number(process.env.BENCH_FLEET_N ?? 2000);
const COUNTY = "demo-county";
const PW = "bench-fleet-pw-0123";
const ROOT = join(import.meta.dirname, "../..");
const KEEPALIVE = 10;
const ROSTER_PEOPLE = 5000;

/** Valid synthetic people (GB 11643 check digits, real dates, unique), so the stations' own roster check passes. */
function syntheticRoster(n: number) {
  const pad = (x: number, w: number) => String(x).padStart(w, "0");
  const people = Array.from({ length: n }, (_, i) => {
    const date = `${1940 + Math.floor(i / 336)}${pad(1 + (i % 12), 2)}${pad(1 + (Math.floor(i / 12) % 28), 2)}`;
    const first17 = `510199${date}${pad(i % 1000, 3)}`;
    return {
      idNumber: first17 + idCheckChar(first17),
      name: `合成${i}`,
      village: `演示${i % 40}村`,
      categories: i % 3 === 0 ? ["registered-poor"] : [],
      doctor: null,
    };
  });
  return { version: 1, county: COUNTY, synthetic: true, people };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const users = [
  { username: COUNTY_ADMIN, password: PW },
  ...ids("base-", SMALL).map((username) => ({ username, password: PW })),
  ...ids("sim-", N).map((username) => ({ username, password: PW })),
  ...["det-stop0", "det-kill0"].map((username) => ({ username, password: PW })),
];

const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "hs-bench-fleet-"));
  const broker = await startFaultBroker(users);
  const env = { ...process.env, HS_MQTT_PASSWORD: PW };
  process.env.HS_MQTT_PASSWORD = PW;
  const children: ChildProcess[] = [];
  const spawnNode = (args: string[], match: RegExp, timeoutMs: number) =>
    spawnUntil(process.execPath, ["--import", "tsx", ...args], match, timeoutMs).then((r) => {
      children.push(r.child);
      return r;
    });
  Object.assign(process.env, env);
  try {
    const mon = await spawnNode(
      [
        join(ROOT, "flows/fleet/monitor-main.ts"),
        "--county",
        COUNTY,
        "--url",
        broker.url,
        "--ca",
        broker.caFile,
        "--data-dir",
        join(dir, "county"),
        "--port",
        "0",
      ],
      /^READY /,
      30_000,
    );
    const monUrl = mon.line.slice("READY ".length).trim();
    const monPid = mon.child.pid!;
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${monUrl}${path}`)).json()) as T;
    const allStations = async () => {
      const out: { stationId: string; online: boolean; bdSeq: number }[] = [];
      for (let off = 0; ; off += 500) {
        const page = await get<{ total: number; stations: typeof out }>(
          `/fleet/stations?limit=500&offset=${off}`,
        );
        out.push(...page.stations);
        if (off + 500 >= page.total) return out;
      }
    };
    const online = async (prefix: string) =>
      (await allStations()).filter((s) => s.stationId.startsWith(prefix) && s.online).length;
    const waitFor = async (what: string, ok: () => Promise<boolean>, timeoutMs: number) => {
      const t0 = Date.now();
      while (!(await ok())) {
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out: ${what}`);
        await sleep(200);
      }
      return Date.now() - t0;
    };
    const sim = (prefix: string, n: number, extra: string[] = []) =>
      spawnNode(
        [
          join(ROOT, "scripts/fleet-sim.ts"),
          "--stations",
          String(n),
          "--prefix",
          prefix,
          "--county",
          COUNTY,
          "--url",
          broker.url,
          "--ca",
          broker.caFile,
          "--dir",
          join(dir, prefix),
          ...extra,
        ],
        /^READY /,
        600_000,
      );

    // Presence at the baseline size, then at N.
    const cpu0 = cpuSeconds(monPid);
    const t0 = Date.now();
    await sim("base-", SMALL);
    await waitFor(`${SMALL} online`, async () => (await online("base-")) === SMALL, 300_000);
    const basePresenceMs = Date.now() - t0;
    await sleep(2_000);
    const baseCpu = cpuSeconds(monPid) - cpu0;
    const baseRss = rssMb(monPid);

    const cpu1 = cpuSeconds(monPid);
    const t1 = Date.now();
    await sim("sim-", N);
    await waitFor(`${N} online`, async () => (await online("sim-")) === N, 600_000);
    const presenceMs = Date.now() - t1;
    await sleep(2_000);
    const bigCpu = cpuSeconds(monPid) - cpu1;
    const bigRss = rssMb(monPid);
    console.log(
      `presence: ${SMALL} in ${basePresenceMs} ms, ${N} in ${presenceMs} ms; monitor ${baseRss.toFixed(0)} → ${bigRss.toFixed(0)} MB RSS, ${baseCpu.toFixed(1)} / ${bigCpu.toFixed(1)} CPU s`,
    );

    // Reconnect storm: every station back with a newer bdSeq.
    const before = new Map((await allStations()).map((s) => [s.stationId, s.bdSeq]));
    const total = SMALL + N;
    await broker.down("SIGTERM");
    await broker.up();
    const tStorm = Date.now();
    const rate: number[] = [];
    let lastBack = 0;
    const stormMs = await waitFor(
      "all back after the broker restart",
      async () => {
        const now = await allStations();
        const back = now.filter((s) => s.online && s.bdSeq > (before.get(s.stationId) ?? -1)).length;
        rate.push(back - lastBack);
        lastBack = back;
        return back >= total;
      },
      120_000,
    );
    // Samples are ~200 ms plus the page reads apart: per-second peak estimated from the samples.
    const peakPerSample = Math.max(...rate);
    console.log(
      `storm: ${total} back in ${stormMs} ms (${((Date.now() - tStorm) / 1000).toFixed(1)} s), peak ${peakPerSample} births in one sample`,
    );

    // Rollout: one config version to every station of the big fleet.
    // Through the county monitor, the county's one admin login (client id = username).
    const tRoll = Date.now();
    const posted = await fetch(`${monUrl}/fleet/config`, {
      method: "POST",
      body: JSON.stringify({
        stations: ids("sim-", N),
        version: 1,
        settings: { workflow: { inactivitySeconds: 120 } },
      }),
    });
    if (!posted.ok) throw new Error(`rollout refused: ${await posted.text()}`);
    const need = Math.ceil(N * 0.999);
    const rolloutMs = await waitFor(
      "99.9 % applied",
      async () =>
        Object.values(await get<Record<string, { status: string }>>("/fleet/answers?id=config:1")).filter(
          (a) => a.status === "applied",
        ).length >= need,
      180_000,
    );
    console.log(
      `rollout: ${need}/${N} applied in ${rolloutMs} ms (${Date.now() - tRoll} ms from the request)`,
    );

    // A roster pack of ROSTER_PEOPLE people to the baseline stations, through the county monitor.
    const rosterBytes = Buffer.from(JSON.stringify(syntheticRoster(ROSTER_PEOPLE)));
    const tPack = Date.now();
    const sent = await fetch(`${monUrl}/fleet/pack`, {
      method: "POST",
      body: JSON.stringify({
        stations: ids("base-", SMALL),
        name: "roster",
        version: 1,
        base64: rosterBytes.toString("base64"),
      }),
    });
    if (!sent.ok) throw new Error(`pack refused: ${await sent.text()}`);
    const packMs = await waitFor(
      "roster pack applied everywhere",
      async () =>
        Object.values(
          await get<Record<string, { status: string }>>("/fleet/answers?id=pack:roster:1"),
        ).filter((a) => a.status === "applied").length >= SMALL,
      180_000,
    );
    console.log(
      `roster pack: ${ROSTER_PEOPLE} people (${rosterBytes.length} bytes) to ${SMALL} stations in ${packMs} ms (${Date.now() - tPack} ms from the request)`,
    );

    // Detection: SIGSTOP (silent link) and SIGKILL (socket closed by the kernel).
    const stopSim = await sim("det-stop", 1, ["--keepalive", String(KEEPALIVE), "--id-offset", "0"]);
    const killSim = await sim("det-kill", 1, ["--keepalive", String(KEEPALIVE), "--id-offset", "0"]);
    const isOnline = async (id: string) =>
      (await allStations()).find((s) => s.stationId === id)?.online === true;
    await waitFor(
      "detection stations online",
      async () => (await isOnline("det-stop0")) && (await isOnline("det-kill0")),
      60_000,
    );
    const tStop = Date.now();
    stopSim.child.kill("SIGSTOP");
    killSim.child.kill("SIGKILL");
    const killMs = await waitFor(
      "SIGKILLed station offline",
      async () => !(await isOnline("det-kill0")),
      60_000,
    );
    // Both were stopped at tStop; the SIGSTOP one is timed from there too.
    await waitFor("SIGSTOPped station offline", async () => !(await isOnline("det-stop0")), 60_000);
    const stopTotal = Date.now() - tStop;
    stopSim.child.kill("SIGKILL");
    console.log(
      `detection: SIGKILL ${killMs} ms, SIGSTOP ${stopTotal} ms (keepalive ${KEEPALIVE} s, bound ${1.5 * KEEPALIVE} s)`,
    );

    const result = {
      baseline: SMALL,
      stations: N,
      presenceMs: {
        baseline: basePresenceMs,
        n: presenceMs,
        ratio: +(presenceMs / basePresenceMs).toFixed(2),
      },
      monitor: {
        rssMb: {
          baseline: +baseRss.toFixed(0),
          n: +bigRss.toFixed(0),
          ratio: +(bigRss / baseRss).toFixed(2),
        },
        cpuSeconds: {
          baseline: +baseCpu.toFixed(1),
          n: +bigCpu.toFixed(1),
          ratio: +(bigCpu / Math.max(0.1, baseCpu)).toFixed(2),
        },
      },
      storm: {
        stations: total,
        backMs: stormMs,
        budgetMs: 30_000,
        pass: stormMs <= 30_000,
        peakBirthsPerSample: peakPerSample,
      },
      rollout: { applied: need, ms: rolloutMs, budgetMs: 60_000, pass: rolloutMs <= 60_000 },
      detection: {
        sigkillMs: killMs,
        sigstopMs: stopTotal,
        budgetMs: 1.5 * KEEPALIVE * 1000,
        pass: stopTotal <= 1.5 * KEEPALIVE * 1000,
      },
      rosterPack: {
        people: ROSTER_PEOPLE,
        bytes: rosterBytes.length,
        stations: SMALL,
        ms: packMs,
        budgetMs: 60_000,
        pass: packMs <= 60_000,
      },
    };
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
