/**
 * Records on the station side: seeding a stopped station's outbox through the real file store,
 * reading back what it holds, and a whole check-up driven through the sim API while it runs.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ViewState } from "../../../station/protocol.js";
import { createFileStore } from "../../../station/storage/file-store.js";
import { idNumber, makeRecord } from "../../storage/fixtures/records.js";
import type { StationProcess } from "./station.js";
import { until } from "./wait.js";

const DAY_MS = 86_400_000;

/**
 * Saves `n` valid pending records of `stationId` with the store the station uses, `perDay` per
 * shard day ending yesterday (a backlog from an outage). Returns their ids, oldest first.
 */
export async function seedPending(
  dataDir: string,
  stationId: string,
  n: number,
  perDay = 50,
): Promise<string[]> {
  const store = createFileStore({ dir: dataDir });
  await store.open();
  const ids: string[] = [];
  try {
    const first = (await store.count()) + 1;
    const days = Math.ceil(n / perDay);
    const start = Date.now() - (days + 1) * DAY_MS;
    for (let i = 0; i < n; i++) {
      const at = start + Math.floor(i / perDay) * DAY_MS + (i % perDay) * 60_000;
      const person = idNumber(`19${String(40 + (i % 50)).padStart(2, "0")}0301`, (i % 997) + 1);
      const rec = {
        ...makeRecord({ seq: await store.nextSeq(), at, person, systolic: 110 + (i % 40) }),
        stationId,
      };
      await store.save(rec);
      ids.push(rec.id);
    }
    if ((await store.count()) !== first - 1 + n) throw new Error("seeding did not add every record");
  } finally {
    await store.close();
  }
  return ids;
}

export interface StationHoldings {
  /** Every record the station has saved. */
  saved: string[];
  /** Ids still in the outbox (sync.status pending). */
  pending: string[];
  /** Ids the archive rejected (sync.status rejected). */
  rejected: string[];
  /** Records the store could not read back (a damaged write would show here). */
  quarantined: number;
}

/** Opens the stopped station's store and lists what it holds. */
export async function readStation(dataDir: string): Promise<StationHoldings> {
  const store = createFileStore({ dir: dataDir });
  await store.open();
  try {
    const saved: string[] = [];
    const rejected: string[] = [];
    const days = (await readdir(join(dataDir, "records")))
      .map((f) => /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f)?.[1])
      .filter((d): d is string => !!d);
    for (const day of days)
      for (const r of await store.listByDay(day)) {
        saved.push(r.id);
        if (r.sync.status === "rejected") rejected.push(r.id);
      }
    const pending = (await store.pending()).map((r) => r.id);
    return { saved, pending, rejected, quarantined: (await store.quarantined()).length };
  } finally {
    await store.close();
  }
}

/** A villager as /api/sim/roster lists them: a ref (their place in the roster), never the full ID number. */
type Villager = { ref: string; name: string };
/** What driving the kiosk needs: the upgrade test drives a station it started itself. */
type Kiosk = Pick<StationProcess, "get" | "post">;

export async function roster(station: Kiosk, limit: number): Promise<Villager[]> {
  return station.get<Villager[]>(`/api/sim/roster?q=&limit=${limit}`);
}

async function waitState(station: Kiosk, ok: (s: ViewState) => boolean, what: string): Promise<ViewState> {
  return until(() => station.get<ViewState>("/api/state"), ok, `kiosk ${what}`, 20_000, 50);
}

/** One whole check-up (card, consent, blood pressure, glucose) through the sim API; the saved record's id. */
/** A whole check-up through the sim API, as a villager would; returns the saved record's id. */
export async function checkupViaSim(station: Kiosk, villager: Villager): Promise<string> {
  await checkupToGlucose(station, villager);
  await station.post("/api/sim/glucose", { profile: "normal" });
  const result = await waitState(station, (s) => s.step === "result", "result (record saved)");
  if (result.step !== "result") throw new Error("unreachable");
  await station.post("/api/action", { type: "finish" });
  return result.result.recordId;
}

/** A check-up up to the glucose meter waiting: the next reading completes it and it is saved. */
export async function checkupToGlucose(station: Kiosk, villager: Villager): Promise<void> {
  await waitState(station, (s) => s.step === "attract", "at attract");
  await station.post("/api/sim/card", { ref: villager.ref });
  await waitState(station, (s) => s.step === "identified", "identified");
  await station.post("/api/sim/card/remove", {});
  await station.post("/api/action", { type: "confirm" });
  await waitState(station, (s) => s.step === "consent", "asking consent");
  await station.post("/api/action", { type: "consent", accept: true });
  await waitState(station, (s) => s.step === "bp" && s.phase === "ready", "bp ready");
  await station.post("/api/sim/bp", { profile: "normal" });
  await waitState(station, (s) => s.step === "bp" && s.phase === "done", "bp done");
  await station.post("/api/action", { type: "next" });
  await waitState(station, (s) => s.step === "glucose" && s.phase === "sample-type", "sample type");
  await station.post("/api/action", { type: "sample-type", sampleType: "fasting" });
  await waitState(station, (s) => s.step === "glucose" && s.phase === "waiting", "glucose waiting");
}
