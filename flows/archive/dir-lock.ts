/**
 * One writer per directory, with a lock file that a power cut cannot leave blocking start-up.
 * A PID alone is not an identity: after a reboot the same number is often running something
 * else (systemd services start in the same order every boot). The lock records the PID, the
 * kernel boot id and the process start time; it is honoured only when all three still match.
 */
import { readFileSync } from "node:fs";
import { open, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { StationError } from "../../station/util/errors.js";

export interface LockOwner {
  pid: number;
  /** /proc/sys/kernel/random/boot_id; null where /proc is not there. */
  boot: string | null;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot); null where /proc is not there. */
  start: string | null;
}

export function currentBootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** Seconds since the epoch at which the running kernel booted (btime in /proc/stat). */
export function bootTimeMs(): number | null {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"));
    return m ? Number(m[1]) * 1000 : null;
  } catch {
    return null;
  }
}

export function processStartTime(pid: number): string | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return rest[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

export function ownerOf(pid: number): LockOwner {
  return { pid, boot: currentBootId(), start: processStartTime(pid) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Parses a lock file: the JSON owner, or a bare PID as older versions wrote. */
export function parseLock(text: string): LockOwner | { pid: number; legacy: true } | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t), legacy: true };
  try {
    const o = JSON.parse(t) as Partial<LockOwner>;
    if (typeof o.pid !== "number" || !Number.isInteger(o.pid) || o.pid <= 0) return null;
    return {
      pid: o.pid,
      boot: typeof o.boot === "string" ? o.boot : null,
      start: typeof o.start === "string" ? o.start : null,
    };
  } catch {
    return null;
  }
}

/**
 * Whether the lock at `path` is still held by a live process. `mtimeMs` is the lock file's
 * modification time, used for a bare-PID lock: one written before this boot is stale.
 */
export function lockHeld(text: string, mtimeMs: number): boolean {
  const lock = parseLock(text);
  if (!lock || !pidAlive(lock.pid)) return false;
  if ("legacy" in lock) {
    const boot = bootTimeMs();
    return boot === null || mtimeMs >= boot;
  }
  const now = ownerOf(lock.pid);
  if (lock.boot !== null && now.boot !== null && lock.boot !== now.boot) return false;
  if (lock.start !== null && now.start !== null && lock.start !== now.start) return false;
  return true;
}

const HELD = new Set<string>();

/** Takes `dir/LOCK` (mode 0600) or throws "store-locked" naming the live holder. */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, "LOCK");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, "wx", 0o600);
      await fh.writeFile(JSON.stringify(ownerOf(process.pid)));
      await fh.sync();
      await fh.close();
      HELD.add(dir);
      return async () => {
        await unlink(path).catch(() => {});
        HELD.delete(dir);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const text = await readFile(path, "utf8").catch(() => "");
      const mtime = await stat(path).then(
        (s) => s.mtimeMs,
        () => 0,
      );
      const lock = parseLock(text);
      // Our own identity on a lock no store here holds: left by an earlier run in this process's
      // place (containers reuse pid 1 and may share a boot id).
      const ours = lock?.pid === process.pid && !HELD.has(dir);
      if (!ours && lockHeld(text, mtime))
        throw new StationError(
          "store-locked",
          `archive directory ${dir} is in use by process ${lock?.pid ?? "?"}`,
        );
      await unlink(path).catch(() => {});
    }
  }
  throw new StationError("store-locked", `could not lock archive directory ${dir}`);
}
