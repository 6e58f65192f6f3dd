/**
 * A pair of linked pseudo-terminals from socat, so the real serialport binding talks to a
 * simulator with no hardware. Used by the station's simulated mode and the integration tests;
 * a missing socat is an error that names the package to install.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PtyPair {
  a: string;
  b: string;
  dir: string;
  /** Stops socat (both ends vanish, like an unplugged adapter) but keeps the folder. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

export function socatAvailable(): boolean {
  return !spawnSync("socat", ["-V"], { encoding: "utf8" }).error;
}

/** Starts socat; pass `dir` to bring a killed pair back under the same link names. */
export async function openPtyPair(existingDir?: string): Promise<PtyPair> {
  const probe = spawnSync("socat", ["-V"], { encoding: "utf8" });
  if (probe.error)
    throw new Error(
      `socat is required for simulated serial devices over pseudo-terminals but could not be run (${probe.error.message}). Install it: apt-get install -y socat`,
    );
  const dir = existingDir ?? (await mkdtemp(join(tmpdir(), "pty-")));
  const a = join(dir, "ttyA");
  const b = join(dir, "ttyB");
  const proc: ChildProcess = spawn(
    "socat",
    ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${log}`)), 10_000);
    proc.stderr!.on("data", (d: Buffer) => {
      log += d.toString();
      // socat logs this once both ends exist and it is copying bytes.
      if (log.includes("starting data transfer loop")) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${log}`));
    });
  });
  const kill = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    }
  };
  return {
    a,
    b,
    dir,
    kill,
    async close() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
