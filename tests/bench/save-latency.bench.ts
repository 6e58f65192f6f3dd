/**
 * Durable save latency with 1,000 and with 100,000 records already stored, against lowdb's own
 * JSONFile keeping everything in one file (the obvious design), measured in the same run; and the
 * save journal (default) against the earlier whole-shard rewrite (journal: false), also same run.
 *   npx tsx tests/bench/save-latency.bench.ts
 * Budget (issue "Station foundation" §4): save p99 at 100k within 2× of p99 at 1k.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";
import { countingFs, makeHistory, PER_DAY, percentile, seedStoreFiles } from "./lib/storage-seed.js";

const SIZES = [1_000, 100_000];
const DURABLE_SAMPLES = 300;
const LOWDB_MAX_SAMPLES = 200;
const LOWDB_TIME_CAP_MS = 25_000; // per size; at 100k each write re-serialises ~100 MB
const WARMUP = 10;

interface Row {
  stored: number;
  store: string;
  samples: number;
  p50: number;
  p99: number;
  bytesPerSave: number;
  fsyncsPerSave: number;
  note: string;
}

const fresh = (seq: number, n: number): CheckupRecord =>
  makeRecord({ seq, person: idNumber("19500101", (n % 900) + 1), systolic: 110 + (n % 50) });

const JOURNAL = "durable file store (journal)";
const EARLIER = "durable, earlier (journal: false)";

/**
 * Both sizes, with the save journal and with the earlier whole-shard rewrite, open at once and
 * measured alternately, so disk noise from elsewhere hits all alike.
 */
async function durable(sizes: number[]): Promise<Row[]> {
  const dirs: string[] = [];
  try {
    const setups = [];
    for (const stored of sizes)
      for (const journal of [true, false]) {
        const dir = await mkdtemp(join(tmpdir(), "bench-durable-"));
        dirs.push(dir);
        await seedStoreFiles(dir, makeHistory(stored));
        const counter = countingFs();
        const store = createFileStore({ dir, fs: counter.fs, journal });
        await store.open();
        setups.push({ stored, counter, store, times: [] as number[], name: journal ? JOURNAL : EARLIER });
      }
    // Flush the seeding's unsynced writes now, not in the middle of the measured fsyncs.
    execFileSync("sync");
    for (let i = 0; i < WARMUP + DURABLE_SAMPLES; i++) {
      for (const s of setups) {
        const rec = fresh(await s.store.nextSeq(), i);
        if (i === WARMUP) s.counter.reset();
        const t0 = performance.now();
        await s.store.save(rec); // the real save: one journal frame, or person index, outbox, shard
        if (i >= WARMUP) s.times.push(performance.now() - t0);
      }
    }
    const rows: Row[] = [];
    for (const s of setups) {
      if ((await s.store.count()) !== s.stored + WARMUP + DURABLE_SAMPLES) throw new Error("count mismatch");
      // bytes/fsyncs per save are counted over the saves only; the journal's compaction at close is
      // in tests/bench/write-volume.bench.ts.
      const bytes = s.counter.bytes;
      const syncs = s.counter.syncs;
      await s.store.close();
      s.times.sort((a, b) => a - b);
      rows.push({
        stored: s.stored,
        store: s.name,
        samples: s.times.length,
        p50: percentile(s.times, 50),
        p99: percentile(s.times, 99),
        bytesPerSave: bytes / DURABLE_SAMPLES,
        fsyncsPerSave: syncs / DURABLE_SAMPLES,
        note: "history seeded by writing shard files directly",
      });
    }
    return rows;
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}

async function plainLowdb(stored: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), "bench-lowdb-"));
  const file = join(dir, "db.json");
  const row: Row = {
    stored,
    store: "lowdb JSONFile, one file",
    samples: 0,
    p50: Number.NaN,
    p99: Number.NaN,
    bytesPerSave: Number.NaN,
    fsyncsPerSave: 0,
    note: "no fsync (steno rename only)",
  };
  try {
    const db = new Low(new JSONFile<{ records: CheckupRecord[] }>(file), { records: [] });
    db.data.records = makeHistory(stored);
    await db.write();
    execFileSync("sync");
    const times: number[] = [];
    const start = performance.now();
    let seq = stored;
    for (let i = 0; i < WARMUP + LOWDB_MAX_SAMPLES; i++) {
      if (i > WARMUP && performance.now() - start > LOWDB_TIME_CAP_MS) break;
      const t0 = performance.now();
      db.data.records.push(fresh(++seq, i));
      await db.write();
      if (i >= WARMUP || stored >= 100_000) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    row.samples = times.length;
    row.p50 = percentile(times, 50);
    row.p99 = percentile(times, 99);
    row.bytesPerSave = (await stat(file)).size;
    if (stored >= 100_000) row.note += "; few samples (time cap), no warm-up: p99 = max";
  } catch (err) {
    row.note = `FAILED: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return row;
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const t0 = performance.now();
const rows: Row[] = [];
rows.push(...(await durable(SIZES)));
for (const n of SIZES) rows.push(await plainLowdb(n));

console.log(`save latency, ${PER_DAY} records per day of history, tmpdir ${tmpdir()}`);
console.log("stored    store                      samples   p50 ms   p99 ms   bytes/save  fsyncs/save  note");
for (const r of rows)
  console.log(
    `${r.stored.toLocaleString("en").padEnd(9)} ${r.store.padEnd(26)} ${String(r.samples).padStart(7)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)} ${fmt(r.bytesPerSave, 0).padStart(12)} ${fmt(r.fsyncsPerSave, 1).padStart(12)}  ${r.note}`,
  );

const find = (store: string, n: number) => rows.find((r) => r.store.startsWith(store) && r.stored === n)!;
console.log("\nratios, journal ÷ earlier design, same run (issue 13 §6: p99 must not get worse):");
const journalVsEarlier: Array<Record<string, number>> = [];
for (const n of SIZES) {
  const j = find(JOURNAL, n);
  const e = find(EARLIER, n);
  console.log(
    `  ${n.toLocaleString("en").padEnd(8)} p50 ${fmt(j.p50 / e.p50)}×   p99 ${fmt(j.p99 / e.p99)}×   bytes/save ${fmt(j.bytesPerSave / e.bytesPerSave, 4)}×`,
  );
  journalVsEarlier.push({
    stored: n,
    p50: Number(fmt(j.p50 / e.p50, 3)),
    p99: Number(fmt(j.p99 / e.p99, 3)),
  });
}
console.log("\nratios, durable (journal) ÷ lowdb JSONFile measured above (lower is better):");
for (const n of SIZES) {
  const d = find(JOURNAL, n);
  const l = find("lowdb", n);
  console.log(
    `  ${n.toLocaleString("en").padEnd(8)} p50 ${fmt(d.p50 / l.p50)}×   p99 ${fmt(d.p99 / l.p99)}×   bytes/save ${fmt(d.bytesPerSave / l.bytesPerSave, 4)}×`,
  );
}
const d1k = find(JOURNAL, 1_000);
const d100k = find(JOURNAL, 100_000);
const l1k = find("lowdb", 1_000);
const l100k = find("lowdb", 100_000);
const growth = d100k.p99 / d1k.p99;
const pass = growth <= 2;
console.log(
  `\nbudget: durable p99 at 100k ÷ p99 at 1k = ${fmt(d100k.p99)} / ${fmt(d1k.p99)} ms = ${fmt(growth)}× (≤ 2×): ${pass ? "PASS" : "FAIL"}`,
);
console.log(
  `baseline growth: lowdb JSONFile p99 at 100k ÷ 1k = ${fmt(l100k.p99)} / ${fmt(l1k.p99)} ms = ${fmt(l100k.p99 / l1k.p99)}×`,
);
console.log(
  `note: on the earlier design every measured save rewrites today's shard, which grows by ${WARMUP + DURABLE_SAMPLES} records in the run, so bytes/save\n` +
    `      here (≈ records already in today's shard × record size + 3 small index files) is above a typical day's average.`,
);
console.log(`total run ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (!pass) process.exitCode = 1;
console.log(
  `BENCH_RESULT ${JSON.stringify({
    bench: "save-latency",
    pass,
    p99GrowthDurable: Number(growth.toFixed(3)),
    p99GrowthLowdb: Number((l100k.p99 / l1k.p99).toFixed(3)),
    journalVsEarlier,
    rows: rows.map((r) => ({
      stored: r.stored,
      store: r.store,
      samples: r.samples,
      p50Ms: Number(fmt(r.p50, 3)) || null,
      p99Ms: Number(fmt(r.p99, 3)) || null,
      bytesPerSave: Math.round(r.bytesPerSave) || null,
      fsyncsPerSave: r.fsyncsPerSave,
      note: r.note,
    })),
  })}`,
);
