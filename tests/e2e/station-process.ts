/**
 * Starts the real station as a child process on port 0 with a temp data dir, and makes sure
 * ui/dist is built from the current sources. Used by the end-to-end tests.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the UI unless ui/dist is newer than every UI source file. */
export function ensureUiBuilt(): void {
  const built = join(ROOT, "ui/dist/index.html");
  const sources = ["ui/src", "ui/index.html", "ui/sim.html", "ui/vite.config.ts", "station/protocol.ts"];
  const newestSource = Math.max(...sources.map((s) => newestMtime(join(ROOT, s))));
  if (
    existsSync(built) &&
    statSync(built).mtimeMs > newestSource &&
    existsSync(join(ROOT, "ui/dist/sim.html"))
  )
    return;
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "ui/vite.config.ts"],
    {
      cwd: ROOT,
      stdio: "pipe",
      // Vitest sets NODE_ENV=test, which would make Vite keep development-only code in the bundle.
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
}

export interface RunningStation {
  url: string;
  dataDir: string;
  /** The embedded county archive (append-only JSONL segments). */
  archiveDir: string;
  /** Everything the station wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startStation(): Promise<RunningStation> {
  const dir = await mkdtemp(join(tmpdir(), "station-e2e-"));
  const dataDir = join(dir, "data");
  const configPath = join(dir, "config.json");
  const archiveDir = join(dir, "archive");
  const config = {
    version: 1,
    server: { port: 0 },
    dataDir,
    upload: { embeddedArchiveDir: archiveDir },
    workflow: { bpRepeatPauseSeconds: 2 },
  };
  await writeFile(configPath, JSON.stringify(config));
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "station/main.ts", "--config", configPath],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      log += d.toString();
      const m = /^READY (http:\/\/\S+)$/m.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`station exited with ${code} before READY:\n${log}`)));
    child.once("error", reject);
  });
  return {
    url,
    dataDir,
    archiveDir,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
