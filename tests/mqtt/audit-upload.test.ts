/**
 * The doctor's audit log to the county over a real Mosquitto with the shipped ACL: events go in
 * order on the station's own audit topic, resume from the durable cursor after a restart, and a
 * station can neither write another station's audit topic nor read anyone's.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../station/doctor/audit.js";
import { AuditMessage } from "../../station/doctor/audit-message.js";
import { AuditUpload } from "../../station/doctor/audit-upload.js";
import { silentLogger } from "../../station/util/logger.js";
import { connect, inbox, subscribeCodes } from "./clients.js";
import { type RunningMosquitto, startMosquitto } from "./mosquitto.js";

const COUNTY = "demo-county";
const A = "st-a-0001";
const B = "st-b-0002";
const audit = (st: string) => `hs/v1/${COUNTY}/${st}/audit`;
const users = [
  { username: "county-archive", password: "archive-pw" },
  { username: A, password: "a-pw" },
  { username: B, password: "b-pw" },
];

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

function uploader(dir: string, log: AuditLog, client: MqttClient) {
  return new AuditUpload({
    log,
    cursorFile: join(dir, "audit-sent.json"),
    county: COUNTY,
    stationId: A,
    publish: (t, p) =>
      client.publishAsync(t, p, { qos: 1 }).then(
        () => true,
        () => false,
      ),
    now: () => Date.now(),
    logger: silentLogger,
  });
}

describe("audit upload", () => {
  it("sends the station's events in order and resumes after a restart without re-sending", async () => {
    const county = await as("county-archive");
    const seen = inbox(county);
    expect(await subscribeCodes(county, "hs/v1/+/+/audit")).toEqual([1]);
    const dir = mkdtempSync(join(tmpdir(), "audit-up-"));
    const log = new AuditLog({ dir, stationId: A, now: () => Date.now() });
    await log.open();
    await log.audit({ type: "sign-in", doctorId: "dr-wang", detail: { via: "name" } });
    await log.audit({ type: "sign-in-failed", doctorId: "dr-li", detail: { failures: 1 } });
    const a = await as(A);
    const up = uploader(dir, log, a);
    await up.start();
    await seen.waitFor(audit(A));
    await expect.poll(() => up.sentSeq).toBe(2);
    up.stop();

    // Restart: a new uploader on the same cursor sends only what is new.
    const again = uploader(dir, log, a);
    await again.start();
    await log.audit({ type: "sign-out", doctorId: "dr-wang" });
    await expect.poll(() => again.sentSeq).toBe(3);
    again.stop();
    const messages = seen.messages
      .filter((m) => m.topic === audit(A))
      .map((m) => AuditMessage.parse(JSON.parse(m.payload)));
    expect(messages.flatMap((m) => m.events.map((e) => `${e.seq}:${e.type}:${e.doctorId}`))).toEqual([
      "1:sign-in:dr-wang",
      "2:sign-in-failed:dr-li",
      "3:sign-out:dr-wang",
    ]);
  });

  it("drops a station's write to another station's audit topic and delivers no audit to a station", async () => {
    const county = await as("county-archive");
    const seenCounty = inbox(county);
    expect(await subscribeCodes(county, "hs/v1/+/+/audit")).toEqual([1]);
    const b = await as(B);
    const seenB = inbox(b);
    await subscribeCodes(b, "hs/v1/+/+/audit");
    expect(await subscribeCodes(b, `hs/v1/${COUNTY}/${B}/ack`)).toEqual([1]);
    const a = await as(A);
    await a.publishAsync(audit(B), '{"forged":true}', { qos: 1 });
    await a.publishAsync(audit(A), '{"own":true}', { qos: 1 });
    await seenCounty.waitFor(audit(A));
    expect(seenCounty.messages.map((m) => m.payload)).toEqual(['{"own":true}']);
    // Order barrier for B: an ack sent after A's audit arrives, so A's audit would have come first.
    await county.publishAsync(`hs/v1/${COUNTY}/${B}/ack`, "{}", { qos: 1 });
    await seenB.waitFor(`hs/v1/${COUNTY}/${B}/ack`);
    expect(seenB.messages.map((m) => m.topic)).toEqual([`hs/v1/${COUNTY}/${B}/ack`]);
  });
});
