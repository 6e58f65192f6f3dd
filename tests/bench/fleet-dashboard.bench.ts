/**
 * The county fleet dashboard at scale (issue 11 §6): `npm run county` built and run as its own
 * process with the fleet view (the shipped Mosquitto, `npm run fleet-sim` stations), and Debian's
 * Chromium logged in to the dashboard. At the baseline size (BENCH_FLEET_SMALL, default 200) and
 * at N (BENCH_FLEET_N, default 2000):
 *   visible    from the stations' READY to the page line saying all of them are online
 *   pageTurn   Next / Last clicked → the new page's line shown (median of 5 turns)
 *   county     the county process's RSS, and its CPU seconds over a 20 s quiet window
 * Prints BENCH_RESULT with the figures and the N / baseline ratios.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { launchChromium } from "../e2e/kiosk-driver.js";
import { startFaultBroker } from "../faults/lib/broker.js";
import { median, rssMb, spawnUntil } from "./lib/proc.js";

const SMALL = Number(process.env.BENCH_FLEET_SMALL ?? 200);
const N = Number(process.env.BENCH_FLEET_N ?? 2000);
const COUNTY = "demo-county";
const PW = "bench-dash-pw-0123";
const ROOT = join(import.meta.dirname, "../..");
const IT = { username: "it-bench", password: "bench-login-0123" };
const PAGE = 20;

const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "hs-bench-dash-"));
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const broker = await startFaultBroker(
    [COUNTY_ADMIN, ...ids("b-", SMALL), ...ids("n-", N - SMALL)].map((username) => ({
      username,
      password: PW,
    })),
  );
  // The stations' password (fleet-sim reads it from the environment spawnUntil passes on).
  process.env.HS_MQTT_PASSWORD = PW;
  const children: ChildProcess[] = [];
  const browser = await launchChromium();
  try {
    // Built as `npm run county` runs it.
    const build = spawn(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: ROOT,
        stdio: "inherit",
      },
    );
    await new Promise((r) => build.once("exit", r));
    const bcrypt = createRequire(createRequire(import.meta.url).resolve("node-red"))("bcryptjs") as {
      hashSync(p: string, r: number): string;
    };
    const cfg = join(dir, "county.json");
    await writeFile(
      cfg,
      JSON.stringify({
        county: COUNTY,
        dataDir: "county",
        broker: { url: broker.url, caFile: broker.caFile },
        store: { kind: "file", dir: "store" },
        archive: false,
        fleet: { password: PW, pageSize: PAGE },
        http: { port: 0, users: [{ username: IT.username, passwordHash: bcrypt.hashSync(IT.password, 8) }] },
        credentialSecret: "bench-secret-0123456789",
      }),
    );
    const county = await spawnUntil(
      process.execPath,
      [join(ROOT, "dist/flows/county.js"), "--config", cfg],
      /^READY .*mqtt=connected/,
      60_000,
    );
    children.push(county.child);
    const url = /dashboard=(\S+)/.exec(county.line)![1]!;
    const pid = county.child.pid!;
    const ctx = await browser.newContext({ httpCredentials: IT, viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(url);
    await page.getByText("站点 Stations").first().waitFor({ timeout: 60_000 });

    const sim = async (prefix: string, n: number) => {
      const r = await spawnUntil(
        process.execPath,
        [
          "--import",
          "tsx",
          join(ROOT, "scripts/fleet-sim.ts"),
          ...["--stations", String(n), "--prefix", prefix, "--county", COUNTY],
          ...["--url", broker.url, "--ca", broker.caFile, "--dir", join(dir, `sim-${prefix}`)],
        ],
        new RegExp(`^READY ${n}$`),
        300_000,
      );
      children.push(r.child);
      return r;
    };
    const measure = async (total: number) => {
      const t0 = Date.now();
      const line = page.getByText(/共 \d+ 站/).first();
      let last = "";
      while (!last.includes(`共 ${total} 站 · 在线 ${total} —`)) {
        if (Date.now() - t0 > 300_000) throw new Error(`not all ${total} online; the page says: ${last}`);
        await sleep(200);
        last = (await line.textContent().catch(() => "")) ?? "";
      }
      const visibleMs = Date.now() - t0;
      const pages = Math.ceil(total / PAGE);
      const turns: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [button, want] = i % 2 === 0 ? ["末页 Last", pages] : ["« 首页 First", 1];
        const t = Date.now();
        await page.getByRole("button", { name: button }).click();
        await page.getByText(`第 ${want}/${pages} 页`).waitFor({ timeout: 60_000 });
        turns.push(Date.now() - t);
      }
      await sleep(5_000);
      const c0 = cpuSeconds(pid);
      await sleep(20_000);
      return {
        stations: total,
        visibleMs,
        pageTurnMs: median(turns),
        countyRssMb: Math.round(rssMb(pid)),
        countyCpuSecondsPer20s: Math.round((cpuSeconds(pid) - c0) * 100) / 100,
      };
    };
    await sim("b-", SMALL);
    const base = await measure(SMALL);
    console.log("baseline", base);
    await sim("n-", N - SMALL);
    const big = await measure(N);
    console.log("at N", big);
    await page.screenshot({ path: join(dir, "..", "hs-bench-dashboard.png") });
    const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 1e-9)) * 100) / 100;
    const result = {
      baseline: base,
      n: big,
      ratios: {
        pageTurn: ratio(big.pageTurnMs, base.pageTurnMs),
        countyRss: ratio(big.countyRssMb, base.countyRssMb),
        countyCpu: ratio(big.countyCpuSecondsPer20s, base.countyCpuSecondsPer20s),
      },
    };
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
    await ctx.close();
  } finally {
    await browser.close();
    for (const c of children) c.kill("SIGKILL");
    await broker.close();
    if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
