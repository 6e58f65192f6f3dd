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

/**
 * Loads the fleet state from a store, then saves it whenever it changed (at most every `everyMs`)
 * and once more at stop. Shared by the monitor and the Node-RED fleet-state node.
 */
export class FleetSaver {
  #saving: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  private constructor(
    private readonly fleet: { dirty: boolean; presence: { all(): StationPresence[] } },
    private readonly store: FleetStateStore,
    everyMs: number,
  ) {
    this.#timer = setInterval(() => {
      if (!fleet.dirty) return;
      fleet.dirty = false;
      // One save at a time; a failed one is retried at the next tick.
      this.#saving = this.#saving
        .then(() => store.save(fleet.presence.all()))
        .catch(() => {
          fleet.dirty = true;
        });
    }, everyMs);
    this.#timer.unref();
  }

  static async open(
    fleet: { dirty: boolean; presence: { all(): StationPresence[]; load(s: StationPresence[]): void } },
    store: FleetStateStore,
    everyMs = 5_000,
  ): Promise<FleetSaver> {
    await store.open();
    try {
      fleet.presence.load(await store.load());
    } catch {}
    return new FleetSaver(fleet, store, everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#saving;
    await this.store.save(this.fleet.presence.all());
    await this.store.close();
  }
}
