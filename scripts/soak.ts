/**
 * npm run soak -- --checkups N [--fault-every K] [--seed S]
 * A compressed year of check-ups under random faults (tests/soak/soak-run.ts). Prints progress,
 * then the verdict and the RSS and file-descriptor slopes; exit 1 on any lost, duplicated or
 * unreadable record. Needs root (the data disk is a tmpfs it mounts) and the test packages
 * (scripts/install-test-deps.sh).
 */
import { parseArgs } from "node:util";
import { runSoak } from "../tests/soak/soak-run.js";

const { values } = parseArgs({
  options: {
    checkups: { type: "string", default: "200" },
    "fault-every": { type: "string", default: "8" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
  },
});
const checkups = Number(values.checkups);
const faultEvery = Number(values["fault-every"]);
const seed = Number(values.seed);
const t0 = Date.now();
const r = await runSoak({
  checkups,
  faultEvery,
  seed,
  log: (l) => console.log(`[${Math.round((Date.now() - t0) / 1000)} s] ${l}`),
});
const ok =
  r.missing.length === 0 &&
  r.duplicated.length === 0 &&
  r.pendingLeft === 0 &&
  r.quarantined === 0 &&
  r.archiveCorrupt === 0 &&
  r.unparsable.length === 0 &&
  r.fleet.consistent;
console.log(JSON.stringify({ ...r, shownSaved: r.shownSaved.length, samples: r.samples.length }, null, 2));
// Memory and descriptors per station process (each SIGKILL starts a new one).
const segments = new Map<number, typeof r.samples>();
for (const x of r.samples) segments.set(x.pid, [...(segments.get(x.pid) ?? []), x]);
for (const [pid, xs] of segments) {
  const a = xs[0]!;
  const b = xs[xs.length - 1]!;
  console.log(
    `process ${pid}: check-ups ${a.checkup}–${b.checkup} (${xs.length} samples), RSS ${a.rssMb.toFixed(1)} → ${b.rssMb.toFixed(1)} MB ` +
      `(max ${Math.max(...xs.map((x) => x.rssMb)).toFixed(1)}), fds ${a.fds} → ${b.fds}`,
  );
}
const fmt = (v: number | null, unit: string) =>
  v === null ? "n/a" : `${v.toFixed(2)} ${unit} per 1,000 check-ups`;
console.log(
  `SOAK ${ok ? "PASS" : "FAIL"} seed ${seed}: ${r.checkups} check-ups, ${r.shownSaved.length} shown saved, ` +
    `faults ${JSON.stringify(r.faults)}, missing ${r.missing.length}, duplicated ${r.duplicated.length}, ` +
    `outbox left ${r.pendingLeft}; config ${r.fleet.configHealth} (pushed ${r.fleet.configPushed}), roster ${r.fleet.rosterOnDisk} (pushed ${r.fleet.rosterPushed}); RSS slope ${fmt(r.rssSlopeMbPer1000, "MB")}, fd slope ${fmt(r.fdSlopePer1000, "fds")}; ${r.seconds} s`,
);
process.exitCode = ok ? 0 : 1;
