/**
 * Every process the fault tests and the benchmark spawn, from the moment it is spawned: a test
 * that times out while a child is still starting must not leave a broker, county or station
 * running. Killed by pid (SIGKILL) when the rig closes and, as a last resort, when this process exits.
 */
import type { ChildProcess } from "node:child_process";

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
