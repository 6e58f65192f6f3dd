/**
 * Issue 12 §5: a LOCK left by a power cut must not block start-up, even when its PID now
 * belongs to a live, unrelated process (PIDs are reused after a reboot).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootTimeMs, currentBootId, ownerOf, processStartTime } from "../../flows/archive/dir-lock.js";
import { FileArchiveStore } from "../../flows/archive/file-store.js";

const hasProc = currentBootId() !== null && bootTimeMs() !== null;

describe.skipIf(!hasProc)("archive LOCK after a reboot", () => {
  const dirs: string[] = [];
  const stores: FileArchiveStore[] = [];
  let child: ChildProcess | null = null;

  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    child?.kill();
    child = null;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  /** A live process that is not a store: stands for whatever got the old PID after the reboot. */
  async function liveStranger(): Promise<number> {
    child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    await new Promise((r) => child!.once("spawn", r));
    return child.pid!;
  }

  async function dirWithLock(content: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "hs-lock-"));
    dirs.push(dir);
    await writeFile(join(dir, "LOCK"), content);
    return dir;
  }

  async function opens(dir: string): Promise<void> {
    const s = new FileArchiveStore({ dir });
    await s.open();
    stores.push(s);
  }

  it("takes over a lock from an earlier boot whose PID is alive now", async () => {
    const pid = await liveStranger();
    const dir = await dirWithLock(
      JSON.stringify({ pid, boot: "00000000-0000-0000-0000-000000000000", start: "1" }),
    );
    await opens(dir);
    // The lock is ours now, with our identity.
    expect(JSON.parse(await readFile(join(dir, "LOCK"), "utf8"))).toEqual(ownerOf(process.pid));
  });

  it("takes over a lock from this boot whose PID was reused by a process that started later", async () => {
    const pid = await liveStranger();
    expect(processStartTime(pid)).not.toBeNull();
    const dir = await dirWithLock(JSON.stringify({ pid, boot: currentBootId(), start: "1" }));
    await opens(dir);
  });

  it("takes over a bare-PID lock (older versions) written before this boot", async () => {
    const pid = await liveStranger();
    const dir = await dirWithLock(String(pid));
    const before = new Date(bootTimeMs()! - 3_600_000);
    await utimes(join(dir, "LOCK"), before, before);
    await opens(dir);
  });

  it("still refuses a lock held by a live process of this boot", async () => {
    const pid = await liveStranger();
    const dir = await dirWithLock(JSON.stringify(ownerOf(pid)));
    await expect(new FileArchiveStore({ dir }).open()).rejects.toMatchObject({ code: "store-locked" });
    const legacy = await dirWithLock(String(pid)); // written now, after boot
    await expect(new FileArchiveStore({ dir: legacy }).open()).rejects.toMatchObject({
      code: "store-locked",
    });
  });

  it("keeps the lock file and the archive folder private", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hs-lock-"));
    dirs.push(dir);
    await opens(join(dir, "archive"));
    expect((await stat(join(dir, "archive"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "archive", "LOCK"))).mode & 0o777).toBe(0o600);
  });
});
