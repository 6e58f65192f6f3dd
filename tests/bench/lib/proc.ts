import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** Resident set size of a process in MB, from /proc (what the OOM killer and `free` see). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/** The highest resident set size the process has had so far (VmHWM), in MB. */
export function hwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmHWM for ${pid}`);
  return Number(m[1]) / 1024;
}

/** Spawns a process and resolves when a stdout line matches, with the elapsed milliseconds. */
export function spawnUntil(
  cmd: string,
  args: string[],
  match: RegExp,
  timeoutMs = 30_000,
): Promise<{ child: ChildProcess; ms: number; line: string }> {
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timeout waiting for ${match}; stderr:\n${err}`));
    }, timeoutMs);
    let buf = "";
    child.stdout?.on("data", (d) => {
      buf += d;
      const line = buf.split("\n").find((l) => match.test(l));
      if (line) {
        clearTimeout(timer);
        resolve({ child, ms: Number(process.hrtime.bigint() - t0) / 1e6, line });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ${match}; stderr:\n${err}`));
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((r) => {
    child.once("exit", () => r());
    child.kill("SIGTERM");
  });
}
