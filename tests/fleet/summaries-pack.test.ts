/**
 * The per-person summaries pack: built from the county archive (file store and PostgreSQL give
 * the same pack), received by the station and kept keyed by its person index (no ID number at
 * rest), reloaded at start only under the same secret, and merged into the health card so a
 * record the station made and uploaded appears once.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { PostgresArchiveStore } from "../../flows/archive/pg-store.js";
import type { ArchivedRecord, ArchiveStore } from "../../flows/archive/store.js";
import { packChunks } from "../../flows/fleet/packs.js";
import { runSummariesCli } from "../../flows/fleet/summaries-cli.js";
import { buildSummariesPacks } from "../../flows/fleet/summaries-pack.js";
import { type PgTestServer, startPgTestServer, stopPgTestServer } from "../../scripts/pg-test-server.js";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { PackReceiver } from "../../station/fleet/packs.js";
import { summariesPack } from "../../station/fleet/summaries-pack.js";
import { CountyVisits } from "../../station/health-card/county-visits.js";
import { loadHealthCard } from "../../station/health-card/records.js";
import { buildRecordMessage } from "../../station/mqtt/observations.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import { silentLogger } from "../../station/util/logger.js";
import { ackedSync, dayAt, idNumber, makeRecord } from "../storage/fixtures/records.js";

const COUNTY = "demo-county";
const ME = idNumber("19500101", 7);
const NEIGHBOUR = idNumber("19600202", 8);
const STRANGER = idNumber("19700303", 9);

const at = (r: CheckupRecord, stationId: string, county = COUNTY): ArchivedRecord => ({
  message: buildRecordMessage({ ...r, stationId }, { county, now: new Date(r.createdAt) }),
  receivedAt: r.createdAt,
});
/** Mine at home (st-home) and at the township clinic (st-town); a neighbour's; a stranger's; another county's. */
const mine = makeRecord({ seq: 1, at: dayAt(0), person: ME, sync: ackedSync(), systolic: 150 });
const minesElsewhere = makeRecord({ seq: 4, at: dayAt(30), person: ME, systolic: 138 });
const neighbours = makeRecord({ seq: 2, at: dayAt(1), person: NEIGHBOUR });
const strangers = makeRecord({ seq: 3, at: dayAt(2), person: STRANGER });
const otherCounty = makeRecord({ seq: 9, at: dayAt(3), person: ME, systolic: 190 });
const ARCHIVE = [
  at(mine, "st-home"),
  at(minesElsewhere, "st-town"),
  at(neighbours, "st-home"),
  at(strangers, "st-town"),
  at(otherCounty, "st-far", "far-county"),
];

async function build(store: ArchiveStore) {
  await store.open();
  try {
    await store.putMany(ARCHIVE);
    return await buildSummariesPacks(store, {
      county: COUNTY,
      targets: [{ station: "st-home", people: [ME, NEIGHBOUR] }],
      now: new Date("2024-07-01T00:00:00Z"),
    });
  } finally {
    await store.close();
  }
}

let dir: string;
let pgServer: PgTestServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hs-summaries-"));
  pgServer = await startPgTestServer();
}, 120_000);
afterAll(async () => {
  if (pgServer) await stopPgTestServer(pgServer.dir);
  await rm(dir, { recursive: true, force: true });
});

describe("county side: a station's pack from the archive", () => {
  it("holds the roster's people's visits from every station of the county, the same from both stores", async () => {
    const [fromFile] = await build(new FileArchiveStore({ dir: join(dir, "archive") }));
    const [fromPg] = await build(new PostgresArchiveStore({ url: pgServer.url }));
    expect(fromPg!.bytes.equals(fromFile!.bytes)).toBe(true);
    const p = fromFile!.pack;
    expect(p).toMatchObject({ v: 1, type: "summaries", county: COUNTY, station: "st-home" });
    expect(p.people.map((x) => [x.idNumber, x.visits.map((v) => [v.id, v.stationId])])).toEqual([
      [
        ME,
        [
          [minesElsewhere.id, "st-town"],
          [mine.id, "st-home"],
        ],
      ],
      [NEIGHBOUR, [[neighbours.id, "st-home"]]],
    ]);
    expect(p.people[0]!.visits[1]!.bp).toMatchObject({ systolic: 150, diastolic: 82 });
    expect(fromFile!.visits).toBe(3);
  }, 120_000);

  it("`fleet-summaries` builds a village's pack from the station's roster file, read-only beside the archive", async () => {
    const archive = join(dir, "archive-cli");
    const live = new FileArchiveStore({ dir: archive });
    await live.open();
    await live.putMany(ARCHIVE);
    await live.close();
    const person = (idNumber: string, village: string) => ({
      idNumber,
      name: "某某",
      village,
      categories: [],
    });
    const rosterFile = join(dir, "roster.json");
    await writeFile(
      rosterFile,
      JSON.stringify({ version: 1, county: COUNTY, people: [person(ME, "东村"), person(NEIGHBOUR, "西村")] }),
    );
    const out = join(dir, "east.json");
    const line = await runSummariesCli([
      "--dir",
      archive,
      "--county",
      COUNTY,
      "--roster",
      rosterFile,
      "--village",
      "东村",
      "--out",
      out,
    ]);
    expect(line).toMatch(/: 1 of 1 people with visits, 2 visits, \d+ bytes$/);
    const pack = JSON.parse(await readFile(out, "utf8"));
    expect(pack).toMatchObject({ type: "summaries", station: null });
    expect(pack.people.map((p: { idNumber: string }) => p.idNumber)).toEqual([ME]);
  });
});

describe("station side", () => {
  it("keeps only person-index keys at rest, shows each record once on the card, and reloads under the same secret only", async () => {
    const [built] = await build(new FileArchiveStore({ dir: join(dir, "archive-2") }));
    const store = createMemoryStore();
    await store.open();
    // The station's own copy of the record it uploaded, already acked.
    await store.save(mine);
    const keyOf = (id: string) => store.personKey(id);
    const fleetDir = join(dir, "fleet");
    const receiver = (visits: CountyVisits, key = keyOf) =>
      new PackReceiver({
        fleetDir,
        kinds: { summaries: summariesPack(visits, { county: COUNTY, stationId: "st-home", keyOf: key }) },
        answer: (a) => answers.push(a),
        logger: silentLogger,
      });
    const answers: { id: string; status: string; reason?: string }[] = [];
    const visits = new CountyVisits(keyOf);
    const r = receiver(visits);
    for (const c of packChunks("summaries", 1, built!.bytes, 300)) r.handle("summaries", Buffer.from(c));
    expect(answers.at(-1)).toMatchObject({ id: "pack:summaries:1", status: "applied" });
    expect(visits.people).toBe(2);

    for (const f of await readdir(join(fleetDir, "packs", "summaries"))) {
      const text = await readFile(join(fleetDir, "packs", "summaries", f), "utf8");
      for (const id of [ME, NEIGHBOUR]) expect(text).not.toContain(id);
    }

    const card = await loadHealthCard(
      { idNumber: ME, name: "张三", birthDate: "1950-01-01", sex: "female" },
      null,
      {
        store,
        pack: loadDefaultPolicy(),
        timeZone: "Asia/Shanghai",
        today: "2024-07-01",
        extraVisits: visits.forPerson(ME, "Asia/Shanghai"),
      },
    );
    // Two visits, not three: the record made here is in the store and in the pack.
    expect(card.visitCount).toBe(2);
    expect(card.series.bp.map((b) => b.systolic)).toEqual([150, 138]);
    expect(visits.forPerson(STRANGER, "Asia/Shanghai")).toEqual([]);

    // Restart: the same secret reads the pack back; another secret (a lost key file) does not.
    const again = new CountyVisits(keyOf);
    expect(receiver(again).loadInstalled()).toEqual({ summaries: 1 });
    expect(again.forPerson(ME, "Asia/Shanghai").map((v) => v.id)).toEqual([minesElsewhere.id, mine.id]);
    const other = createMemoryStore();
    const lost = new CountyVisits((id) => other.personKey(id));
    expect(receiver(lost, (id) => other.personKey(id)).loadInstalled()).toEqual({ summaries: null });
    expect(lost.people).toBe(0);
  });

  it("refuses another county's or another station's pack, and a malformed ID number, with reasons", async () => {
    const store = createMemoryStore();
    const kind = summariesPack(new CountyVisits((id) => store.personKey(id)), {
      county: COUNTY,
      stationId: "st-home",
      keyOf: (id) => store.personKey(id),
    });
    const body = (o: object) =>
      Buffer.from(
        JSON.stringify({
          v: 1,
          type: "summaries",
          county: COUNTY,
          station: "st-home",
          generatedAt: "2024-07-01T00:00:00.000Z",
          people: [],
          ...o,
        }),
      );
    const errors = (b: Buffer) => {
      const c = kind.check(b);
      return c.ok ? [] : c.errors;
    };
    expect(errors(body({}))).toEqual([]);
    expect(errors(body({ county: "far-county" }))).toEqual([
      "county: the pack is for far-county, this station is in demo-county",
    ]);
    expect(errors(body({ station: "st-town" }))).toEqual([
      "station: the pack is for st-town, this is st-home",
    ]);
    expect(errors(body({ people: [{ idNumber: "12345", visits: [] }] }))).toEqual([
      "people.0.idNumber: an 18-character resident ID number",
    ]);
  });
});
