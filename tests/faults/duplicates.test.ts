/**
 * Duplicate deliveries: a receiver that died after its durable write but before its ack (its
 * records are in the archive, the station still has them pending), a receiver SIGKILLed in the
 * middle of the drain, and copies of archived records republished with the station's credentials.
 */
import { expect, it } from "vitest";
import { asStation, loadRecords, messageOf, storeBehindReceiver } from "./lib/copies.js";
import { COUNTY, useRig } from "./lib/rig.js";
import { until } from "./lib/wait.js";

const rig = useRig(1);

it("stores each record once when stored-but-unacked records, a killed receiver and republished copies all resend", async () => {
  const c = await rig.newCase();
  const seeded = await c.seed(240);
  if (c.store.kind !== "file") throw new Error("file store expected");
  // A receiver that died between its fdatasync and its ack left these behind.
  const early = await loadRecords(c.dataDir, seeded.slice(0, 60));
  await storeBehindReceiver(
    c.store.dir,
    early.map((r) => messageOf(r, COUNTY)),
  );

  let county = await c.county();
  const station = await c.station({ window: 16 });
  const atKill = await until(
    () => c.archived(),
    (n) => n >= 150,
    "the drain under way",
    30_000,
    20,
  );
  await county.kill();
  expect(atKill, "the receiver died in the middle of the drain").toBeLessThan(seeded.length);
  county = await c.county();
  await c.drained(station, seeded.length, 60_000);

  // Copies of archived records, republished as the station: each is answered "duplicate". The
  // broker makes the username the client id, so a second login as the station would take its
  // session over: the station stops first (its records are all acked by now).
  await station.stop();
  const copies = await loadRecords(c.dataDir, seeded.slice(100, 130));
  const impostor = await asStation({
    url: rig.broker.url,
    ca: rig.broker.ca,
    county: COUNTY,
    stationId: c.stationId,
    password: c.stationPassword,
  });
  for (const r of copies) await impostor.publish(JSON.stringify(messageOf(r, COUNTY)));
  const copyIds = new Set(copies.map((r) => r.id));
  await impostor.waitAcks(
    (acks) => acks.filter((a) => copyIds.has(a.id)).length >= copies.length,
    `acks for ${copies.length} republished copies`,
  );
  expect(new Set(impostor.acks.filter((a) => copyIds.has(a.id)).map((a) => a.status))).toEqual(
    new Set(["duplicate"]),
  );
  await impostor.end();
  await c.finish(seeded.length);
}, 150_000);
