/**
 * One test file's world: the county code built from the current sources, a real Mosquitto with
 * the shipped TLS + ACL config, and per case a fresh station (own id, data folder) and a fresh
 * county archive store. Every case ends with `finish()`: stop everything, then the exactly-once
 * check against what is on disk on both sides.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type Built, buildDist } from "../../flows/helpers/dist-build.js";
import { expectExactlyOnce, readArchive } from "./archive.js";
import { type FaultBroker, startFaultBroker } from "./broker.js";
import { killAll } from "./children.js";
import { type CountyProcess, type CountyStoreConfig, startCounty } from "./county.js";
import { readStation, seedPending } from "./records.js";
import { type StationOptions, type StationProcess, startStation, stationDataDir } from "./station.js";
import { until } from "./wait.js";

export const COUNTY = "demo-county";
const ARCHIVE_USER = { username: "county-archive", password: "archive-pw-0123" };
const STATION_PASSWORD = "station-pw-0123";

export interface Case {
  stationId: string;
  stationPassword: string;
  dataDir: string;
  store: CountyStoreConfig;
  seed(n: number, perDay?: number): Promise<string[]>;
  county(): Promise<CountyProcess>;
  station(
    opts?: Partial<Pick<StationOptions, "window" | "ackTimeoutSeconds" | "env" | "config">>,
  ): Promise<StationProcess>;
  /** Archive copies stored so far (file lines or table rows). */
  archived(): Promise<number>;
  /** Waits until the station reports an idle, empty outbox and the archive holds `n` records. */
  drained(station: StationProcess, n: number, timeoutMs: number): Promise<void>;
  /** Stops whatever still runs, then: every saved record exactly once, outbox empty. */
  finish(expectedSaved: number): Promise<void>;
}

export interface Rig {
  broker: FaultBroker;
  built: Built;
  newCase(store?: "file" | { kind: "postgres"; url: string }): Promise<Case>;
  close(): Promise<void>;
}

/** `extraUsers`: more broker logins (the soak's county admin). */
export async function startRig(
  stations = 4,
  extraUsers: ReadonlyArray<{ username: string; password: string }> = [],
): Promise<Rig> {
  const ids = Array.from({ length: stations }, (_, i) => `st-fault-${i + 1}`);
  const [built, broker] = await Promise.all([
    buildDist(),
    startFaultBroker([
      ARCHIVE_USER,
      ...extraUsers,
      ...ids.map((username) => ({ username, password: STATION_PASSWORD })),
    ]),
  ]);
  const root = await mkdtemp(join(tmpdir(), "hs-faults-"));
  const countyBase = {
    countyJs: built.countyJs,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, ...ARCHIVE_USER },
  };
  const running = new Set<{ stop(): Promise<unknown> }>();
  let next = 0;

  const newCase = async (storeKind: "file" | { kind: "postgres"; url: string } = "file"): Promise<Case> => {
    const stationId = ids[next++];
    if (!stationId) throw new Error(`rig has only ${stations} station ids`);
    const dir = join(root, stationId);
    await mkdir(dir, { recursive: true });
    const store: CountyStoreConfig =
      storeKind === "file" ? { kind: "file", dir: join(dir, "archive") } : storeKind;
    const dataDir = stationDataDir(dir);
    const track = <T extends { stop(): Promise<unknown> }>(p: T): T => {
      running.add(p);
      return p;
    };
    const archived = async () => (await readArchive(store)).ids.length;
    return {
      stationId,
      stationPassword: STATION_PASSWORD,
      dataDir,
      store,
      seed: (n, perDay) => seedPending(dataDir, stationId, n, perDay),
      county: async () =>
        track(await startCounty({ ...countyBase, dataDir: join(dir, "county-data"), store })),
      station: async (opts = {}) =>
        track(
          await startStation({
            dir,
            stationId,
            county: COUNTY,
            broker: { url: broker.url, caFile: broker.caFile, password: STATION_PASSWORD },
            ...opts,
          }),
        ),
      archived,
      drained: async (station, n, timeoutMs) => {
        await until(
          async () => ({ upload: await station.upload(), archived: await archived() }),
          (s) =>
            s.upload.pending === 0 && s.upload.inFlight === 0 && s.upload.retrying === 0 && s.archived >= n,
          `station outbox empty and ${n} records archived`,
          timeoutMs,
          200,
        );
      },
      finish: async (expectedSaved) => {
        for (const p of running) await p.stop();
        running.clear();
        expectExactlyOnce(await readStation(dataDir), await readArchive(store), expectedSaved);
      },
    };
  };

  return {
    broker,
    built,
    newCase,
    close: async () => {
      for (const p of running) await p.stop().catch(() => {});
      await killAll();
      await broker.close();
      await built.cleanup();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * One rig for the calling test file: started before its tests, closed after them. The handle
 * forwards to the running rig, so tests use it like the Rig itself.
 */
export function useRig(stations: number): Rig {
  let running: Rig | undefined;
  beforeAll(async () => {
    running = await startRig(stations);
  });
  afterAll(async () => {
    await running?.close();
  });
  const rig = (): Rig => {
    if (!running) throw new Error("the rig is used before beforeAll started it");
    return running;
  };
  return {
    get broker() {
      return rig().broker;
    },
    get built() {
      return rig().built;
    },
    newCase: (store) => rig().newCase(store),
    close: () => rig().close(),
  };
}
