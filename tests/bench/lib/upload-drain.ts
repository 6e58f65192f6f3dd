/**
 * One measured backlog drain: the real station process starts on a seeded outbox with the
 * county broker and archive up (the moment the link returns after an outage) and uploads
 * everything. Timed from the first record in flight (the station's own upload status, polled
 * every few ms from READY; a monitor on the broker would need the archive's credentials, and the
 * broker's client id = username rule would then disconnect the archive) to the moment the station's last
 * outbox file is gone (the store deletes a day's outbox file only after the record's acked state
 * is fsynced). Disk bytes are the station's own /proc/<pid>/io write_bytes.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { UPLOAD_WINDOW_DEFAULT } from "../../../station/config/schema.js";
import { dayOfFileName } from "../../../station/storage/layout.js";
import { readArchive } from "../../faults/lib/archive-read.js";
import type { FaultBroker } from "../../faults/lib/broker.js";
import { readStation } from "../../faults/lib/records.js";
import { type StationProcess, startStation, stationDataDir } from "../../faults/lib/station.js";
import { hwmMb, rssMb } from "./proc.js";
import { heapAfterGcMb, inspectorUrl } from "./upload-inspect.js";
import { makeBacklog, seedBacklog } from "./upload-seed.js";

export interface BenchWorld {
  broker: FaultBroker;
  county: string;
  archiveDir: string;
  archiveUser: { username: string; password: string };
  stationPassword: string;
}

export interface DrainResult {
  records: number;
  ms: number;
  perSecond: number;
  /** Station RSS right after READY, at the end of the drain, and the highest sample between. */
  rssStartMb: number;
  rssEndMb: number;
  rssPeakMb: number;
  /** The kernel's own RSS high-water mark (VmHWM) at the end: catches peaks between samples. */
  hwmMb: number;
  /** Live JS heap after a full GC, right after READY and after the drain. */
  heapStartMb: number;
  heapEndMb: number;
  /** Station CPU time (user + system) from READY to the end, as a share of one core. */
  cpuShare: number;
  /** Station write_bytes during the drain, per record. */
  diskBytesPerRecord: number;
  /** The station reported an ack timeout during the drain (records sent again). */
  resent: boolean;
  /** What `during` returned (e.g. doctor screens loaded while the backlog drained). */
  during: number;
}

function writeBytes(pid: number, text = ""): number {
  const m = /^write_bytes: (\d+)$/m.exec(text);
  if (!m) throw new Error(`no write_bytes in /proc/${pid}/io`);
  return Number(m[1]);
}

async function procIo(pid: number): Promise<number> {
  return writeBytes(pid, await readFile(`/proc/${pid}/io`, "utf8"));
}

/** utime + stime in clock ticks (100/s on Linux). */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]);
}

async function outboxFiles(dataDir: string): Promise<number> {
  return (await readdir(join(dataDir, "outbox"))).filter((f) => dayOfFileName(f) !== null).length;
}

export async function measureDrain(
  w: BenchWorld,
  o: {
    dir: string;
    stationId: string;
    records: number;
    perDay: number;
    timeoutMs: number;
    /** Records already uploaded, stored before the backlog (the same records stored, less to drain). */
    uploaded?: number;
    window?: number;
    /** Extra Node flags for the station (e.g. a heap cap). */
    nodeArgs?: string[];
    /** The compiled station (dist/), as deployed, instead of tsx. */
    compiled?: boolean;
    /** Config sections merged over the fault-test defaults (devices, doctors). */
    config?: Record<string, unknown>;
    /** Work run against the station from READY until the drain ends (`done()` turns true). */
    during?: (s: StationProcess, done: () => boolean) => Promise<number>;
  },
): Promise<DrainResult> {
  const dataDir = stationDataDir(o.dir);
  const stored = makeBacklog(o.stationId, o.records + (o.uploaded ?? 0), o.perDay, Date.now(), o.uploaded);
  await seedBacklog(dataDir, stored);
  const backlog = stored.filter((r) => r.sync.status === "pending");

  const station = await startStation({
    dir: o.dir,
    stationId: o.stationId,
    county: w.county,
    broker: { url: w.broker.url, caFile: w.broker.caFile, password: w.stationPassword },
    // The station's own default, not the fault tests' smaller one (tests/faults/lib/station.ts).
    window: o.window ?? UPLOAD_WINDOW_DEFAULT,
    nodeArgs: ["--inspect=127.0.0.1:0", ...(o.nodeArgs ?? [])],
    ...(o.compiled ? { compiled: true } : {}),
    ...(o.config ? { config: o.config } : {}),
  });
  const inspector = inspectorUrl(station.output());
  const rssStartMb = rssMb(station.pid);
  const io0 = await procIo(station.pid);
  const cpu0 = await cpuTicks(station.pid);
  const readyAt = performance.now();
  const deadline = performance.now() + o.timeoutMs;
  let firstAt = 0;
  while (firstAt === 0) {
    const u = await station.upload();
    if (u.inFlight > 0 || u.pending < o.records) firstAt = performance.now();
    else if (performance.now() > deadline) throw new Error(`${o.stationId}: nothing sent`);
    else await new Promise((r) => setTimeout(r, 2));
  }
  const heapStartMb = await heapAfterGcMb(inspector);
  let rssPeakMb = rssStartMb;
  let endAt = 0;
  let resent = false;
  const during = o.during?.(station, () => endAt > 0) ?? Promise.resolve(0);
  // A failure of the side work is reported after the drain, not as an unhandled rejection.
  during.catch(() => {});
  try {
    for (let i = 0; ; i++) {
      if (i % 10 === 0) resent ||= (await station.upload()).lastError?.code === "ack-timeout";
      rssPeakMb = Math.max(rssPeakMb, rssMb(station.pid));
      if ((await outboxFiles(dataDir)) === 0) {
        endAt = performance.now();
        break;
      }
      if (performance.now() > deadline)
        throw new Error(
          `${o.stationId}: outbox not empty after ${o.timeoutMs} ms:\n${station.output().slice(-2000)}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
    const duringResult = await during;
    const rssEndMb = rssMb(station.pid);
    const hwm = hwmMb(station.pid);
    const bytes = (await procIo(station.pid)) - io0;
    const cpuShare = ((await cpuTicks(station.pid)) - cpu0) / 100 / ((endAt - readyAt) / 1000);
    const heapEndMb = await heapAfterGcMb(inspector);
    resent ||= (await station.upload()).lastError?.code === "ack-timeout";
    await station.stop();

    // Exactly once, or the figures mean nothing.
    const held = await readStation(dataDir);
    const mine = new Set(backlog.map((r) => r.id));
    const archived = (await readArchive({ kind: "file", dir: w.archiveDir })).ids.filter((id) =>
      mine.has(id),
    );
    if (held.pending.length !== 0 || archived.length !== o.records || new Set(archived).size !== o.records)
      throw new Error(
        `${o.stationId}: ${held.pending.length} still pending, ${archived.length} archived copies of ${new Set(archived).size} ids (want ${o.records} once)`,
      );
    const ms = endAt - firstAt;
    return {
      records: o.records,
      ms,
      perSecond: (o.records / ms) * 1000,
      rssStartMb,
      rssEndMb,
      rssPeakMb,
      hwmMb: hwm,
      heapStartMb,
      heapEndMb,
      cpuShare,
      diskBytesPerRecord: bytes / o.records,
      resent,
      during: duringResult,
    };
  } finally {
    await station.kill();
  }
}
