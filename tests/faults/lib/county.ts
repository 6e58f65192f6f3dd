/**
 * The county archive as deployed: `node dist/flows/county.js --config <file>` in its own
 * process, built from the current sources into a temp folder (tests/flows/helpers/dist-build.ts,
 * the same tsc run as `npm run build:server`), so a stale dist/ can never be what is tested.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawnUntilReady } from "./children.js";

export const COUNTY_SECRET = "fault-tests-credential-secret";

export type CountyStoreConfig = { kind: "file"; dir: string } | { kind: "postgres"; url: string };

export interface CountyOptions {
  countyJs: string;
  county: string;
  /** Node-RED userDir (flows, credentials, dead letters); kept across restarts. */
  dataDir: string;
  store: CountyStoreConfig;
  broker: { url: string; caFile: string; username: string; password: string };
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

export async function startCounty(o: CountyOptions): Promise<CountyProcess> {
  const cfgPath = await writeConfig(o);
  const child = await spawnUntilReady(
    process.execPath,
    [o.countyJs, "--config", cfgPath],
    {},
    /READY .*mqtt=connected/,
    "county archive",
    o.readyTimeoutMs ?? 60_000,
  );
  return {
    pid: child.pid,
    output: child.output,
    stop: async () => {
      await child.signal("SIGTERM");
      return child.output();
    },
    kill: () => child.signal("SIGKILL"),
  };
}
