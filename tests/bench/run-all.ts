/**
 * npm run bench: runs every tests/bench/*.bench.ts in its own process, one after another (they
 * measure the same machine, so never in parallel), and prints each BENCH_RESULT line at the end.
 * Results and the reproducing command are recorded in docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: Array<{ bench: string; ok: boolean; result: string | null }> = [];
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(dir, b)], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  process.stdout.write(r.stdout);
  const line = r.stdout.split("\n").findLast((l) => l.startsWith("BENCH_RESULT "));
  results.push({ bench: b, ok: r.status === 0, result: line ? line.slice("BENCH_RESULT ".length) : null });
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.bench} ${r.result ?? "(no result)"}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
