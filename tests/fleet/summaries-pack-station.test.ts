/**
 * A replaced station gets its villagers' history back: the station makes a check-up, the county
 * archive process stores it; the station's data folder is then lost (a new unit, same station
 * id). The county builds the summaries pack from its archive (`fleet-summaries`), sends it with
 * the fleet CLI over the shipped Mosquitto, and the villager's health card on the new unit shows
 * the visit. A check-up made on the new unit, uploaded and then in the next pack too, is shown
 * once.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runFleetCli } from "../../flows/fleet/fleet-cli.js";
import { runSummariesCli } from "../../flows/fleet/summaries-cli.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import type { ViewState } from "../../station/protocol.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll } from "../faults/lib/children.js";
import { type CountyProcess, startCounty } from "../faults/lib/county.js";
import { checkupViaSim, roster } from "../faults/lib/records.js";
import { type StationProcess, startStation, stationDataDir } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { type Built, buildDist } from "../flows/helpers/dist-build.js";

const COUNTY = "demo-county";
const ST = "st-summaries-1";
const PW = "station-pw-0123";
const ADMIN = { username: COUNTY_ADMIN, password: "admin-pw-0123" };
const ARCHIVE_USER = { username: "county-archive", password: "archive-pw-0123" };
const ROSTER = join(import.meta.dirname, "../../station/data/demo-roster.json");

let broker: FaultBroker;
let built: Built;
let dir: string;
let county: CountyProcess;
let station: StationProcess;

beforeAll(async () => {
  [built, broker] = await Promise.all([
    buildDist(),
    startFaultBroker([ADMIN, ARCHIVE_USER, { username: ST, password: PW }]),
  ]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-summaries-"));
  county = await startCounty({
    countyJs: built.countyJs,
    county: COUNTY,
    dataDir: join(dir, "county-data"),
    store: { kind: "file", dir: join(dir, "archive") },
    broker: { url: broker.url, caFile: broker.caFile, ...ARCHIVE_USER },
  });
}, 240_000);
afterAll(async () => {
  delete process.env.HS_MQTT_PASSWORD;
  await station?.stop().catch(() => {});
  await county?.stop().catch(() => {});
  await killAll();
  await broker?.close();
  await built?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const start = () =>
  startStation({
    dir,
    stationId: ST,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: PW },
  });
/** Waits for the outbox to empty with an ack newer than `since` (the archive stored the record). */
const uploaded = async (since: string | null) =>
  (
    await until(
      () => station.upload(),
      (u) => u.pending === 0 && u.inFlight === 0 && u.lastAckAt !== null && u.lastAckAt !== since,
      "the station's records acked by the archive",
      60_000,
    )
  ).lastAckAt;
async function sendPack(version: number): Promise<string[]> {
  const file = join(dir, `summaries-v${version}.json`);
  await runSummariesCli([
    "--dir",
    join(dir, "archive"),
    "--county",
    COUNTY,
    "--roster",
    ROSTER,
    "--station",
    ST,
    "--out",
    file,
  ]);
  const lines: string[] = [];
  // The CLI's admin password; only around its run (the county process must not inherit it).
  process.env.HS_MQTT_PASSWORD = ADMIN.password;
  const code = await runFleetCli(
    [
      "pack",
      "--name",
      "summaries",
      "--file",
      file,
      "--version",
      String(version),
      "--county",
      COUNTY,
      "--url",
      broker.url,
      "--ca",
      broker.caFile,
      "--stations",
      ST,
      "--audit",
      join(dir, "county-audit.jsonl"),
      "--wait",
      "30",
    ],
    (l) => {
      lines.push(l);
    },
  ).finally(() => delete process.env.HS_MQTT_PASSWORD);
  expect(code).toBe(0);
  return lines;
}
/** Opens the villager's health card with their card on the reader; how many visits it shows. */
async function cardVisits(ref: string): Promise<number> {
  await station.post("/api/sim/card", { ref });
  await until(
    () => station.get<ViewState>("/api/state"),
    (s) => s.step === "identified",
    "identified",
    20_000,
  );
  await station.post("/api/action", { type: "health-card" });
  const s = await until(
    () => station.get<ViewState>("/api/state"),
    (x) => x.step === "health-card" && x.card !== null,
    "the health card loaded",
    20_000,
  );
  await station.post("/api/sim/card/remove", {});
  await station.post("/api/action", { type: "cancel" });
  await until(
    () => station.get<ViewState>("/api/state"),
    (x) => x.step === "attract",
    "back to attract",
    20_000,
  );
  if (s.step !== "health-card" || !s.card) throw new Error("unreachable");
  return s.card.visitCount;
}

it("a replaced station (empty data folder) gets the villager's history back on the health card, each record once", async () => {
  station = await start();
  const [villager] = await roster(station, 1);
  const before = await cardVisits(villager!.ref);
  await checkupViaSim(station, villager!);
  await uploaded(null);
  expect(await cardVisits(villager!.ref)).toBe(before + 1);

  // The unit is swapped: same station id, nothing of the old data folder.
  await station.stop();
  await rm(stationDataDir(dir), { recursive: true, force: true });
  station = await start();
  expect(await cardVisits(villager!.ref)).toBe(before);

  expect(await sendPack(1)).toEqual([expect.stringMatching(new RegExp(`^${ST}\\tapplied`))]);
  expect(await cardVisits(villager!.ref)).toBe(before + 1);
  // Nothing at rest on the new unit carries ID numbers from the pack.
  const pack = await readFile(join(stationDataDir(dir), "fleet", "packs", "summaries", "1.pack"), "utf8");
  const people = (JSON.parse(await readFile(ROSTER, "utf8")) as { people: { idNumber: string }[] }).people;
  for (const p of people) expect(pack).not.toContain(p.idNumber);

  // A new check-up on the new unit: on the card from the station's own records, and once more in
  // the next pack from the archive; shown once.
  const last = (await station.upload()).lastAckAt;
  await checkupViaSim(station, villager!);
  await uploaded(last);
  expect(await cardVisits(villager!.ref)).toBe(before + 2);
  expect(await sendPack(2)).toEqual([expect.stringMatching(new RegExp(`^${ST}\\tapplied`))]);
  expect(await cardVisits(villager!.ref)).toBe(before + 2);
}, 300_000);
