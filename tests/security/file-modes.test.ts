/**
 * Issue 12 §2/§7: after a real run (a check-up saved, uploaded and acknowledged by the embedded
 * archive), nothing under the data folder or the embedded archive is readable by another local
 * user, including a folder an older version left at 0755/0644.
 */
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { killAll } from "../faults/lib/children.js";
import { checkupViaSim, roster } from "../faults/lib/records.js";
import { until } from "../faults/lib/wait.js";
import { startEmbeddedStation } from "./lib/embedded-station.js";

/** Every path below root whose mode is not 0700 (folder) or 0600 (file), as "path 0644". */
async function loose(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string) => {
    const st = await lstat(p);
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777) !== want) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of await readdir(p)) await walk(join(p, n));
  };
  await walk(root);
  return out;
}

async function count(root: string): Promise<number> {
  let n = 0;
  const walk = async (p: string) => {
    n++;
    if ((await lstat(p)).isDirectory()) for (const c of await readdir(p)) await walk(join(p, c));
  };
  await walk(root);
  return n;
}

describe("file modes after a real run", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await killAll();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("leaves the data folder 0700 and every file 0600, old loose modes included", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hs-modes-"));
    dirs.push(dir);
    // What an older version left: world-readable folders and files.
    await mkdir(join(dir, "data", "meta"), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, "data", "meta", "seq.json"), JSON.stringify({ v: 1, reserved: 0 }), {
      mode: 0o644,
    });
    expect(await loose(join(dir, "data"))).not.toEqual([]);

    const station = await startEmbeddedStation(dir);
    const [villager] = await roster(station, 1);
    const id = await checkupViaSim(station, villager!);
    await until(
      () => station.upload(),
      (s) => s.pending === 0 && s.inFlight === 0 && s.lastAckAt !== null,
      "record acked",
      20_000,
    );
    await station.stop();

    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // Shards, .bak links, the outbox, the person index, meta files, the key, the archive and its LOCK.
    expect(await count(join(dir, "data"))).toBeGreaterThan(6);
    expect(await count(join(dir, "archive"))).toBeGreaterThan(1);
    expect(await loose(join(dir, "data"))).toEqual([]);
    expect(await loose(join(dir, "archive"))).toEqual([]);
  });
});
