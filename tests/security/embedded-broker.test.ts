/**
 * Issue 12 §3/§7: the embedded broker (npm start, a station that runs alone) authenticates its
 * clients with credentials made at start-up and enforces the shipped Mosquitto ACL. A local
 * process cannot take over the archive's client id, and a forged ack never reaches the station.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { ACL, ARCHIVE_USER, allowed } from "../../station/embedded/broker-acl.js";
import { type EmbeddedCounty, startEmbeddedCounty } from "../../station/embedded/county.js";
import { topics } from "../../station/mqtt/contract.js";
import { buildRecordMessage } from "../../station/mqtt/observations.js";
import { silentLogger } from "../../station/util/logger.js";
import { makeRecord } from "../storage/fixtures/records.js";
import { until } from "../upload/fake-archive.js";

const COUNTY = "demo-county";
const STATION = "st-test-01"; // makeRecord's station
const ROOT = join(import.meta.dirname, "../..");

describe("embedded broker ACL table", () => {
  it("says exactly what the shipped Mosquitto ACL file says", async () => {
    const lines = (await readFile(join(ROOT, "flows/broker/acl"), "utf8"))
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    const fromFile: { user: Record<string, string[][]>; pattern: string[][] } = { user: {}, pattern: [] };
    let user: string | null = null;
    for (const l of lines) {
      const [kind, a, b] = l.split(/\s+/);
      if (kind === "user") user = a!;
      else if (kind === "topic") fromFile.user[user!] = [...(fromFile.user[user!] ?? []), [a!, b!]];
      else if (kind === "pattern") fromFile.pattern.push([a!, b!]);
      else throw new Error(`unexpected ACL line: ${l}`);
    }
    expect(fromFile).toEqual({
      user: Object.fromEntries(Object.entries(ACL.user).map(([k, v]) => [k, v.map((r) => [...r])])),
      pattern: ACL.pattern.map((r) => [...r]),
    });
  });

  it("grants each user only its own topics", () => {
    const rec = topics.record(COUNTY, STATION);
    const ack = topics.ack(COUNTY, STATION);
    expect(allowed(STATION, "write", rec)).toBe(true);
    expect(allowed(STATION, "read", ack)).toBe(true);
    expect(allowed(STATION, "write", ack)).toBe(false); // a station cannot ack itself
    expect(allowed(STATION, "read", rec)).toBe(false);
    expect(allowed(STATION, "read", topics.ack(COUNTY, "st-other-02"))).toBe(false);
    expect(allowed(STATION, "read", `hs/v1/${COUNTY}/+/ack`)).toBe(false); // wider than its own
    expect(allowed(STATION, "write", topics.record(COUNTY, "st-other-02"))).toBe(false);
    expect(allowed(ARCHIVE_USER, "write", ack)).toBe(true);
    expect(allowed(ARCHIVE_USER, "read", topics.record(COUNTY, "+"))).toBe(true);
    expect(allowed(ARCHIVE_USER, "read", topics.archiveRecords(COUNTY))).toBe(true);
    expect(allowed(ARCHIVE_USER, "read", "hs/v1/#")).toBe(false);
    expect(allowed(ARCHIVE_USER, "write", "hs/v1/+/+/ack")).toBe(false); // no wildcard publishes
    // The doctor's audit log and list outcomes: the station writes its own, only the archive reads.
    for (const t of [topics.audit, topics.outcome]) {
      expect(allowed(STATION, "write", t(COUNTY, STATION))).toBe(true);
      expect(allowed(STATION, "write", t(COUNTY, "st-other-02"))).toBe(false);
      expect(allowed(STATION, "read", t(COUNTY, STATION))).toBe(false);
      expect(allowed(ARCHIVE_USER, "read", t(COUNTY, "+"))).toBe(true);
      expect(allowed(ARCHIVE_USER, "write", t(COUNTY, STATION))).toBe(false);
    }
    expect(allowed(null, "read", ack)).toBe(false);
    expect(allowed("a/b", "read", "hs/v1/x/a/b/ack")).toBe(false);
  });
});

describe("embedded broker", () => {
  let county: EmbeddedCounty | null = null;
  const clients: MqttClient[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true).catch(() => {});
    await county?.stop();
    county = null;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function start(): Promise<EmbeddedCounty> {
    const dir = await mkdtemp(join(tmpdir(), "hs-embedded-"));
    dirs.push(dir);
    county = await startEmbeddedCounty({
      county: COUNTY,
      stationId: STATION,
      archiveDir: join(dir, "archive"),
      fleetDir: join(dir, "fleet"),
      logger: silentLogger,
    });
    return county;
  }

  async function connect(url: string, o: { clientId: string; username?: string; password?: string }) {
    const c = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...o,
    });
    clients.push(c);
    return c;
  }

  it("refuses the archive's client id without the archive's start-up password", async () => {
    const c = await start();
    await expect(connect(c.url, { clientId: ARCHIVE_USER })).rejects.toThrow();
    await expect(
      connect(c.url, { clientId: ARCHIVE_USER, username: ARCHIVE_USER, password: "guess" }),
    ).rejects.toThrow();
    // Even the station's own credentials cannot take another client id.
    await expect(connect(c.url, { clientId: ARCHIVE_USER, ...c.station })).rejects.toThrow();
    await expect(connect(c.url, { clientId: "anyone" })).rejects.toThrow();
    // The archive was never knocked off: a record sent now is stored and acked.
    const st = await connect(c.url, { clientId: STATION, ...c.station });
    const acks: string[] = [];
    st.on("message", (_t, p) => acks.push(p.toString()));
    await st.subscribeAsync(topics.ack(COUNTY, STATION), { qos: 1 });
    const rec = makeRecord({ seq: 1 });
    await st.publishAsync(
      topics.record(COUNTY, STATION),
      JSON.stringify(buildRecordMessage(rec, { county: COUNTY, now: new Date() })),
      { qos: 1 },
    );
    await until(() => acks.length === 1, "the archive's ack");
    expect(JSON.parse(acks[0]!).acks).toEqual([{ id: rec.id, status: "stored" }]);
    expect(await c.archive.get(rec.id)).not.toBeNull();
  });

  it("drops an ack forged with the station's own credentials, and refuses subscriptions to others' topics", async () => {
    const c = await start();
    const st = await connect(c.url, { clientId: STATION, ...c.station });
    const got: { topic: string; body: string }[] = [];
    st.on("message", (topic, p) => got.push({ topic, body: p.toString() }));
    const [own] = await st.subscribeAsync(topics.ack(COUNTY, STATION), { qos: 1 });
    expect(own!.qos).toBe(1);
    for (const f of [topics.record(COUNTY, "+"), topics.ack(COUNTY, "st-other-02"), "hs/v1/#", "#"]) {
      // SUBACK 0x80: MQTT.js rejects the subscription.
      await expect(st.subscribeAsync(f, { qos: 1 }), f).rejects.toThrow(/Subscribe error/);
    }
    const forged = makeRecord({ seq: 2 });
    const closed = new Promise<void>((r) => st.once("close", () => r()));
    // Aedes has no silent drop: a publish the ACL denies closes the publisher's connection
    // (Mosquitto drops it and keeps the connection). Either way no subscriber gets it.
    st.publish(
      topics.ack(COUNTY, STATION),
      JSON.stringify({
        v: 1,
        type: "ack",
        acks: [{ id: forged.id, status: "stored" }],
        at: new Date().toISOString(),
      }),
      { qos: 1 },
    );
    await closed;
    // A fresh session, and a real record's ack as the barrier.
    const again = await connect(c.url, { clientId: STATION, ...c.station });
    again.on("message", (topic, p) => got.push({ topic, body: p.toString() }));
    await again.subscribeAsync(topics.ack(COUNTY, STATION), { qos: 1 });
    const real = makeRecord({ seq: 3 });
    await again.publishAsync(
      topics.record(COUNTY, STATION),
      JSON.stringify(buildRecordMessage(real, { county: COUNTY, now: new Date() })),
      { qos: 1 },
    );
    await until(() => got.length >= 1, "the archive's ack");
    expect(got.map((m) => JSON.parse(m.body).acks[0].id)).toEqual([real.id]);
    expect(await c.archive.get(forged.id)).toBeNull();
  });
  it("stores a station's own outcomes and drops outcomes it sends as another station", async () => {
    const c = await start();
    const st = await connect(c.url, { clientId: STATION, ...c.station });
    const got: string[] = [];
    st.on("message", (_t, p) => got.push(...JSON.parse(p.toString()).acks.map((a: { id: string }) => a.id)));
    await st.subscribeAsync(topics.ack(COUNTY, STATION), { qos: 1 });
    const outcome = (id: string) => ({
      v: 1,
      id,
      kind: "unreachable",
      programme: "referral",
      recordId: "0190a000-0000-7000-8000-000000000009",
      doctorId: "dr-wang",
      at: new Date().toISOString(),
      day: "2026-04-01",
    });
    const msg = (stationId: string, id: string) =>
      JSON.stringify({
        v: 1,
        type: "outcomes",
        stationId,
        sentAt: new Date().toISOString(),
        outcomes: [outcome(id)],
      });
    const forgedId = "0190a000-0000-7000-8000-00000000000f";
    const closed = new Promise<void>((r) => st.once("close", () => r()));
    st.publish(topics.outcome(COUNTY, "st-other-02"), msg("st-other-02", forgedId), { qos: 1 });
    await closed;
    const again = await connect(c.url, { clientId: STATION, ...c.station });
    again.on("message", (_t, p) =>
      got.push(...JSON.parse(p.toString()).acks.map((a: { id: string }) => a.id)),
    );
    await again.subscribeAsync(topics.ack(COUNTY, STATION), { qos: 1 });
    const ownId = "0190a000-0000-7000-8000-00000000000a";
    await again.publishAsync(topics.outcome(COUNTY, STATION), msg(STATION, ownId), { qos: 1 });
    await until(() => got.length >= 1, "the archive's ack");
    expect(got).toEqual([ownId]);
    expect((await c.archive.listEvents("outcome")).map((e) => [e.station, e.id])).toEqual([[STATION, ownId]]);
  });
});
