/**
 * `npm run release` and install.sh, as far as this machine allows: the release is built for
 * this machine's CPU (x64; the Pi's is arm64, checked by scripts/check-native.mjs), installed
 * twice into a clean root with its own passwd and group files, refused on an invalid config,
 * and then started from the installed tree with production dependencies only.
 * Not here: apt, systemctl and a real boot (this machine has no systemd as PID 1); see
 * docs/deployment.md for what only a Pi shows.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../e2e/station-process.js";
import { killAll, spawnUntilReady } from "../faults/lib/children.js";

const run = promisify(execFile);
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
let work: string;
let release: string;

/** Every path under dir with its mode, owner and content hash: what "nothing changed" means. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = relative(dir, p);
      if (rel.startsWith("opt/health-station/releases/")) continue; // the copied release, checked by COMMIT
      let what = "";
      if (st.isSymbolicLink()) what = `-> ${readlinkSync(p)}`;
      else if (st.isFile()) what = createHash("sha256").update(readFileSync(p)).digest("hex");
      out.push(`${rel} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${what}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

async function cleanRoot(name: string): Promise<string> {
  const root = join(work, name);
  await mkdir(join(root, "etc"), { recursive: true });
  await mkdir(join(root, "home/kiosk"), { recursive: true });
  await writeFile(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
  await writeFile(join(root, "etc/group"), "root:x:0:\ndialout:x:20:\ngpio:x:997:\n");
  await writeFile(join(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n", { mode: 0o600 });
  await writeFile(join(root, "etc/gshadow"), "root:*::\ndialout:*::\ngpio:!::\n", { mode: 0o600 });
  return root;
}

function install(root: string, ...args: string[]) {
  return spawnSync("bash", [join(release, "install.sh"), "--root", root, ...args], { encoding: "utf8" });
}

const countyConfig = {
  version: 1,
  station: { id: "xx-county-0001", countyId: "xx-county", clinicName: "某某村卫生室" },
  dataDir: "/var/lib/health-station",
  devices: { mode: "hardware", cardReader: { vendorId: "10C4", productId: "EA60", serialNumber: "A1" } },
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "release-"));
  // The suite has just built dist/ and ui/dist/ (scripts/test-all.sh); package those.
  await run("bash", ["scripts/release.sh", "--arch", "x64", "--out", work, "--no-build"], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
  });
  release = join(work, `health-station-${VERSION}`);
  await writeFile(join(work, "county.json"), JSON.stringify(countyConfig));
  await writeFile(join(work, "bad.json"), JSON.stringify({ ...countyConfig, dataDir: 5, extra: true }));
}, 300_000);

afterAll(async () => {
  await killAll();
  await rm(work, { recursive: true, force: true });
});

describe("release", () => {
  it("holds production dependencies only, with a linux binary for every native one", () => {
    // Not typescript: node-red's i18next lists it as an optional peer, so npm installs it with
    // production dependencies; nothing in the station runs it.
    for (const dev of ["vite", "vitest", "tsx", "playwright-core", "@biomejs/biome", "fast-check"])
      expect(existsSync(join(release, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(join(release, "node_modules/serialport"))).toBe(true);
    expect(readFileSync(join(release, "NATIVE-CHECK.txt"), "utf8")).toMatch(
      /ok\s+node_modules\/@serialport\/bindings-cpp@/,
    );
    expect(existsSync(join(work, `health-station-${VERSION}-linux-x64.tar.gz`))).toBe(true);
  });
});

describe("install.sh into a clean root", () => {
  it("installs, is unchanged by a second run, and refuses an invalid config without touching anything", async () => {
    const root = await cleanRoot("root1");
    const first = install(root, "--config", join(work, "county.json"), "--kiosk-user", "kiosk");
    expect(first.status, first.stderr + first.stdout).toBe(0);

    expect(readlinkSync(join(root, "opt/health-station/current"))).toBe(`releases/${VERSION}`);
    const passwd = readFileSync(join(root, "etc/passwd"), "utf8");
    expect(passwd).toMatch(/^health-station:x:\d+:\d+::\/var\/lib\/health-station:\/usr\/sbin\/nologin$/m);
    expect(readFileSync(join(root, "etc/group"), "utf8")).toMatch(/^dialout:x:20:health-station$/m);
    const uid = Number(/^health-station:x:(\d+):/m.exec(passwd)?.[1]);
    const data = lstatSync(join(root, "var/lib/health-station"));
    expect([(data.mode & 0o777).toString(8), data.uid]).toEqual(["700", uid]);
    const cfg = lstatSync(join(root, "etc/health-station/station.json"));
    expect((cfg.mode & 0o777).toString(8)).toBe("640");
    const unit = readFileSync(join(root, "etc/systemd/system/health-station.service"), "utf8");
    for (const line of ["Type=notify", "NotifyAccess=all", "WatchdogSec=30", "UMask=0077", "Restart=always"])
      expect(unit).toContain(line);
    expect(readFileSync(join(root, "etc/udev/rules.d/70-health-station.rules"), "utf8")).toContain(
      'ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{serial}=="A1", SYMLINK+="health-station/card-reader"',
    );
    expect(readFileSync(join(root, "etc/systemd/journald.conf.d/health-station.conf"), "utf8")).toMatch(
      /SystemMaxUse=\d+M/,
    );
    expect(readFileSync(join(root, "home/kiosk/.config/labwc/autostart"), "utf8")).toContain(
      "/opt/health-station/current/deploy/kiosk/kiosk.sh &",
    );

    const before = snapshot(root);
    const second = install(root, "--config", join(work, "county.json"), "--kiosk-user", "kiosk");
    expect(second.status, second.stderr).toBe(0);
    expect(snapshot(root)).toEqual(before);
    expect(
      readFileSync(join(root, "home/kiosk/.config/labwc/autostart"), "utf8").match(/kiosk\.sh/g),
    ).toHaveLength(1);

    const bad = install(root, "--config", join(work, "bad.json"));
    expect(bad.status).toBe(78);
    expect(bad.stderr).toMatch(/dataDir/);
    expect(bad.stderr).toMatch(/nothing was changed/);
    expect(snapshot(root)).toEqual(before);
  }, 120_000);

  it("refuses a first install with no config", async () => {
    const root = await cleanRoot("root2");
    const r = install(root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/first install: give the county's settings/);
    expect(existsSync(join(root, "opt/health-station"))).toBe(false);
  });

  it("the installed tree runs the station with production dependencies only", async () => {
    const root = await cleanRoot("root3");
    expect(install(root, "--config", join(work, "county.json")).status).toBe(0);
    const dir = join(work, "run");
    await mkdir(dir, { recursive: true });
    // The installed code with a loopback config (the county's points at /var/lib and hardware).
    const config = join(dir, "station.json");
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        server: { port: 0 },
        dataDir: join(dir, "data"),
        devices: { simTransport: "mock" },
        upload: { embeddedArchiveDir: join(dir, "archive") },
      }),
    );
    const current = join(root, "opt/health-station/current");
    const station = await spawnUntilReady(
      process.execPath,
      [join(current, "dist/station/main.js"), "--config", config],
      { cwd: current },
      /^READY (http:\/\/\S+)$/m,
      "installed station",
      60_000,
    );
    const url = station.ready[1];
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    const page = await fetch(`${url}/`);
    expect(await page.text()).toMatch(/<div id="app">|<script type="module"/);
    await station.signal("SIGTERM");
  }, 120_000);
});
