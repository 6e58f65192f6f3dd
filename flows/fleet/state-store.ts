/**
 * Where the county fleet monitor keeps the fleet state (each station's presence) across restarts:
 * a JSON file in the embedded default and for a small county, PostgreSQL when one is configured
 * (pg-state-store.ts), as the archive chooses its store.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeDurableSync } from "../../station/fleet/durable-sync.js";
import type { StationPresence } from "./presence.js";

export interface FleetStateStore {
  open(): Promise<void>;
  /** Every station saved; empty when nothing was saved yet. */
  load(): Promise<StationPresence[]>;
  /** Saves every station given (the whole fleet each time: a county has hundreds). */
  save(stations: StationPresence[]): Promise<void>;
  close(): Promise<void>;
}

/** `{dir}/fleet-state.json`, written whole (temp file, fsync, rename). */
export class FileFleetStateStore implements FleetStateStore {
  readonly path: string;
  constructor(dir: string) {
    this.path = join(dir, "fleet-state.json");
  }
  async open(): Promise<void> {}
  async load(): Promise<StationPresence[]> {
    try {
      return (JSON.parse(await readFile(this.path, "utf8")) as { stations: StationPresence[] }).stations;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
  }
  async save(stations: StationPresence[]): Promise<void> {
    writeDurableSync(this.path, JSON.stringify({ savedAt: new Date().toISOString(), stations }));
  }
  async close(): Promise<void> {}
}
