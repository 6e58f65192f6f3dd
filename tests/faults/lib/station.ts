/**
 * The real station as its own process (`node --import tsx station/main.ts --config …`) with
 * simulated devices and the upload section pointing at the test broker. The data folder
 * outlives the process, so a test can SIGKILL it and start it again on the same outbox.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { UploadStatus } from "../../../station/upload/status.js";
import { spawnUntilReady } from "./children.js";

export const ROOT = join(import.meta.dirname, "../../..");

export interface StationOptions {
  /** Folder for the config and password files; the data folder is `<dir>/data`. */
  dir: string;
  stationId: string;
  county: string;
  broker: { url: string; caFile: string; password: string };
  window?: number;
  ackTimeoutSeconds?: number;
  /** Extra node flags (the benchmark adds --inspect to read the heap after a full GC). */
  nodeArgs?: string[];
  /** Extra environment (the soak test preloads libfaketime to move the clock). */
  env?: NodeJS.ProcessEnv;
  /** Config sections merged over the defaults below (the soak test uses real pseudo-terminals). */
  config?: Record<string, unknown>;
  /** Run the compiled station (`node dist/station/main.js`, as deployed; `npm run build` first) instead of tsx. */
  compiled?: boolean;
}

export interface StationProcess {
  url: string;
  pid: number;
  dataDir: string;
  output(): string;
  upload(): Promise<UploadStatus>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** SIGTERM: the uploader writes collected acks and says goodbye. */
  stop(): Promise<void>;
  /** SIGKILL, mid-whatever. */
  kill(): Promise<void>;
  /** The exit code once the process has ended (null after a signal); only for spawned processes. */
  exitCode?: Promise<number | null>;
}

export function stationDataDir(dir: string): string {
  return join(dir, "data");
}

export async function writeStationConfig(o: StationOptions): Promise<string> {
  const passwordFile = join(o.dir, "station-password");
  await writeFile(passwordFile, o.broker.password, { mode: 0o600 });
  const config = {
    version: 1,
    station: { id: o.stationId, countyId: o.county },
    server: { host: "127.0.0.1", port: 0 },
    dataDir: stationDataDir(o.dir),
    devices: { mode: "sim", simTransport: "mock" },
    workflow: { bpRepeatPauseSeconds: 0 },
    upload: {
      broker: { url: o.broker.url, username: o.stationId, passwordFile, caFile: o.broker.caFile },
      window: o.window ?? 64,
      ackTimeoutSeconds: o.ackTimeoutSeconds ?? 5,
    },
    log: { level: "warn" },
    ...o.config,
  };
  const path = join(o.dir, "station.json");
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

export async function startStation(o: StationOptions): Promise<StationProcess> {
  const config = await writeStationConfig(o);
  const child = await spawnUntilReady(
    process.execPath,
    [
      ...(o.nodeArgs ?? []),
      ...(o.compiled ? ["dist/station/main.js"] : ["--import", "tsx", "station/main.ts"]),
      "--config",
      config,
    ],
    // Vitest's NODE_ENV=test must not leak into the product process.
    { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", ...o.env } },
    /^READY (http:\/\/\S+)$/m,
    "station",
    60_000,
  );
  const url = child.ready[1]!;
  const request = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    url,
    pid: child.pid,
    dataDir: stationDataDir(o.dir),
    output: child.output,
    upload: () => request<UploadStatus>("/api/upload"),
    get: (path) => request(path),
    post: (path, body) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    stop: () => child.signal("SIGTERM"),
    kill: () => child.signal("SIGKILL"),
    exitCode: child.exitCode,
  };
}
