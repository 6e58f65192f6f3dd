/**
 * scripts/setup-encrypted-data.sh as a county would run it, short of systemd (--no-systemd):
 * a key on "removable media" (a tmpfs of its own), an existing data folder moved into a new
 * gocryptfs volume, nothing readable in the cipher folder, and the key helper mounting it back.
 * A key on the system's own disk is refused. Needs root, gocryptfs and fuse3 (install-test-deps).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../e2e/station-process.js";

const MARKER = "杨金花-510199194412213797-record";
let dir = "";
const mounts: string[] = [];

function run(...args: string[]) {
  return spawnSync("bash", [join(ROOT, "scripts/setup-encrypted-data.sh"), ...args], { encoding: "utf8" });
}

function grepTree(root: string, needle: Buffer): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(root);
  return hits;
}

afterAll(async () => {
  for (const m of mounts.reverse()) spawnSync("umount", ["-l", m]);
  if (!dir) return;
  spawnSync("chattr", ["-i", join(dir, "data")]);
  await rm(dir, { recursive: true, force: true });
});

describe("encrypted data folder (gocryptfs)", () => {
  it("moves the data into an encrypted volume that only the key on removable media opens", async () => {
    dir = await mkdtemp(join(tmpdir(), "enc-data-"));
    const usb = join(dir, "usb");
    await mkdir(usb);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", usb]);
    mounts.push(usb);
    const data = join(dir, "data");
    await mkdir(join(data, "records"), { recursive: true });
    await writeFile(join(data, "records", "2026-11-30.json"), JSON.stringify({ name: MARKER }));

    const r = run(
      "--data",
      data,
      "--user",
      "daemon",
      "--key",
      `file:${join(usb, "station.key")}`,
      "--lib",
      join(dir, "lib"),
      "--no-systemd",
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect((statSync(join(usb, "station.key")).mode & 0o777).toString(8)).toBe("600");
    expect(existsSync(join(`${data}.enc`, "gocryptfs.conf"))).toBe(true);
    // The old clear-text folder is kept for the technician to check, then delete.
    expect(readFileSync(join(`${data}.plain-old`, "records", "2026-11-30.json"), "utf8")).toContain(MARKER);
    // Nothing of the record is readable in the encrypted folder, and the mount point is empty.
    expect(grepTree(`${data}.enc`, Buffer.from(MARKER))).toEqual([]);
    expect(readdirSync(data)).toEqual([]);
    expect((statSync(data).mode & 0o777).toString(8)).toBe("700");

    // What health-station-data.service runs at boot: the key helper opens the volume.
    const mnt = join(dir, "mnt");
    await mkdir(mnt);
    execFileSync("gocryptfs", ["-q", "-extpass", join(dir, "lib", "data-key"), `${data}.enc`, mnt]);
    mounts.push(mnt);
    expect(readFileSync(join(mnt, "records", "2026-11-30.json"), "utf8")).toContain(MARKER);
    execFileSync("fusermount3", ["-u", mnt]);
    mounts.pop();
  }, 60_000);

  it("refuses a key kept on the system's own disk", async () => {
    const d = await mkdtemp(join(tmpdir(), "enc-refuse-"));
    try {
      const r = run(
        "--data",
        join(d, "data"),
        "--user",
        "daemon",
        "--key",
        `file:${join(d, "k")}`,
        "--lib",
        join(d, "lib"),
        "--no-systemd",
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/protects nothing/);
      expect(existsSync(join(d, "data.enc"))).toBe(false);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
