/**
 * Starts the real station as a child process on port 0 with a temp data dir, and makes sure
 * ui/dist is built from the current sources. Used by the end-to-end tests.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hashSecret } from "../../station/doctor/secret-hash.js";
import { spawnUntilReady } from "../faults/lib/children.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds the UI unless ui/dist is newer than every UI source file. */
export function ensureUiBuilt(): void {
  const built = join(ROOT, "ui/dist/index.html");
  const sources = [
    "ui/src",
    "ui/public",
    "ui/index.html",
    "ui/sim.html",
    "ui/vite.config.ts",
    "station/protocol.ts",
  ];
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

/** The doctor configured on the e2e station (PIN hash made with cheap scrypt parameters). */
export const E2E_DOCTOR = { id: "dr-e2e", name: "王医生", pin: "2468" };

export async function startStation(workflow: Record<string, unknown> = {}): Promise<RunningStation> {
  const dir = await mkdtemp(join(tmpdir(), "station-e2e-"));
  const dataDir = join(dir, "data");
  const configPath = join(dir, "config.json");
  const archiveDir = join(dir, "archive");
  const config = {
    version: 1,
    server: { port: 0 },
    dataDir,
    upload: { embeddedArchiveDir: archiveDir },
    // Long enough to screenshot the rest screen at both sizes in both languages.
    workflow: { bpRepeatPauseSeconds: 8, ...workflow },
    doctor: {
      doctors: [
        {
          id: E2E_DOCTOR.id,
          name: E2E_DOCTOR.name,
          villages: ["演示一村"],
          pinHash: await hashSecret(E2E_DOCTOR.pin, { N: 1024, r: 8, p: 1 }),
        },
        {
          id: "dr-e2e-2",
          name: "李医生",
          villages: [],
          pinHash: await hashSecret("1357", { N: 1024, r: 8, p: 1 }),
        },
      ],
      lockoutBaseSeconds: 1,
    },
  };
  await writeFile(configPath, JSON.stringify(config));
  const child = await spawnUntilReady(
    process.execPath,
    ["--import", "tsx", "station/main.ts", "--config", configPath],
    { cwd: ROOT },
    /^READY (http:\/\/\S+)$/m,
    "station",
    60_000,
  );
  const url = child.ready[1]!;
  return {
    url,
    dataDir,
    archiveDir,
    output: child.output,
    async stop() {
      await child.signal("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
