/**
 * Station cold start to ready, and resident memory, against bare Node measured in the same run.
 * Budget (issue 2): the station (without Node-RED) starts in under 3 s and stays under 120 MB RSS;
 * (issue 9) still under 120 MB after 100 check-ups and 100 health-card views.
 *
 * Two shapes are measured. "station": as deployed at a clinic, uploading to the county's broker
 * (here an address nobody listens on, so the uploader runs and retries). "demo": `npm start`'s
 * defaults, which also run an embedded broker and the county archive receiver in the same
 * process. The budget is judged on the deployed shape; the demo's figures are printed beside it.
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
const CARD_VIEWS = 100;

function config(name: string, upload: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-start-${name}-`));
  const file = join(dir, "station.json");
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      server: { port: 0 },
      dataDir: join(dir, "data"),
      upload: { ...(upload as object), embeddedArchiveDir: join(dir, "archive") },
      log: { level: "error" },
    }),
  );
  return file;
}
const shapes = {
  station: config("station", { broker: { url: "mqtt://127.0.0.1:9" } }),
  demo: config("demo", { broker: "embedded" }),
};

// Baseline: bare Node starting an HTTP server on port 0 and printing the same READY line.
const bareScript = `require("http").createServer(()=>{}).listen(0,"127.0.0.1",function(){console.log("READY http://127.0.0.1:"+this.address().port)});process.on("SIGTERM",()=>process.exit(0))`;

async function coldStarts(args: string[]): Promise<{ ms: number[]; rss: number[] }> {
  const ms: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await spawnUntil(process.execPath, args, /^READY /);
    ms.push(s.ms);
    rss.push(rssMb(s.child.pid!));
    await stop(s.child);
  }
  return { ms, rss };
}

/** RSS after a burst of check-ups, then of health-card views, through the sim API: memory must not grow with use. */
async function afterCheckups(cfg: string): Promise<number> {
  const s = await spawnUntil(process.execPath, [main, "--config", cfg], /^READY /);
  const url = s.line.split(" ")[1]!;
  const post = (p: string, body: unknown) =>
    fetch(url + p, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  type State = { step: string; phase?: string; card?: unknown };
  const step = async () => (await (await fetch(`${url}/api/state`)).json()) as State;
  const until = async (ok: (s: State) => boolean) => {
    for (let t = 0; t < 300; t++) {
      if (ok(await step())) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`station stuck at ${JSON.stringify(await step())}`);
  };
  const roster = (await (await fetch(`${url}/api/sim/roster?limit=100`)).json()) as Array<{ ref: string }>;
  for (let i = 0; i < CHECKUPS; i++) {
    await post("/api/sim/card", { ref: roster[i % roster.length]!.ref });
    await until((v) => v.step === "identified");
    await post("/api/action", { type: "confirm" });
    await post("/api/action", { type: "consent", accept: true });
    await post("/api/sim/bp", { profile: "normal" });
    await until((v) => v.step === "bp" && v.phase === "done");
    await post("/api/action", { type: "next" });
    await post("/api/action", { type: "skip" });
    await until((v) => v.step === "result");
    await post("/api/action", { type: "finish" });
  }
  for (let i = 0; i < CARD_VIEWS; i++) {
    await post("/api/sim/card", { ref: roster[i % roster.length]!.ref });
    await until((v) => v.step === "identified");
    await post("/api/action", { type: "health-card" });
    await until((v) => v.step === "health-card" && v.card != null);
    await post("/api/action", { type: "cancel" });
    await until((v) => v.step === "attract");
  }
  const rss = rssMb(s.child.pid!);
  await stop(s.child);
  return rss;
}

const bare = await coldStarts(["-e", bareScript]);
const station = await coldStarts([main, "--config", shapes.station]);
const demo = await coldStarts([main, "--config", shapes.demo]);
const stationAfter = await afterCheckups(shapes.station);
const demoAfter = await afterCheckups(shapes.demo);

const f = (x: number) => x.toFixed(0);
const g = (x: number) => x.toFixed(1);
const startMs = median(station.ms);
const rss = Math.max(median(station.rss), stationAfter);
const okStart = startMs < 3000;
const okRss = rss < 120;
console.log(
  `runs: ${RUNS} cold starts each (medians); RSS after ${CHECKUPS} check-ups and ${CARD_VIEWS} health-card views through the real drivers`,
);
console.log(`                      start to READY   RSS at ready   RSS after check-ups + card views`);
console.log(
  `bare node (baseline)  ${f(median(bare.ms)).padStart(8)} ms    ${g(median(bare.rss)).padStart(7)} MB`,
);
console.log(
  `station (deployed)    ${f(startMs).padStart(8)} ms    ${g(median(station.rss)).padStart(7)} MB    ${g(stationAfter).padStart(7)} MB   (${(startMs / median(bare.ms)).toFixed(1)}x / ${(median(station.rss) / median(bare.rss)).toFixed(1)}x bare)`,
);
console.log(
  `demo (npm start)      ${f(median(demo.ms)).padStart(8)} ms    ${g(median(demo.rss)).padStart(7)} MB    ${g(demoAfter).padStart(7)} MB   (adds the embedded broker and archive)`,
);
console.log(`budget start < 3000 ms (station): ${okStart ? "PASS" : "FAIL"} (${f(startMs)} ms)`);
console.log(`budget RSS < 120 MB (station):    ${okRss ? "PASS" : "FAIL"} (${g(rss)} MB)`);
console.log(
  `BENCH_RESULT ${JSON.stringify({
    startMs: Math.round(startMs),
    bareStartMs: Math.round(median(bare.ms)),
    rssReadyMb: +g(median(station.rss)),
    rssAfterCheckupsMb: +g(stationAfter),
    bareRssMb: +g(median(bare.rss)),
    demo: {
      startMs: Math.round(median(demo.ms)),
      rssReadyMb: +g(median(demo.rss)),
      rssAfterCheckupsMb: +g(demoAfter),
    },
    checkups: CHECKUPS,
    healthCardViews: CARD_VIEWS,
    pass: okStart && okRss,
  })}`,
);
process.exitCode = okStart && okRss ? 0 : 1;
