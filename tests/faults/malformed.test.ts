/**
 * Malformed traffic published with the station's own credentials: garbage bytes, JSON of the
 * wrong shape, a record of another station on this station's topic, and a record sent to another
 * station's topic (the ACL drops it). None of it may reach the archive or disturb the station.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { v7 } from "uuid";
import { expect, it } from "vitest";
import { topics } from "../../station/mqtt/contract.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";
import { asStation, messageOf } from "./lib/copies.js";
import { checkupViaSim, roster } from "./lib/records.js";
import { COUNTY, useRig } from "./lib/rig.js";
import { until } from "./lib/wait.js";

const rig = useRig(2);

it("rejects or dead-letters malformed payloads, stores none of them, and keeps uploading", async () => {
  const c = await rig.newCase();
  const other = await rig.newCase();
  const seeded = await c.seed(30);
  await c.county();
  const station = await c.station();
  await c.drained(station, seeded.length, 30_000);

  const impostor = await asStation({
    url: rig.broker.url,
    ca: rig.broker.ca,
    county: COUNTY,
    stationId: c.stationId,
    password: c.stationPassword,
  });
  await impostor.publish(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x7b]));
  const wrongShape = v7();
  await impostor.publish(
    JSON.stringify({
      v: 1,
      type: "checkup-record",
      county: COUNTY,
      stationId: c.stationId,
      record: { id: wrongShape },
    }),
  );
  const foreign = { ...makeRecord({ seq: 1, person: idNumber("19600101", 11) }), stationId: other.stationId };
  await impostor.publish(JSON.stringify(messageOf(foreign, COUNTY)));
  // Our credentials on another station's topic: Mosquitto drops it silently (3.1.1 cannot refuse).
  const ours = { ...makeRecord({ seq: 2, person: idNumber("19600101", 13) }), stationId: c.stationId };
  await impostor.publish(JSON.stringify(messageOf(ours, COUNTY)), topics.record(COUNTY, other.stationId));

  await impostor.waitAcks((acks) => acks.length >= 2, "reject acks for the two attributable payloads");
  expect(impostor.acks.map((a) => [a.id, a.status, a.code])).toEqual([
    [wrongShape, "rejected", "schema"],
    [foreign.id, "rejected", "topic-mismatch"],
  ]);
  const deadLetters = join(c.dataDir, "..", "county-data", "dead-letter.jsonl");
  const dead = await until(
    async () =>
      (await readFile(deadLetters, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).code as string),
    (codes) => codes.length >= 1,
    "the garbage payload in the dead-letter file",
    10_000,
  );
  expect(dead).toEqual(["no-record-id"]);
  await impostor.end();

  // The station is undisturbed: a check-up done now uploads as usual.
  const [villager] = await roster(station, 1);
  await checkupViaSim(station, villager!);
  await c.drained(station, seeded.length + 1, 30_000);
  expect((await station.upload()).rejected, "rejections shown to the doctor").toEqual([]);
  await c.finish(seeded.length + 1);
}, 150_000);
