/**
 * The per-person summaries pack at a village roster's size: 5,000 people with 8 archived visits
 * each (40,000 records in a file-store archive). Figures: the county's build (one pass over the
 * archive), the pack's bytes and 128 KiB chunks, and the station's receipt (reassembly, hash,
 * validation, keying by the person index, durable write). Baseline in the same run: a roster pack
 * of the same 5,000 people through the same receiver. No budget is claimed; the figures size the
 * rollout (the roster bound is a 5,000-person pack to 200 stations within 60 s).
 *   npm run bench -- summaries-pack
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import type { ArchivedRecord } from "../../flows/archive/store.js";
import { packChunks } from "../../flows/fleet/packs.js";
import { buildSummariesPacks } from "../../flows/fleet/summaries-pack.js";
import { type PackKind, PackReceiver } from "../../station/fleet/packs.js";
import { checkRosterPack } from "../../station/fleet/roster-pack.js";
import { summariesPack } from "../../station/fleet/summaries-pack.js";
import { CountyVisits } from "../../station/health-card/county-visits.js";
import { buildRecordMessage } from "../../station/mqtt/observations.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import { silentLogger } from "../../station/util/logger.js";
import { dayAt, idNumber, makeRecord } from "../storage/fixtures/records.js";

const PEOPLE = 5_000;
const VISITS = 8;
const COUNTY = "demo-county";
const dir = mkdtempSync(join(tmpdir(), "hs-bench-summaries-"));
const people = Array.from({ length: PEOPLE }, (_, i) =>
  idNumber(`19${40 + (i % 50)}0${1 + (i % 9)}1${i % 9}`, i % 1000),
);
const unique = [...new Set(people)];

function receive(name: string, kind: PackKind<unknown>, bytes: Buffer): number {
  const r = new PackReceiver({
    fleetDir: join(dir, `fleet-${name}`),
    kinds: { [name]: kind },
    answer: (a) => {
      if (a.status === "rejected" || a.status === "failed") throw new Error(`${name}: ${a.reason}`);
    },
    logger: silentLogger,
  });
  const chunks = packChunks(name, 1, bytes);
  const t = performance.now();
  for (const c of chunks) r.handle(name, Buffer.from(c));
  return performance.now() - t;
}

async function main(): Promise<void> {
  const archive = new FileArchiveStore({ dir: join(dir, "archive") });
  await archive.open();
  let seq = 0;
  for (let v = 0; v < VISITS; v++) {
    const batch: ArchivedRecord[] = unique.map((p, i) => {
      const r = makeRecord({ seq: ++seq, at: dayAt(v * 40, i % 600), person: p, systolic: 120 + (i % 40) });
      return {
        message: buildRecordMessage(r, { county: COUNTY, now: new Date(r.createdAt) }),
        receivedAt: r.createdAt,
      };
    });
    await archive.putMany(batch);
  }
  const t0 = performance.now();
  const [built] = await buildSummariesPacks(archive, {
    county: COUNTY,
    targets: [{ station: "st-1", people: unique }],
  });
  const buildMs = performance.now() - t0;
  await archive.close();

  const store = createMemoryStore();
  const keyOf = (id: string) => store.personKey(id);
  const rss0 = process.memoryUsage.rss();
  const summariesMs = receive(
    "summaries",
    summariesPack(new CountyVisits(keyOf), { county: COUNTY, stationId: "st-1", keyOf }),
    built!.bytes,
  );
  const rssGrowth = process.memoryUsage.rss() - rss0;
  const roster = Buffer.from(
    JSON.stringify({
      version: 1,
      county: COUNTY,
      people: unique.map((idNumber, i) => ({
        idNumber,
        name: "某某",
        village: `村${i % 20}`,
        categories: ["registered-poor"],
      })),
    }),
  );
  const rosterMs = receive("roster", { check: checkRosterPack, apply: () => {} }, roster);
  rmSync(dir, { recursive: true, force: true });

  const result = {
    people: unique.length,
    records: seq,
    buildMs: Math.round(buildMs),
    packBytes: built!.bytes.length,
    chunks: Math.ceil(built!.bytes.length / 131_072),
    stationReceiveMs: Math.round(summariesMs),
    stationRssGrowthMB: Math.round(rssGrowth / 2 ** 20),
    rosterBaseline: { bytes: roster.length, receiveMs: Math.round(rosterMs) },
    ratioToRoster: Number((summariesMs / rosterMs).toFixed(1)),
  };
  console.log(
    `summaries pack: ${result.people} people, ${result.records} archived records; county build ${result.buildMs} ms; ${result.packBytes} bytes in ${result.chunks} chunks; station receipt ${result.stationReceiveMs} ms (${result.ratioToRoster}× the same people's roster pack, ${result.rosterBaseline.receiveMs} ms), RSS +${result.stationRssGrowthMB} MB`,
  );
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

void main();
