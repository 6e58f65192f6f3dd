/**
 * The doctor's list outcomes to the county over a real Mosquitto with the shipped ACL (issue 10
 * §3): each outcome is sent as data, marked sent durably on the PUBACK, re-sent after a broker
 * outage, and stored once at the county even when it arrives twice. A station can neither write
 * another station's outcome topic nor read anyone's.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { ReceiverCore } from "../../flows/archive/receiver-core.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import { personKey } from "../../station/doctor/audit.js";
import { OutcomeMessage } from "../../station/doctor-lists/outcome-message.js";
import { OutcomeUpload } from "../../station/doctor-lists/outcome-upload.js";
import { OutcomeLog } from "../../station/doctor-lists/outcomes.js";
import { silentLogger } from "../../station/util/logger.js";
import { connect, inbox, subscribeCodes } from "./clients.js";
import { type RunningMosquitto, startMosquitto } from "./mosquitto.js";

const COUNTY = "demo-county";
const A = "st-a-0001";
const B = "st-b-0002";
const outcomeTopic = (st: string) => `hs/v1/${COUNTY}/${st}/outcome`;
const users = [
  { username: "county-archive", password: "archive-pw" },
  { username: A, password: "a-pw" },
  { username: B, password: "b-pw" },
];
const ID1 = "110101195001011234";
const ID2 = "110101196002022345";
const keyOf = (id: string) => createHmac("sha256", "station-secret").update(id).digest("hex");

let broker: RunningMosquitto;
const open: MqttClient[] = [];
const as = async (username: string) => {
  const u = users.find((x) => x.username === username)!;
  const c = await connect({ url: broker.url, ca: broker.ca, ...u });
  open.push(c);
  return c;
};

beforeAll(async () => {
  broker = await startMosquitto(users);
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.endAsync(true)));
  await broker?.stop();
});

async function record(log: OutcomeLog, entryKey: string, idNumber: string, kind: "agreed" | "unreachable") {
  return log.record(
    { entryKey, kind },
    idNumber,
    "dr-wang",
    new Date(),
    "2026-04-01",
    personKey(COUNTY, idNumber),
  );
}

describe("outcome upload", () => {
  it("sends each outcome as data, resends after an outage, and the county stores each once", async () => {
    const county = await as("county-archive");
    const seen = inbox(county);
    expect(await subscribeCodes(county, "hs/v1/+/+/outcome")).toEqual([1]);
    const dir = mkdtempSync(join(tmpdir(), "outcome-up-"));
    const log = new OutcomeLog(dir);
    await log.open(keyOf);
    const first = await record(log, `${ID1}|hypertension|2026-04-10`, ID1, "agreed");

    // The broker is unreachable: nothing is marked sent.
    let link: MqttClient | null = null;
    const publish = (t: string, p: string) =>
      link?.connected
        ? link.publishAsync(t, p, { qos: 1 }).then(
            () => true,
            () => false,
          )
        : Promise.resolve(false);
    const up = new OutcomeUpload({
      log,
      county: COUNTY,
      stationId: A,
      publish,
      now: Date.now,
      logger: silentLogger,
    });
    up.start();
    await record(log, `referral|0190a000-0000-7000-8000-000000000001`, ID2, "unreachable");
    await expect.poll(() => log.pending().length).toBe(2);
    expect(seen.messages).toEqual([]);

    // The link comes up (the app kicks on link-up): both go, oldest first, and are marked sent.
    link = await as(A);
    up.kick();
    await expect.poll(() => log.pending().length, { timeout: 15_000 }).toBe(0);
    up.stop();

    // Durable: a restarted station has nothing pending and sends only what is new.
    const again = new OutcomeLog(dir);
    await again.open(keyOf);
    expect(again.pending()).toEqual([]);
    expect(again.all().map((o) => o.sync.status)).toEqual(["acked", "acked"]);
    const up2 = new OutcomeUpload({
      log: again,
      county: COUNTY,
      stationId: A,
      publish,
      now: Date.now,
      logger: silentLogger,
    });
    up2.start();
    const third = await record(again, `${ID2}|diabetes|2026-05-01`, ID2, "agreed");
    await expect.poll(() => again.pending().length, { timeout: 15_000 }).toBe(0);
    // A crash between the PUBACK and the fsync of "sent" sends it again: at least once.
    (again.all().find((o) => o.id === third.id) as { sync: { status: string } }).sync.status = "pending";
    up2.kick();
    await expect.poll(() => again.pending().length, { timeout: 15_000 }).toBe(0);
    up2.stop();

    await expect.poll(() => seen.messages.filter((m) => m.topic === outcomeTopic(A)).length).toBe(3);
    const messages = seen.messages.map((m) => OutcomeMessage.parse(JSON.parse(m.payload)));
    const sent = messages.flatMap((m) => m.outcomes);
    expect(sent.map((o) => [o.programme, o.kind])).toEqual([
      ["hypertension", "agreed"],
      ["referral", "unreachable"],
      ["diabetes", "agreed"],
      ["diabetes", "agreed"],
    ]);
    expect(sent[0]).toMatchObject({ id: first.id, nextDue: "2026-04-10", personKey: personKey(COUNTY, ID1) });
    expect(sent[1]).toMatchObject({ recordId: "0190a000-0000-7000-8000-000000000001" });
    // Ids only: no ID number, no station-local HMAC.
    const wire = seen.messages.map((m) => m.payload).join("");
    expect(wire).not.toContain(ID1);
    expect(wire).not.toContain(keyOf(ID1));

    // The county's receiver stores each outcome once, however often it came.
    const archive = new FileArchiveStore({ dir: mkdtempSync(join(tmpdir(), "outcome-archive-")) });
    await archive.open();
    const acks: string[] = [];
    const core = new ReceiverCore({
      store: archive,
      validators: loadValidators(),
      onBatch: (b) => acks.push(...b.acks.flatMap((a) => a.payload.acks.map((x) => x.status))),
    });
    for (const m of seen.messages)
      await Promise.all([core.accept(m.topic, Buffer.from(m.payload)), core.flush()]);
    expect(acks).toEqual(["stored", "stored", "stored", "duplicate"]);
    expect((await archive.listEvents("outcome")).map((e) => e.id).sort()).toEqual(
      [first.id, sent[1]!.id, third.id].sort(),
    );
    await archive.close();
  });

  it("drops a station's write to another station's outcome topic and delivers no outcomes to a station", async () => {
    const county = await as("county-archive");
    const seenCounty = inbox(county);
    expect(await subscribeCodes(county, "hs/v1/+/+/outcome")).toEqual([1]);
    const b = await as(B);
    const seenB = inbox(b);
    await subscribeCodes(b, "hs/v1/+/+/outcome");
    expect(await subscribeCodes(b, `hs/v1/${COUNTY}/${B}/ack`)).toEqual([1]);
    const a = await as(A);
    await a.publishAsync(outcomeTopic(B), '{"forged":true}', { qos: 1 });
    await a.publishAsync(outcomeTopic(A), '{"own":true}', { qos: 1 });
    await seenCounty.waitFor(outcomeTopic(A));
    expect(seenCounty.messages.map((m) => m.payload)).toEqual(['{"own":true}']);
    // Order barrier for B: an ack sent after A's outcome arrives, so A's outcome would have come first.
    await county.publishAsync(`hs/v1/${COUNTY}/${B}/ack`, "{}", { qos: 1 });
    await seenB.waitFor(`hs/v1/${COUNTY}/${B}/ack`);
    expect(seenB.messages.map((m) => m.topic)).toEqual([`hs/v1/${COUNTY}/${B}/ack`]);
  });
});
