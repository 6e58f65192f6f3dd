/**
 * The county archive as deployed: `node dist/flows/county.js --config <file>` in its own
 * process, built from the current sources into a temp folder (tests/flows/helpers/dist-build.ts,
 * the same tsc run as `npm run build:server`), so a stale dist/ can never be what is tested.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { track } from "./children.js";
import { until, waitForOutput } from "./wait.js";

export const COUNTY_SECRET = "fault-tests-credential-secret";

export type CountyStoreConfig = { kind: "file"; dir: string } | { kind: "postgres"; url: string };

export interface CountyOptions {
  countyJs: string;
  county: string;
  /** Node-RED userDir (flows, credentials, dead letters); kept across restarts. */
  dataDir: string;
  store: CountyStoreConfig;
  broker: { url: string; caFile: string; username: string; password: string };
  /**
   * A flows_cred.json to put into dataDir before the start (see provisionCredentials): a county
   * started on an empty dataDir connects without its username (bug shown by
   * county-credentials.test.ts), so every other test starts from provisioned credentials.
   */
  credentialsFile?: string;
  /** How long to wait for `READY … mqtt=connected`. Default 60 s. */
  readyTimeoutMs?: number;
}

export interface CountyProcess {
  pid: number;
  output(): string;
  /** Clean stop (SIGTERM: the receiver drains its batch); resolves with everything it printed. */
  stop(): Promise<string>;
  /** SIGKILL: whatever was stored but not yet acked stays unacked. */
  kill(): Promise<void>;
}

async function writeConfig(o: CountyOptions): Promise<string> {
  await mkdir(o.dataDir, { recursive: true });
  if (o.credentialsFile) await copyFile(o.credentialsFile, join(o.dataDir, "flows_cred.json"));
  const cfgPath = join(o.dataDir, "..", `county-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(
    cfgPath,
    JSON.stringify({
      county: o.county,
      dataDir: o.dataDir,
      broker: { ...o.broker, clientId: "county-archive-1" },
      store: o.store,
      http: { port: 0, editor: false },
      credentialSecret: COUNTY_SECRET,
    }),
  );
  return cfgPath;
}

/**
 * Works around the first-start credential bug openly: runs the county once on `o.dataDir` until
 * Node-RED has saved its credential file, kills it, and returns that file's path for
 * `credentialsFile`. A later start loads the username and password from it.
 */
export async function provisionCredentials(o: CountyOptions): Promise<string> {
  const cfgPath = await writeConfig(o);
  const proc = track(spawn(process.execPath, [o.countyJs, "--config", cfgPath], { stdio: "ignore" }));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const file = join(o.dataDir, "flows_cred.json");
  try {
    await until(
      async () => JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>,
      // Encrypted ("$") or, through the same race, plain text (bug in county-credentials.test.ts).
      (creds) => typeof creds.$ === "string" || "hs-broker" in creds,
      `Node-RED writing ${file}`,
      60_000,
    );
  } finally {
    proc.kill("SIGKILL");
    await exited;
  }
  return file;
}

export async function startCounty(o: CountyOptions): Promise<CountyProcess> {
  const cfgPath = await writeConfig(o);
  const proc: ChildProcess = track(
    spawn(process.execPath, [o.countyJs, "--config", cfgPath], { stdio: ["ignore", "pipe", "pipe"] }),
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  try {
    await waitForOutput(
      () => out,
      /READY .*mqtt=connected/,
      gone,
      "county archive",
      o.readyTimeoutMs ?? 60_000,
    );
  } catch (err) {
    proc.kill("SIGKILL");
    throw err;
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (!gone()) proc.kill(sig);
    await exited;
  };
  return {
    pid: proc.pid!,
    output: () => out,
    stop: async () => {
      await signal("SIGTERM");
      return out;
    },
    kill: () => signal("SIGKILL"),
  };
}
