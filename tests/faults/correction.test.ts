/**
 * A record the county archive rejects, corrected by the doctor on the station, through the
 * production shape: the station as its own process, Mosquitto with the shipped TLS and ACL, and
 * the county receiver on PostgreSQL. The correction lands in the archive exactly once, as a v3
 * record naming the one it supersedes; the rejected original never does and stays on the station.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";
import { CheckupRecord } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { doctorsConfig } from "../doctor/harness.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";
import { duplicates, readArchive } from "./lib/archive.js";
import { readStation } from "./lib/records.js";
import { type Rig, startRig } from "./lib/rig.js";
import { until } from "./lib/wait.js";

let rig: Rig;
let db: PgTestServer;
beforeAll(async () => {
  [rig, db] = await Promise.all([startRig(1), startPgTestServer()]);
});
afterAll(async () => {
  await rig?.close();
  await db?.stop();
});

it("a corrected record reaches the PostgreSQL archive once, as a new version", async () => {
  const c = await rig.newCase({ kind: "postgres", url: db.url });
  const good = await c.seed(5);
  // An ID number whose birth year is in the future: the station stores it, the archive refuses it.
  const store = createFileStore({ dir: c.dataDir });
  await store.open();
  const bad = CheckupRecord.parse({
    ...makeRecord({ seq: await store.nextSeq(), person: idNumber("20300101", 11) }),
    stationId: c.stationId,
  });
  await store.save(bad);
  await store.close();

  const county = await c.county();
  const station = await c.station({ config: { doctor: { doctors: await doctorsConfig() } } });
  await until(
    () => station.upload(),
    (s) => s.pending === 0 && s.rejected.some((r) => r.id === bad.id),
    "the bad record rejected and the rest acked",
    60_000,
    200,
  );

  const page = { "content-type": "application/json", origin: station.url };
  const signIn = await fetch(`${station.url}/api/doctor/sign-in`, {
    method: "POST",
    headers: page,
    body: JSON.stringify({ doctorId: "dr-wang", pin: "2468" }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  const res = await fetch(`${station.url}/api/doctor/inbox/rejected/correct`, {
    method: "POST",
    headers: { ...page, cookie },
    body: JSON.stringify({ recordId: bad.id, reason: "typing-error", idNumber: idNumber("19300101", 11) }),
  });
  const body = (await res.json()) as { recordId: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  await c.drained(station, good.length + 1, 60_000);
  await station.stop();
  await county.stop();

  const archive = await readArchive(c.store);
  expect(duplicates(archive.ids)).toEqual([]);
  expect([...archive.ids].sort()).toEqual([...good, body.recordId].sort());
  const held = await readStation(c.dataDir);
  expect(held.pending).toEqual([]);
  expect(held.rejected).toEqual([bad.id]);
  expect(held.saved).toContain(body.recordId);

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const r = await client.query<{ record: { schemaVersion: number; correction: { supersedes: string } } }>(
      "SELECT record FROM archive_records WHERE id = $1",
      [body.recordId],
    );
    expect(r.rows[0]?.record.schemaVersion).toBe(3);
    expect(r.rows[0]?.record.correction.supersedes).toBe(bad.id);
  } finally {
    await client.end();
  }
}, 180_000);
