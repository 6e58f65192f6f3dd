/**
 * The shipped broker config against a real Mosquitto, for the fleet topics (docs/fleet.md):
 * client-id takeover, the packet size limit, and every new ACL rule. "Received nothing" uses the
 * order barrier of acl.test.ts: one publisher's messages arrive in order, so once a later allowed
 * message is in, an earlier forbidden one would have been too.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACK_NAMES } from "../../station/mqtt/fleet-contract.js";
import { MAX_PACKET_BYTES } from "../../station/mqtt/limits.js";
import { connect, inbox, subscribeCodes } from "./clients.js";
import { type RunningMosquitto, startMosquitto } from "./mosquitto.js";

const COUNTY = "demo-county";
const A = "st-a-0001";
const B = "st-b-0002";
const ADMIN = "county-admin";
const ARCHIVE = "county-archive";
const t = (st: string, kind: string) => `hs/v1/${COUNTY}/${st}/${kind}`;
const users = [
  { username: ARCHIVE, password: "archive-pw" },
  { username: ADMIN, password: "admin-pw" },
  { username: A, password: "a-pw" },
  { username: B, password: "b-pw" },
];

let broker: RunningMosquitto;
const open: MqttClient[] = [];
const as = async (username: string, clientId?: string) => {
  const u = users.find((x) => x.username === username)!;
  const c = await connect({ url: broker.url, ca: broker.ca, ...u, ...(clientId ? { clientId } : {}) });
  open.push(c);
  return c;
};
const closes = (c: MqttClient) => {
  const seen = { closed: false };
  c.on("close", () => {
    seen.closed = true;
  });
  return seen;
};

beforeAll(async () => {
  broker = await startMosquitto(users);
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.endAsync(true)));
  await broker?.stop();
});

describe("client ids are usernames (use_username_as_clientid)", () => {
  it.each([
    ["the archive's", ARCHIVE],
    ["another station's", B],
  ])("a station asking for %s client id does not knock it off the broker", async (_n, victim) => {
    // The victim asks for its own username as client id, so without the option the impostor's
    // CONNECT would take its session over (checked: it does when the option is missing).
    const target = await as(victim, victim);
    const targetClose = closes(target);
    const seen = inbox(target);
    const own = victim === ARCHIVE ? t(A, "record") : t(B, "ack");
    expect(await subscribeCodes(target, own)).toEqual([1]);
    const impostor = await as(A, victim);
    expect(impostor.connected).toBe(true);
    // The victim is still there: it receives a message sent after the impostor connected.
    const sender = victim === ARCHIVE ? impostor : await as(ARCHIVE);
    await sender.publishAsync(own, '{"after":"impostor"}', { qos: 1 });
    await seen.waitFor(own);
    expect(targetClose.closed).toBe(false);
    expect(target.connected).toBe(true);
  });

  it("a second login with the same username does take over (the rule the above relies on)", async () => {
    const first = await as(A);
    const firstClose = closes(first);
    await as(A, "some-other-id");
    await new Promise<void>((r) => (firstClose.closed ? r() : first.once("close", () => r())));
    expect(firstClose.closed).toBe(true);
  });
});

describe("packet size limit", () => {
  it("the shipped max_packet_size is the station's MAX_PACKET_BYTES", async () => {
    const conf = await readFile(join(import.meta.dirname, "../../flows/broker/mosquitto.conf"), "utf8");
    expect(Number(/^max_packet_size (\d+)$/m.exec(conf)?.[1])).toBe(MAX_PACKET_BYTES);
  });

  it("disconnects a client that sends a bigger packet; nothing of it is delivered", async () => {
    const archive = await as(ARCHIVE);
    const seen = inbox(archive);
    expect(await subscribeCodes(archive, t(A, "record"))).toEqual([1]);
    const a = await as(A);
    const aClose = closes(a);
    a.publish(t(A, "record"), Buffer.alloc(MAX_PACKET_BYTES + 1, 0x20), { qos: 1 });
    await new Promise<void>((r) => (aClose.closed ? r() : a.once("close", () => r())));
    // Just under the limit (topic and headers count) still goes through.
    const a2 = await as(A);
    await a2.publishAsync(t(A, "record"), Buffer.alloc(MAX_PACKET_BYTES - 1_000, 0x20), { qos: 1 });
    await seen.waitFor(t(A, "record"));
    expect(seen.messages.map((m) => m.payload.length)).toEqual([MAX_PACKET_BYTES - 1_000]);
  });
});

/** Every data pack the station takes (roster, policy, doctors, summaries). */
const PACKS = PACK_NAMES.map((n) => `pack/${n}`);

describe("ACL: a station reads only its own config, packs and commands", () => {
  it.each([
    ["own topics", null],
    ["everything", "#"],
    ["every station's config, packs and commands", "hs/v1/+/+/+"],
  ])("station A subscribed to %s gets only what the admin sent to A", async (_n, filter) => {
    const a = await as(A);
    const seen = inbox(a);
    if (filter) await subscribeCodes(a, filter);
    for (const k of ["config", ...PACKS, "cmd"]) expect(await subscribeCodes(a, t(A, k))).toEqual([1]);
    const admin = await as(ADMIN);
    for (const k of ["config", ...PACKS, "cmd"]) await admin.publishAsync(t(B, k), `{"to":"B"}`, { qos: 1 });
    for (const k of ["config", ...PACKS]) await admin.publishAsync(t(A, k), `{"to":"A"}`, { qos: 1 });
    await admin.publishAsync(t(A, "cmd"), `{"to":"A"}`, { qos: 1 });
    await seen.waitFor(t(A, "cmd"));
    expect(seen.messages.map((m) => m.topic)).toEqual([
      t(A, "config"),
      ...PACKS.map((k) => t(A, k)),
      t(A, "cmd"),
    ]);
  });

  it("only the admin identity writes config, packs and commands: stations and the archive are dropped", async () => {
    const a = await as(A);
    const seen = inbox(a);
    for (const k of ["config", ...PACKS, "cmd"]) expect(await subscribeCodes(a, t(A, k))).toEqual([1]);
    const b = await as(B);
    const archive = await as(ARCHIVE);
    for (const forger of [a, b, archive])
      for (const k of ["config", ...PACKS, "cmd"])
        await forger.publishAsync(t(A, k), '{"forged":1}', { qos: 1 });
    const admin = await as(ADMIN);
    await admin.publishAsync(t(A, "cmd"), '{"real":1}', { qos: 1 });
    await seen.waitFor(t(A, "cmd"));
    expect(seen.messages).toEqual([{ topic: t(A, "cmd"), payload: '{"real":1}' }]);
  });
});

describe("ACL: a station writes only its own status, health, alarms and answers", () => {
  it("the admin reads A's own reports; A's forgeries under B, and B's other kinds, are dropped", async () => {
    const admin = await as(ADMIN);
    const seen = inbox(admin);
    for (const k of ["status", "health", "alarms", "answer"])
      expect(await subscribeCodes(admin, `hs/v1/${COUNTY}/+/${k}`)).toEqual([1]);
    const a = await as(A);
    for (const k of ["status", "health", "alarms", "answer"])
      await a.publishAsync(t(B, k), '{"forged":1}', { qos: 1 });
    for (const k of ["status", "health", "alarms", "answer"])
      await a.publishAsync(t(A, k), '{"own":1}', { qos: 1 });
    await seen.waitFor(t(A, "answer"));
    expect(seen.messages.map((m) => m.topic)).toEqual(
      ["status", "health", "alarms", "answer"].map((k) => t(A, k)),
    );
  });

  it("the archive does not read health, alarms or answers, and the admin does not read records", async () => {
    const archive = await as(ARCHIVE);
    const admin = await as(ADMIN);
    const archiveSeen = inbox(archive);
    const adminSeen = inbox(admin);
    await subscribeCodes(archive, `hs/v1/${COUNTY}/+/+`);
    await subscribeCodes(admin, `hs/v1/${COUNTY}/+/+`);
    const a = await as(A);
    for (const k of ["health", "alarms", "answer"]) await a.publishAsync(t(A, k), "{}", { qos: 1 });
    await a.publishAsync(t(A, "record"), "{}", { qos: 1 });
    await a.publishAsync(t(A, "status"), "{}", { qos: 1 });
    await archiveSeen.waitFor(t(A, "status"));
    await adminSeen.waitFor(t(A, "status"));
    expect(archiveSeen.messages.map((m) => m.topic)).toEqual([t(A, "record"), t(A, "status")]);
    expect(adminSeen.messages.map((m) => m.topic)).toEqual(
      ["health", "alarms", "answer", "status"].map((k) => t(A, k)),
    );
  });
});
