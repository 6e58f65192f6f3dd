/**
 * Station memory as deployed: issue 10's budget (RSS under 120 MB after a day of 60 assisted
 * check-ups and the doctor's lists) and issue 13 §5's question (set a V8 heap cap?).
 *
 * The compiled station (`node dist/station/main.js`, with the Node flags of the shipped systemd
 * unit) runs as its own process with production settings: simulated devices over socat
 * pseudo-terminals (the demo's bytes), uploading to a real Mosquitto (shipped TLS + ACL config)
 * and the county archive process.
 *   1. Day: a doctor signs in over HTTP, the kiosk's state is followed over /ws, 60 assisted
 *      check-ups (the taps-per-villager driver), then the list screens (due/overdue pages,
 *      search, referral inbox, coverage); the 60 records upload. Baseline in the same run: the
 *      same process idle after READY. Judged on VmRSS at the end; VmHWM (peak) beside it.
 *   2. Backlog: a station starting on 10,000 pending records drains them while a signed-in
 *      doctor keeps opening the list screens, once with no heap cap and once per
 *      `--max-old-space-size`: drain rate, RSS peak (VmHWM), live heap after a full GC.
 *   3. Stored: what the data itself needs. A station on STORED acked records (no backlog), a
 *      doctor opens the list screens 5 times, then the live heap after a full GC, per cap.
 *      Diagnostic for the cap decision (docs/adr/0008-heap-cap.md); every run must drain
 *      everything exactly once or the bench fails.
 *
 *   npm run build && npx tsx tests/bench/station-memory.bench.ts
 *   (BENCH_MEM_CAPS=0,128,96 BENCH_MEM_BACKLOG=10000 BENCH_MEM_STORED=100000; 0 = no cap;
 *   BENCH_MEM_CAPS= for the day only)
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UPLOAD_WINDOW_DEFAULT } from "../../station/config/schema.js";
import { doctorsConfig, post, signIn } from "../doctor/harness.js";
import { startFaultBroker } from "../faults/lib/broker.js";
import { startCounty } from "../faults/lib/county.js";
import { ROOT, startStation } from "../faults/lib/station.js";
import { runDay, simRoster, watchState } from "./lib/assisted-day.js";
import { openScreens } from "./lib/doctor-screens.js";
import { hwmMb, rssMb } from "./lib/proc.js";
import { makeHistory, seedStoreFiles } from "./lib/storage-seed.js";
import { measureDrain } from "./lib/upload-drain.js";
import { heapAfterGcMb, inspectorUrl } from "./lib/upload-inspect.js";

const BUDGET_MB = 120;
const VILLAGERS = 60;
const BACKLOG = Number(process.env.BENCH_MEM_BACKLOG ?? 10_000);
const STORED = Number(process.env.BENCH_MEM_STORED ?? 100_000);
const CAPS = (process.env.BENCH_MEM_CAPS ?? "0,128,96")
  .split(",")
  .filter((c) => c !== "")
  .map(Number);
const COUNTY = "demo-county";
const archiveUser = { username: "county-archive", password: "bench-archive-pw" };
const stationPassword = "bench-station-pw";

if (!existsSync(join(ROOT, "dist/station/main.js")) || !existsSync(join(ROOT, "dist/flows/county.js"))) {
  console.error("station-memory.bench: dist/ missing; run `npm run build` first");
  process.exit(2);
}

/** The Node flags the shipped unit starts the station with (between `node` and the script). */
function deployedNodeArgs(): string[] {
  const unit = readFileSync(join(ROOT, "scripts/deploy/systemd/health-station.service"), "utf8");
  const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? [];
  const main = exec.findIndex((a) => a.endsWith("dist/station/main.js"));
  if (main < 1) throw new Error("ExecStart in health-station.service does not run dist/station/main.js");
  return exec.slice(1, main);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const deployedArgs = deployedNodeArgs();
const stationConfig = async () => ({
  // The demo's device bytes over real pseudo-terminals, as `npm start` runs them.
  devices: { mode: "sim", simTransport: "pty" },
  doctor: { doctors: await doctorsConfig() },
});
const dayId = "st-mem-day";
const capId = (cap: number) => `st-mem-cap${cap}`;

const root = await mkdtemp(join(tmpdir(), "hs-bench-mem-"));
const broker = await startFaultBroker([
  archiveUser,
  ...[dayId, ...CAPS.map(capId)].map((username) => ({ username, password: stationPassword })),
]);
const archiveDir = join(root, "archive");
const county = await startCounty({
  countyJs: join(ROOT, "dist/flows/county.js"),
  county: COUNTY,
  store: { kind: "file", dir: archiveDir },
  broker: { url: broker.url, caFile: broker.caFile, ...archiveUser },
  dataDir: join(root, "county"),
});

async function day() {
  const dir = join(root, "day");
  await mkdir(dir, { recursive: true });
  const st = await startStation({
    dir,
    stationId: dayId,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: stationPassword },
    window: UPLOAD_WINDOW_DEFAULT,
    nodeArgs: deployedArgs,
    compiled: true,
    config: await stationConfig(),
  });
  try {
    await sleep(3000); // device links up, first status pushed: the idle station
    const idleMb = rssMb(st.pid);
    const startPeakMb = hwmMb(st.pid);
    // Where in the day the peak falls: the highest sample per phase, every 250 ms.
    let phase = "check-ups";
    const phasePeak: Record<string, number> = {};
    const sampler = setInterval(() => {
      phasePeak[phase] = Math.max(phasePeak[phase] ?? 0, rssMb(st.pid));
    }, 250);
    const url = new URL(st.url);
    const state = await watchState(st.url);
    const cookie = await signIn(Number(url.port));
    const on = await post(
      Number(url.port),
      "/api/doctor/assisted",
      { on: true, sampleType: "fasting" },
      { cookie },
    );
    if (on.status !== 200) throw new Error(`assisted on: ${JSON.stringify(on.body)}`);
    const refs = (await simRoster(st.url)).slice(0, VILLAGERS);
    const d = await runDay(
      { url: st.url, port: Number(url.port), view: state.view },
      { kind: "assisted", refs, cookie, waitMs: 60_000 },
    );
    const afterDayMb = rssMb(st.pid);
    phase = "lists";
    const screens = await openScreens(st.url, cookie);
    phase = "upload";
    for (let t = 0; (await st.upload()).pending > 0; t++) {
      if (t > 600) throw new Error(`day records not uploaded: ${JSON.stringify(await st.upload())}`);
      await sleep(100);
    }
    state.close();
    clearInterval(sampler);
    const endMb = rssMb(st.pid);
    const peakMb = hwmMb(st.pid);
    return {
      phasePeak,
      idleMb,
      startPeakMb,
      afterDayMb,
      endMb,
      peakMb,
      saved: d.saved,
      screens,
      dayMs: d.ms,
    };
  } finally {
    await st.stop();
  }
}

/** A doctor keeps opening the list screens (about one every 0.2 s) until the drain ends. */
async function doctorWhileDraining(s: { url: string }, done: () => boolean): Promise<number> {
  const cookie = await signIn(Number(new URL(s.url).port));
  let screens = 0;
  while (!done()) {
    screens += await openScreens(s.url, cookie);
    await sleep(200);
  }
  return screens;
}

async function stored(cap: number) {
  const dir = join(root, `stored${cap}`);
  await mkdir(join(dir, "data"), { recursive: true });
  await seedStoreFiles(join(dir, "data"), makeHistory(STORED));
  const st = await startStation({
    dir,
    stationId: capId(cap),
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: stationPassword },
    nodeArgs: ["--inspect=127.0.0.1:0", ...(cap > 0 ? [`--max-old-space-size=${cap}`] : [])],
    compiled: true,
    config: await stationConfig(),
  });
  try {
    const cookie = await signIn(Number(new URL(st.url).port));
    let screens = 0;
    for (let i = 0; i < 5; i++) screens += await openScreens(st.url, cookie);
    const heapMb = await heapAfterGcMb(inspectorUrl(st.output()));
    return { cap, screens, heapMb, rssMb: rssMb(st.pid), hwmMb: hwmMb(st.pid) };
  } finally {
    await st.stop();
  }
}

try {
  const d = await day();
  const drains = [];
  for (const cap of CAPS) {
    const dir = join(root, `cap${cap}`);
    await mkdir(dir, { recursive: true });
    const r = await measureDrain(
      { broker, county: COUNTY, archiveDir, archiveUser, stationPassword },
      {
        dir,
        stationId: capId(cap),
        records: BACKLOG,
        perDay: 100,
        timeoutMs: 300_000,
        nodeArgs: cap > 0 ? [`--max-old-space-size=${cap}`] : [],
        compiled: true,
        config: await stationConfig(),
        during: doctorWhileDraining,
      },
    );
    drains.push({ cap, ...r });
  }
  const kept = [];
  for (const cap of STORED > 0 ? CAPS : []) kept.push(await stored(cap));

  const f = (x: number, n = 1) => x.toFixed(n);
  const ok = d.endMb < BUDGET_MB;
  console.log(`\nnode flags from the systemd unit: ${deployedArgs.join(" ") || "(none)"}`);
  console.log(`day: ${d.saved} assisted check-ups in ${f(d.dayMs / 1000, 0)} s, ${d.screens} list screens`);
  console.log(`  idle after READY (baseline)   ${f(d.idleMb).padStart(6)} MB`);
  console.log(`  after ${VILLAGERS} check-ups            ${f(d.afterDayMb).padStart(6)} MB`);
  console.log(
    `  after the lists and upload    ${f(d.endMb).padStart(6)} MB  (${f(d.endMb / d.idleMb, 2)}× idle)`,
  );
  console.log(`  peak (VmHWM) by idle          ${f(d.startPeakMb).padStart(6)} MB  (start-up)`);
  console.log(`  peak (VmHWM) at the end       ${f(d.peakMb).padStart(6)} MB`);
  for (const [p, mb] of Object.entries(d.phasePeak))
    console.log(`  highest sample during ${p.padEnd(10)} ${f(mb).padStart(6)} MB`);
  console.log(
    `${ok ? "PASS" : "FAIL"} RSS after a day of ${VILLAGERS} assisted check-ups and the lists: ${f(d.endMb)} MB (budget < ${BUDGET_MB} MB; idle ${f(d.idleMb)} MB, peak ${f(d.peakMb)} MB)`,
  );
  console.log(`\nbacklog of ${BACKLOG} draining while a doctor opens list screens:`);
  console.log(
    "  old space cap   drain rec/s   RSS start / peak (VmHWM) / end   heap after GC start / end   screens",
  );
  for (const r of drains)
    console.log(
      `  ${(r.cap ? `${r.cap} MB` : "none").padEnd(14)}  ${f(r.perSecond, 0).padStart(11)}   ${f(r.rssStartMb)} / ${f(r.hwmMb)} / ${f(r.rssEndMb)} MB`.padEnd(
        67,
      ) +
        `   ${f(r.heapStartMb)} / ${f(r.heapEndMb)} MB`.padEnd(28) +
        `${r.during}`,
    );
  console.log(`\n${STORED} acked records stored, list screens opened 5 times:`);
  console.log("  old space cap   live heap after GC   RSS / peak (VmHWM)   screens");
  for (const k of kept)
    console.log(
      `  ${(k.cap ? `${k.cap} MB` : "none").padEnd(14)}  ${`${f(k.heapMb)} MB`.padStart(18)}   ${f(k.rssMb)} / ${f(k.hwmMb)} MB    ${k.screens}`,
    );
  const r1 = (x: number) => Math.round(x * 10) / 10;
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      bench: "station-memory",
      nodeArgs: deployedArgs,
      day: {
        checkups: d.saved,
        screens: d.screens,
        idleMb: r1(d.idleMb),
        startPeakMb: r1(d.startPeakMb),
        afterCheckupsMb: r1(d.afterDayMb),
        endMb: r1(d.endMb),
        peakMb: r1(d.peakMb),
        phasePeakMb: Object.fromEntries(Object.entries(d.phasePeak).map(([p, mb]) => [p, r1(mb)])),
        ratioVsIdle: Math.round((d.endMb / d.idleMb) * 100) / 100,
      },
      backlog: BACKLOG,
      stored: STORED,
      storedRuns: kept.map((k) => ({
        oldSpaceMb: k.cap || null,
        heapAfterGcMb: r1(k.heapMb),
        rssMb: r1(k.rssMb),
        hwmMb: r1(k.hwmMb),
      })),
      drains: drains.map((r) => ({
        oldSpaceMb: r.cap || null,
        perS: r1(r.perSecond),
        rssStartMb: r1(r.rssStartMb),
        hwmMb: r1(r.hwmMb),
        rssEndMb: r1(r.rssEndMb),
        heapAfterGcMb: { start: r1(r.heapStartMb), end: r1(r.heapEndMb) },
        screens: r.during,
      })),
      budgetMb: BUDGET_MB,
      pass: ok,
    })}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await county.stop();
  await broker.close();
  await rm(root, { recursive: true, force: true });
}
