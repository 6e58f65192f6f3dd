/**
 * The real station as its own process on its embedded county (Aedes + file archive), simulated
 * devices, port 0. The folder outlives the process so a test can restart it on the same data.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { UploadStatus } from "../../../station/upload/status.js";
import { spawnUntilReady } from "../../faults/lib/children.js";
import { ROOT, type StationProcess } from "../../faults/lib/station.js";

export interface EmbeddedStation extends StationProcess {
  archiveDir: string;
}

export async function startEmbeddedStation(
  dir: string,
  extra: Record<string, unknown> = {},
  env: Record<string, string> = {},
): Promise<EmbeddedStation> {
  const dataDir = join(dir, "data");
  const archiveDir = join(dir, "archive");
  const config = {
    version: 1,
    server: { host: "127.0.0.1", port: 0 },
    dataDir,
    devices: { mode: "sim", simTransport: "mock" },
    workflow: { bpRepeatPauseSeconds: 0 },
    upload: { embeddedArchiveDir: archiveDir },
    log: { level: "warn" },
    ...extra,
  };
  const path = join(dir, "station.json");
  await writeFile(path, JSON.stringify(config, null, 2));
  const child = await spawnUntilReady(
    process.execPath,
    ["--import", "tsx", "station/main.ts", "--config", path],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", ...env } },
    /^READY (http:\/\/\S+)$/m,
    "station",
    60_000,
  );
  const url = child.ready[1]!;
  const request = async <T>(p: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${url}${p}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${p} → ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    url,
    pid: child.pid,
    dataDir,
    archiveDir,
    output: child.output,
    upload: () => request<UploadStatus>("/api/upload"),
    get: (p) => request(p),
    post: (p, body) =>
      request(p, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    stop: () => child.signal("SIGTERM"),
    kill: () => child.signal("SIGKILL"),
  };
}
