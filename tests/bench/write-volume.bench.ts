/**
 * Bytes written and fsyncs per check-up for a 100- and a 300-check-up day, counted through the
 * store's FsLayer, with an empty store and with a year of history, for three designs in the same
 * run: the save journal with the person-index delta (default; docs/adr/0008), the save journal
 * rewriting person buckets at compaction (docs/adr/0007, `personDelta: false`), and the earlier
 * design that rewrites shard, outbox file and bucket on every save (`journal: false`). A longer
 * run (45 days of 100 after a year of history) includes a fold of the delta into the buckets at
 * its production bound, so the delta's deferred cost is in the figure, not hidden. Save latency
 * p99 is taken on the same saves (compactions run in the background during them).
 *   npx tsx tests/bench/write-volume.bench.ts
 * Budget (issue 13 §6): bytes per check-up, compaction and folds included, ≤ 4× the record's own
 * serialized size, for every row of the default design.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { idCheckChar, parseIdNumber } from "../../station/domain/id-number.js";
import type { CheckupRecord, RosterEntry } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import type { Logger } from "../../station/util/logger.js";
import { demoRecord } from "../doctor-lists/demo-records.js";
import { countingFs, makeHistory, percentile, seedStoreFiles } from "./lib/storage-seed.js";

const DAYS = [100, 300];
/** A year of history at 100 a day, so the person buckets compaction rewrites are not tiny. */
const YEAR = 36_500;
const BUDGET = 4;
/** The longer run: enough days at 100 to pass the delta's production bound (4,000 entries) once. */
const LONG_DAYS = 45;
const DAY_MS = 86_400_000;

type Design = "delta" | "buckets" | "earlier";
const DESIGN_NAME: Record<Design, string> = {
  delta: "journal + person delta",
  buckets: "journal, bucket rewrite",
  earlier: "earlier (journal: false)",
};

let rnd = 42;
const next = () => {
  rnd = (rnd * 1_103_515_245 + 12_345) % 2 ** 31;
  return rnd / 2 ** 31;
};

function person(i: number): RosterEntry {
  for (let k = 0; ; k++) {
    const first17 =
      `5101991${940 + ((i + k) % 50)}0${1 + ((i + k) % 9)}1${(i + k) % 9}${String(i % 1000).padStart(3, "0")}`.slice(
        0,
        17,
      );
    const idNumber = first17 + idCheckChar(first17);
    if (parseIdNumber(idNumber).ok)
      return { idNumber, name: `村民${i}`, village: "演示一村", categories: ["hypertension"], doctor: null };
  }
}

/** n check-ups spread over a day's clinic hours (08:00–17:00 UTC+8), a third with glucose. */
function dayOfCheckups(n: number, firstSeq: number, dayStart = Date.now()): CheckupRecord[] {
  const today = new Date(dayStart + 8 * 3_600_000).toISOString().slice(0, 10);
  const open = Date.parse(`${today}T08:00:00+08:00`);
  return Array.from({ length: n }, (_, i) =>
    demoRecord(person(i), {
      at: open + Math.floor((i * 9 * 3_600_000) / n),
      sbp: 110 + Math.floor(next() * 70),
      dbp: 65 + Math.floor(next() * 35),
      ...(i % 3 === 0 && { glucose: Math.round((4 + next() * 6) * 10) / 10 }),
      seq: firstSeq + i,
    }),
  );
}

interface Row {
  design: Design;
  history: number;
  days: number;
  checkups: number;
  recordBytes: number;
  saveBytes: number;
  saveSyncs: number;
  closeBytes: number;
  closeSyncs: number;
  /** Person-delta design: a folding close after the run (prepare-rollback: the delta into the buckets). */
  stopBytes?: number;
  stopSyncs?: number;
  saveP99: number;
  folds: number;
}

/** Counts the person index's delta folds from the store's log line. */
function foldCounter(): { log: Logger; folds: number } {
  const c = { folds: 0, log: null as unknown as Logger };
  const noop = () => {};
  c.log = {
    debug: noop,
    warn: noop,
    error: noop,
    info: (msg) => {
      if (String(typeof msg === "function" ? msg() : msg).includes("delta folded")) c.folds++;
    },
    child: () => c.log,
  };
  return c;
}

/**
 * The designs side by side, each in its own folder, saves alternating between them so load from
 * elsewhere (a shared machine) hits all alike; bytes and fsyncs are counted per store.
 */
async function run(designs: readonly Design[], perDay: number, history: number, days = 1): Promise<Row[]> {
  const dirs: string[] = [];
  try {
    // History ends the day before the first measured day.
    const firstDay = Date.now() - (days - 1) * DAY_MS;
    const seed = makeHistory(history, firstDay - DAY_MS);
    const recs: CheckupRecord[] = [];
    for (let d = 0; d < days; d++)
      recs.push(...dayOfCheckups(perDay, history + 1 + recs.length, firstDay + d * DAY_MS));
    const setups = [];
    for (const design of designs) {
      const dir = await mkdtemp(join(tmpdir(), "bench-wvol-"));
      dirs.push(dir);
      if (history > 0) await seedStoreFiles(dir, seed);
      const counter = countingFs();
      const folds = foldCounter();
      const store = createFileStore({
        dir,
        fs: counter.fs,
        logger: folds.log,
        journal: design !== "earlier",
        personDelta: design === "delta",
        // A stop does not fold; the fold (prepare-rollback) is measured on its own below.
        personDeltaFoldAtClose: false,
      });
      setups.push({ design, dir, counter, folds, store, times: [] as number[] });
    }
    execFileSync("sync");
    for (const s of setups) await s.store.open();
    // The sequence file is written once per 100 numbers in either design; counted, as it is real.
    for (const s of setups) s.counter.reset();
    for (const r of recs)
      for (const s of setups) {
        const rec = { ...r, seq: await s.store.nextSeq() };
        const t0 = performance.now();
        await s.store.save(rec);
        s.times.push(performance.now() - t0);
      }
    const rows: Row[] = [];
    for (const s of setups) {
      const row: Row = {
        design: s.design,
        history,
        days,
        checkups: recs.length,
        recordBytes: recs.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0) / recs.length,
        saveBytes: s.counter.bytes,
        saveSyncs: s.counter.syncs,
        closeBytes: 0,
        closeSyncs: 0,
        saveP99: percentile(
          s.times.sort((x, y) => x - y),
          99,
        ),
        folds: 0,
      };
      s.counter.reset();
      // Day end: the journal's compaction into shard, outbox and person index is part of the cost.
      await s.store.close();
      row.closeBytes = s.counter.bytes;
      row.closeSyncs = s.counter.syncs;
      row.folds = s.folds.folds;
      if (s.design === "delta") {
        // What folding the delta at a stop would cost (docs/adr/0009): why only
        // `prepare-rollback` folds; at every stop, a station shut down nightly would pay it daily.
        const stop = countingFs();
        const again = createFileStore({ dir: s.dir, fs: stop.fs, personDeltaFoldAtClose: true });
        await again.open();
        stop.reset();
        await again.close();
        row.stopBytes = stop.bytes;
        row.stopSyncs = stop.syncs;
      }
      rows.push(row);
    }
    return rows;
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const history of [0, YEAR])
  for (const n of DAYS) rows.push(...(await run(["delta", "buckets", "earlier"], n, history)));
// Earlier design left out here: 4,500 whole-shard rewrites add minutes and nothing new.
rows.push(...(await run(["delta", "buckets"], 100, YEAR, LONG_DAYS)));

const per = (r: Row) => ({
  bytes: (r.saveBytes + r.closeBytes) / r.checkups,
  syncs: (r.saveSyncs + r.closeSyncs) / r.checkups,
  saveBytes: r.saveBytes / r.checkups,
  saveSyncs: r.saveSyncs / r.checkups,
});
console.log(`write volume per check-up, counted through FsLayer, tmpdir ${tmpdir()}`);
console.log(
  "history  days × n  design                    record B  save B/chk  save fsync/chk  total B/chk  total fsync/chk  total÷record  save p99 ms  folds",
);
for (const r of rows) {
  const p = per(r);
  console.log(
    `${String(r.history).padStart(7)} ${`${r.days} × ${r.checkups / r.days}`.padStart(8)}  ${DESIGN_NAME[r.design].padEnd(24)} ${r.recordBytes.toFixed(0).padStart(9)} ${p.saveBytes.toFixed(0).padStart(11)} ${p.saveSyncs.toFixed(2).padStart(15)} ${p.bytes.toFixed(0).padStart(12)} ${p.syncs.toFixed(2).padStart(16)} ${(p.bytes / r.recordBytes).toFixed(2).padStart(13)}× ${r.saveP99.toFixed(2).padStart(11)} ${String(r.folds).padStart(6)}`,
  );
}
console.log(
  "\n(total = the saves, the background compactions during them and the compaction at close, without a stop; the earlier design's close writes only the count cache)",
);
console.log("ratios, same run (higher = the person delta writes less):");
let pass = true;
const summary: Array<Record<string, number | string>> = [];
for (const r of rows.filter((x) => x.design === "delta")) {
  const same = (d: Design) =>
    rows.find(
      (x) => x.design === d && x.history === r.history && x.checkups === r.checkups && x.days === r.days,
    );
  const b = same("buckets")!;
  const e = same("earlier");
  const pr = per(r);
  const ratio = pr.bytes / r.recordBytes;
  pass &&= ratio <= BUDGET;
  const stop =
    r.stopBytes === undefined
      ? ""
      : `; a fold after it (prepare-rollback, or a stop that folded) writes ${(r.stopBytes / 1024).toFixed(0)} KiB, ${r.stopSyncs} fsyncs (one such fold per run: ${((pr.bytes + r.stopBytes / r.checkups) / r.recordBytes).toFixed(2)}× the record)`;
  const vsE = e ? `, earlier ÷ delta bytes ${(per(e).bytes / pr.bytes).toFixed(1)}×` : "";
  console.log(
    `  history ${r.history}, ${r.days} × ${r.checkups / r.days}: bucket-rewrite ÷ delta bytes ${(per(b).bytes / pr.bytes).toFixed(2)}×, fsyncs ${(per(b).syncs / pr.syncs).toFixed(2)}×${vsE}; save p99 delta ÷ bucket-rewrite ${(r.saveP99 / b.saveP99).toFixed(2)}×; delta total ÷ record ${ratio.toFixed(2)}× (${ratio <= BUDGET ? "within" : "OVER"} ${BUDGET}×)${stop}`,
  );
  summary.push({
    history: r.history,
    days: r.days,
    checkups: r.checkups,
    recordBytes: Math.round(r.recordBytes),
    deltaBytesPerCheckup: Math.round(pr.bytes),
    deltaFsyncsPerCheckup: Number(pr.syncs.toFixed(2)),
    bucketRewriteBytesPerCheckup: Math.round(per(b).bytes),
    deltaOverRecord: Number(ratio.toFixed(2)),
    saveP99DeltaOverBuckets: Number((r.saveP99 / b.saveP99).toFixed(2)),
    folds: r.folds,
    stopFoldBytes: r.stopBytes ?? 0,
  });
}
console.log(
  `\nbudget: person-delta design, bytes per check-up ≤ ${BUDGET}× the record, every row (empty store, a year of history, ${LONG_DAYS} days with a fold): ${pass ? "PASS" : "FAIL"}`,
);
if (!pass) process.exitCode = 1;
console.log(`BENCH_RESULT ${JSON.stringify({ bench: "write-volume", pass, rows: summary })}`);
