/**
 * Station cold start to ready, and resident memory, against bare Node measured in the same run.
 * Budget (issue 2): the station (without Node-RED) starts in under 3 s and stays under 120 MB RSS.
 * Uses the compiled station (dist/), as a Pi runs it: `npm run build` first.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, rssMb, spawnUntil, stop } from "./lib/proc.js";

const root = join(import.meta.dirname, "../..");
const main = join(root, "dist/station/main.js");
if (!existsSync(main)) {
  console.error("startup.bench: dist/station/main.js missing; run `npm run build` first");
  process.exit(2);
}
const RUNS = 5;
const CHECKUPS = 100;

const dir = mkdtempSync(join(tmpdir(), "bench-start-"));
const cfg = join(dir, "station.json");
writeFileSync(
  cfg,
  JSON.stringify({ version: 1, server: { port: 0 }, dataDir: join(dir, "data"), log: { level: "warn" } }),
);

// Baseline: bare Node starting an HTTP server on port 0 and printing the same READY line.
const bareScript = `require("http").createServer(()=>{}).listen(0,"127.0.0.1",function(){console.log("READY http://127.0.0.1:"+this.address().port)});process.on("SIGTERM",()=>process.exit(0))`;

const bare: number[] = [];
const bareRss: number[] = [];
const station: number[] = [];
const stationRss: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const b = await spawnUntil(process.execPath, ["-e", bareScript], /^READY /);
  bare.push(b.ms);
  bareRss.push(rssMb(b.child.pid!));
  await stop(b.child);
  const s = await spawnUntil(process.execPath, [main, "--config", cfg], /^READY /);
  station.push(s.ms);
  stationRss.push(rssMb(s.child.pid!));
  await stop(s.child);
}

// RSS after a burst of check-ups through the sim API: memory must not grow with use.
const s = await spawnUntil(process.execPath, [main, "--config", cfg], /^READY /);
const url = s.line.split(" ")[1]!;
const post = (p: string, body: unknown) =>
  fetch(url + p, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
const roster = (await (await fetch(`${url}/api/sim/roster?limit=100`)).json()) as Array<{ idNumber: string }>;
for (let i = 0; i < CHECKUPS; i++) {
  await post("/api/sim/card", { idNumber: roster[i % roster.length]!.idNumber });
  await post("/api/action", { type: "confirm" });
  await post("/api/action", { type: "consent", accept: true });
  await post("/api/sim/bp", { profile: "normal" });
  await post("/api/action", { type: "next" });
  await post("/api/action", { type: "sample-type", sampleType: "random" });
  await post("/api/sim/glucose", { profile: "normal" });
  for (let t = 0; t < 100; t++) {
    const st = (await (await fetch(`${url}/api/state`)).json()) as { step: string };
    if (st.step === "result") break;
    await new Promise((r) => setTimeout(r, 10));
  }
  await post("/api/action", { type: "finish" });
}
const rssAfter = rssMb(s.child.pid!);
await stop(s.child);

const startMs = median(station);
const rss = Math.max(median(stationRss), rssAfter);
const okStart = startMs < 3000;
const okRss = rss < 120;
console.log(`runs: ${RUNS} (medians)`);
console.log(
  `cold start to READY   station ${startMs.toFixed(0)} ms   bare node ${median(bare).toFixed(0)} ms   ratio ${(startMs / median(bare)).toFixed(1)}x`,
);
console.log(
  `RSS at ready          station ${median(stationRss).toFixed(1)} MB   bare node ${median(bareRss).toFixed(1)} MB   ratio ${(median(stationRss) / median(bareRss)).toFixed(1)}x`,
);
console.log(`RSS after ${CHECKUPS} check-ups  ${rssAfter.toFixed(1)} MB`);
console.log(`budget start < 3000 ms: ${okStart ? "PASS" : "FAIL"} (${startMs.toFixed(0)} ms)`);
console.log(`budget RSS < 120 MB:    ${okRss ? "PASS" : "FAIL"} (${rss.toFixed(1)} MB)`);
console.log(
  `BENCH_RESULT ${JSON.stringify({
    startMs: Math.round(startMs),
    bareStartMs: Math.round(median(bare)),
    rssReadyMb: +median(stationRss).toFixed(1),
    rssAfterCheckupsMb: +rssAfter.toFixed(1),
    bareRssMb: +median(bareRss).toFixed(1),
    checkups: CHECKUPS,
    pass: okStart && okRss,
  })}`,
);
