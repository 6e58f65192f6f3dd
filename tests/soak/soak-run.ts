/**
 * The soak: a compressed year of check-ups through the real drivers and simulators (over
 * pseudo-terminals), the real Mosquitto with the shipped TLS + ACL, and the county process,
 * with faults mixed in at random. No test framework here: `npm run soak` and the short CI run in
 * soak.test.ts both call runSoak().
 *
 * Faults: the broker stopped and restarted (check-ups go on meanwhile); a device unplugged and
 * plugged back; the station SIGKILLed, sometimes in the middle of saving; the data disk (a small
 * tmpfs) filled and freed while a check-up is being saved; the clock jumped (libfaketime); the
 * county pushing desired config (valid, invalid or stale) and roster packs (some cut off
 * halfway) as its admin identity (soak-fleet.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ViewState } from "../../station/protocol.js";
import { duplicates, readArchive } from "../faults/lib/archive.js";
import { checkupToGlucose, readStation, roster } from "../faults/lib/records.js";
import { type Case, COUNTY, type Rig, startRig } from "../faults/lib/rig.js";
import type { StationProcess } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { CountyPusher, type FleetEnd, SOAK_ADMIN } from "./soak-fleet.js";

export const FAULTS = [
  "broker-restart",
  "device-unplug",
  "station-kill",
  "disk-full",
  "clock-jump",
  "config-push",
  "pack-push",
] as const;
export type Fault = (typeof FAULTS)[number];

export interface SoakOptions {
  checkups: number;
  /** On average one fault every this many check-ups. */
  faultEvery: number;
  seed: number;
  log?: (line: string) => void;
}

export interface Sample {
  checkup: number;
  pid: number;
  rssMb: number;
  fds: number;
}

export interface SoakReport {
  checkups: number;
  /** Check-ups whose result screen appeared (the record was shown as saved). */
  shownSaved: string[];
  faults: Record<Fault, number>;
  /** Shown-as-saved ids missing from the archive, ids archived twice, records left in the outbox. */
  missing: string[];
  duplicated: string[];
  pendingLeft: number;
  quarantined: number;
  archiveCorrupt: number;
  unparsable: string[];
  /** Config and roster versions in force at the end against what the county pushed. */
  fleet: FleetEnd;
  /** What each config and pack push was and how the station answered. */
  pushes: string[];
  samples: Sample[];
  /** Least-squares slope within the longest run of one station process, per 1,000 check-ups. */
  rssSlopeMbPer1000: number | null;
  fdSlopePer1000: number | null;
  seconds: number;
}

/** Small deterministic PRNG (mulberry32), so a failing soak can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function libfaketime(): string | null {
  for (const dir of ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]) {
    const p = join(dir, "faketime/libfaketime.so.1");
    if (existsSync(p)) return p;
  }
  return null;
}

function sample(station: StationProcess, checkup: number): Sample | null {
  try {
    const status = readFileSync(`/proc/${station.pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
    return {
      checkup,
      pid: station.pid,
      rssMb: rssKb / 1024,
      fds: readdirSync(`/proc/${station.pid}/fd`).length,
    };
  } catch {
    return null;
  }
}

function slope(points: Array<[number, number]>): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  if (sxx === 0) return null;
  return points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx;
}

/** Slopes within the longest stretch of one process (a restart resets memory). */
function slopes(samples: Sample[]): { rss: number | null; fds: number | null } {
  const byPid = new Map<number, Sample[]>();
  for (const s of samples) byPid.set(s.pid, [...(byPid.get(s.pid) ?? []), s]);
  const longest = [...byPid.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const per1000 = (v: number | null) => (v === null ? null : v * 1000);
  return {
    rss: per1000(slope(longest.map((s) => [s.checkup, s.rssMb]))),
    fds: per1000(slope(longest.map((s) => [s.checkup, s.fds]))),
  };
}

/** Every JSON file under dir parses (temp files included: none may be left half-written). */
function unparsableFiles(dir: string): string[] {
  const bad: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".json"))
        try {
          JSON.parse(readFileSync(p, "utf8"));
        } catch {
          bad.push(p);
        }
    }
  };
  walk(dir);
  return bad;
}

async function waitState(station: StationProcess, ok: (s: ViewState) => boolean, what: string, ms = 30_000) {
  return until(() => station.get<ViewState>("/api/state"), ok, what, ms, 50);
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const log = o.log ?? (() => {});
  const random = prng(o.seed);
  const rig: Rig = await startRig(1, [SOAK_ADMIN]);
  const c: Case = await rig.newCase("file");
  const faults = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const shownSaved: string[] = [];
  const samples: Sample[] = [];
  const pushes: string[] = [];
  const clockFile = join(c.dataDir, "..", "faketime");
  const diskFiller = join(c.dataDir, "filler");
  let mounted = false;
  try {
    // The data folder on its own small disk, so "disk full" fills this disk and nothing else.
    await mkdir(c.dataDir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", c.dataDir]);
    mounted = true;
    const preload = libfaketime();
    if (!preload)
      throw new Error("libfaketime not found: run scripts/install-test-deps.sh (package faketime)");
    await writeFile(clockFile, "+0");
    const env = {
      LD_PRELOAD: preload,
      FAKETIME_TIMESTAMP_FILE: clockFile,
      FAKETIME_NO_CACHE: "1",
      // Timers run on the monotonic clock: only wall time jumps, as on a Pi whose clock is set.
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
    };
    const startStation = () =>
      c.station({
        env,
        ackTimeoutSeconds: 5,
        config: {
          devices: { mode: "sim", simTransport: "pty" },
          workflow: { bpRepeatPauseSeconds: 0 },
          // The soak fills its small disk on purpose, mid-check-up: the reserve must not stop them first.
          disk: { reserveMb: 2 },
        },
      });
    await c.county();
    let station = await startStation();
    const county = new CountyPusher(rig.broker, COUNTY, c.stationId);
    const villagers = await roster(station, 50);
    const villager = () => villagers[Math.floor(random() * villagers.length)]!;

    /** One whole check-up; its id when the result screen showed it saved. */
    const checkup = async (): Promise<string> => {
      await checkupToGlucose(station, villager());
      await station.post("/api/sim/glucose", { profile: "normal" });
      const result = await waitState(station, (s) => s.step === "result", "result (record saved)");
      if (result.step !== "result") throw new Error("unreachable");
      await station.post("/api/action", { type: "finish" });
      return result.result.recordId;
    };

    for (let i = 1; i <= o.checkups; i++) {
      const fault: Fault | null =
        // The first faults go through every kind once, the rest are drawn at random.
        random() < 1 / o.faultEvery
          ? (FAULTS.find((f) => faults[f] === 0) ?? FAULTS[Math.floor(random() * FAULTS.length)]!)
          : null;
      if (fault) faults[fault]++;
      if (fault) log(`check-up ${i}: ${fault}`);
      switch (fault) {
        case "broker-restart": {
          await rig.broker.down(random() < 0.5 ? "SIGKILL" : "SIGTERM");
          shownSaved.push(await checkup()); // saved while the county cannot be reached
          await rig.broker.up();
          break;
        }
        case "device-unplug": {
          const name = (["bp", "glucose", "cardReader"] as const)[Math.floor(random() * 3)]!;
          await station.post("/api/sim/device", { name, plugged: false });
          await new Promise((r) => setTimeout(r, 300 + random() * 1500));
          await station.post("/api/sim/device", { name, plugged: true });
          await until(
            () => station.get<{ devices: Record<string, { state: string }> }>("/api/health"),
            (h) => Object.values(h.devices).every((d) => d.state === "connected"),
            `${name} back`,
            15_000,
          );
          break;
        }
        case "station-kill": {
          // Sometimes while idle, sometimes 0–30 ms after the last reading (inside the save).
          if (random() < 0.5) {
            await checkupToGlucose(station, villager());
            await station.post("/api/sim/glucose", { profile: "normal" });
            await new Promise((r) => setTimeout(r, random() * 30));
          }
          await station.kill();
          station = await startStation();
          break;
        }
        case "disk-full": {
          await checkupToGlucose(station, villager());
          // Fill the disk to the last byte, then the reading: the save fails, the screen says so.
          await writeFile(diskFiller, Buffer.alloc(0));
          execFileSync("sh", ["-c", `cat /dev/zero > '${diskFiller}' 2>/dev/null || true`]);
          await station.post("/api/sim/glucose", { profile: "normal" });
          const first = await waitState(
            station,
            (s) => (s.step === "saving" && s.error !== null) || s.step === "result",
            "the save failing on a full disk",
          );
          await rm(diskFiller);
          if (first.step === "result") {
            // The disk check had not yet seen the disk full and the journal frame fitted in space
            // the file already had: a real save, shown as such. Logged, so the run says how often.
            log("  disk-full: saved before the station saw the disk full");
            shownSaved.push(first.result.recordId);
            await station.post("/api/action", { type: "finish" });
            // The check after that save may have seen the disk full: new check-ups stay stopped
            // until the guard's next check sees it freed.
            await until(
              () => station.get<{ disk: { low: boolean } | null }>("/api/health"),
              (h) => h.disk?.low !== true,
              "the disk guard seeing the disk freed",
              180_000,
              500,
            );
            break;
          }
          // The station retries by itself (every 10 s) and then shows the result.
          const result = await waitState(
            station,
            (s) => s.step === "result",
            "the saved result after freeing the disk",
          );
          if (result.step === "result") shownSaved.push(result.result.recordId);
          await station.post("/api/action", { type: "finish" });
          break;
        }
        case "clock-jump": {
          const jump = ["-30d", "-2d", "+3h", "+400d"][Math.floor(random() * 4)]!;
          await writeFile(clockFile, jump);
          shownSaved.push(await checkup());
          await writeFile(clockFile, "+0");
          break;
        }
        case "config-push": {
          const r = random();
          pushes.push(await county.pushConfig(station, r < 0.6 ? "valid" : r < 0.8 ? "invalid" : "stale"));
          log(`  ${pushes.at(-1)}`);
          shownSaved.push(await checkup());
          break;
        }
        case "pack-push": {
          // The first roster push goes whole, so the end check has a version to compare.
          pushes.push(await county.pushRoster(station, faults["pack-push"] > 1 && random() < 0.35));
          log(`  ${pushes.at(-1)}`);
          shownSaved.push(await checkup());
          break;
        }
        default:
          shownSaved.push(await checkup());
      }
      if (i % 5 === 0) {
        const s = sample(station, i);
        if (s) samples.push(s);
      }
    }

    // Everything healthy again: the outbox must drain to the archive.
    if (!rig.broker.isUp()) await rig.broker.up();
    await writeFile(clockFile, "+0");
    log("draining");
    await c.drained(station, shownSaved.length, 180_000);
    const fleet = await county.end(station, c.dataDir);
    await station.stop();

    const held = await readStation(c.dataDir);
    const archive = await readArchive(c.store);
    const archived = new Set(archive.ids);
    const { rss, fds } = slopes(samples);
    return {
      checkups: o.checkups,
      shownSaved,
      faults,
      missing: shownSaved.filter((id) => !archived.has(id)),
      duplicated: duplicates(archive.ids),
      pendingLeft: held.pending.length,
      quarantined: held.quarantined,
      archiveCorrupt: archive.corrupt,
      unparsable: unparsableFiles(c.dataDir),
      fleet,
      pushes,
      samples,
      rssSlopeMbPer1000: rss,
      fdSlopePer1000: fds,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    // Unmount first: closing the rig removes its folders, and a mount point cannot be removed.
    if (mounted) execFileSync("umount", ["-l", c.dataDir]);
    await rig.close().catch(() => {});
  }
}
