/**
 * What an encrypted data folder (scripts/setup-encrypted-data.sh: gocryptfs) costs a durable
 * save: the real store with 1,000 records, on a plain folder and on gocryptfs mounts (AES-GCM,
 * and XChaCha20-Poly1305 as used on a Pi without AES instructions), measured alternately in the
 * same run on the same disk.
 *   npx tsx tests/bench/encrypted-save.bench.ts        (needs root, gocryptfs and /dev/fuse)
 * No budget: the figure is recorded in docs/benchmarks.md so a county can weigh it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createFileStore } from "../../station/storage/file-store.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";
import { makeHistory, percentile, seedStoreFiles } from "./lib/storage-seed.js";

type FileStoreLike = ReturnType<typeof createFileStore>;

const STORED = 1_000;
const SAMPLES = 300;
const WARMUP = 10;

function unavailable(): string | null {
  if (process.getuid?.() !== 0) return "needs root (FUSE mount)";
  if (spawnSync("gocryptfs", ["-version"]).status !== 0) return "gocryptfs not installed";
  if (!existsSync("/dev/fuse")) return "no /dev/fuse";
  return null;
}

async function mountGocryptfs(base: string, name: string, extra: string[]): Promise<string> {
  const cipher = join(base, `${name}.enc`);
  const plain = join(base, name);
  const pass = join(base, `${name}.key`);
  await mkdir(cipher);
  await mkdir(plain);
  await writeFile(pass, "0".repeat(64), { mode: 0o600 });
  execFileSync("gocryptfs", ["-init", "-q", ...extra, "-passfile", pass, cipher], { stdio: "ignore" });
  execFileSync("gocryptfs", ["-q", "-passfile", pass, cipher, plain], { stdio: "ignore" });
  return plain;
}

async function main(): Promise<void> {
  const why = unavailable();
  if (why) {
    console.log(`encrypted-save: skipped, ${why}`);
    console.log(`BENCH_RESULT encrypted-save skipped (${why})`);
    return;
  }
  const base = await mkdtemp(join(tmpdir(), "bench-enc-"));
  const mounts: string[] = [];
  try {
    const plainDir = join(base, "plain");
    await mkdir(plainDir);
    const targets = [
      { name: "plain folder", dir: plainDir },
      { name: "gocryptfs AES-GCM", dir: await mountGocryptfs(base, "aes", []) },
      { name: "gocryptfs XChaCha20", dir: await mountGocryptfs(base, "xchacha", ["-xchacha"]) },
    ];
    mounts.push(targets[1]!.dir, targets[2]!.dir);
    const setups: Array<{ name: string; dir: string; store: FileStoreLike; times: number[] }> = [];
    for (const t of targets) {
      const dir = join(t.dir, "data");
      await seedStoreFiles(dir, makeHistory(STORED));
      const store = createFileStore({ dir });
      await store.open();
      setups.push({ ...t, store, times: [] as number[] });
    }
    execFileSync("sync");
    for (let i = 0; i < WARMUP + SAMPLES; i++)
      for (const s of setups) {
        const rec = makeRecord({ seq: await s.store.nextSeq(), person: idNumber("19500101", (i % 900) + 1) });
        const t0 = performance.now();
        await s.store.save(rec);
        if (i >= WARMUP) s.times.push(performance.now() - t0);
      }
    for (const s of setups) {
      await s.store.close();
      s.times.sort((a, b) => a - b); // percentile() takes a sorted list
    }
    const base0 = setups[0]!;
    const p = (s: { times: number[] }, q: number) => percentile(s.times, q);
    console.log(`store with ${STORED} records, ${SAMPLES} durable saves each, alternating`);
    console.log("target                 p50 ms   p99 ms   p50 ratio  p99 ratio");
    for (const s of setups)
      console.log(
        `${s.name.padEnd(22)} ${p(s, 50).toFixed(2).padStart(6)}   ${p(s, 99).toFixed(2).padStart(6)}   ${(p(s, 50) / p(base0, 50)).toFixed(2).padStart(8)}x ${(p(s, 99) / p(base0, 99)).toFixed(2).padStart(8)}x`,
      );
    const worst = setups.slice(1).map((s) => `${s.name} p50 ${(p(s, 50) / p(base0, 50)).toFixed(2)}x`);
    console.log(`BENCH_RESULT encrypted-save plain p50 ${p(base0, 50).toFixed(2)} ms; ${worst.join(", ")}`);
  } finally {
    for (const m of mounts) spawnSync("fusermount3", ["-u", m]);
    await rm(base, { recursive: true, force: true });
  }
}

await main();
