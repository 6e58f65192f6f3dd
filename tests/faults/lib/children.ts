/**
 * Every process the fault tests and the benchmark spawn, from the moment it is spawned: a test
 * that times out while a child is still starting must not leave a broker, county or station
 * running. Killed by pid (SIGKILL) when the rig closes and, as a last resort, when this process exits.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { waitForOutput } from "./wait.js";

const children = new Set<ChildProcess>();

function alive(c: ChildProcess): boolean {
  return c.exitCode === null && c.signalCode === null;
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export async function killAll(): Promise<void> {
  const left = [...children].filter(alive);
  await Promise.all(
    left.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once("exit", () => resolve());
          c.kill("SIGKILL");
        }),
    ),
  );
}

process.once("exit", () => {
  for (const c of children) if (alive(c)) c.kill("SIGKILL");
});

export interface ReadyChild {
  pid: number;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** The match of the ready line. */
  ready: RegExpExecArray;
  /** Sends the signal (unless it is gone already) and resolves once it has exited. */
  signal(sig: NodeJS.Signals): Promise<void>;
  /** Resolves with the exit code (null when a signal ended it) once it has exited by itself or not. */
  exitCode: Promise<number | null>;
}

/**
 * Spawns a tracked child, collects its output, and resolves once it prints `ready`; if it exits
 * first or stays silent past the timeout, it is killed and the error carries its output.
 */
export async function spawnUntilReady(
  cmd: string,
  args: string[],
  opts: SpawnOptions,
  ready: RegExp,
  what: string,
  timeoutMs: number,
): Promise<ReadyChild> {
  const proc = track(spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] }));
  let out = "";
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
  const gone = () => !alive(proc);
  const exitCode = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  const exited = exitCode.then(() => {});
  let m: RegExpExecArray;
  try {
    m = await waitForOutput(() => out, ready, gone, what, timeoutMs);
  } catch (err) {
    proc.kill("SIGKILL");
    throw err;
  }
  return {
    pid: proc.pid!,
    output: () => out,
    ready: m,
    exitCode,
    signal: async (sig) => {
      if (!gone()) proc.kill(sig);
      await exited;
    },
  };
}
