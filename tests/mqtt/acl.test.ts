/**
 * The shipped broker security (flows/broker/{mosquitto.conf,acl}) against a real Mosquitto.
 * "Received nothing" is proved with an order barrier, never a sleep: Mosquitto delivers one
 * publisher's messages to a subscriber in order, so once a later allowed message has arrived, an
 * earlier forbidden one would have arrived before it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, inbox, subscribeCodes } from "./clients.js";
import { type RunningMosquitto, startMosquitto } from "./mosquitto.js";

const COUNTY = "demo-county";
const A = "st-a-0001";
const B = "st-b-0002";
const rec = (st: string) => `hs/v1/${COUNTY}/${st}/record`;
const ack = (st: string) => `hs/v1/${COUNTY}/${st}/ack`;
const users = [
  { username: "county-archive", password: "archive-pw" },
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

beforeAll(async () => {
  broker = await startMosquitto(users);
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.endAsync(true)));
  await broker?.stop();
});

describe("TLS and authentication", () => {
  it("accepts a client that pins the county CA and has a valid password", async () => {
    const c = await as("county-archive");
    expect(c.connected).toBe(true);
  });

  it("refuses the connection when the client trusts a different CA", async () => {
    const other = await mkdtemp(join(tmpdir(), "hs-other-ca-"));
    try {
      await promisify(execFile)("bash", [join(import.meta.dirname, "../../scripts/certs-dev.sh"), other]);
      const wrongCa = await readFile(join(other, "ca.crt"));
      await expect(connect({ url: broker.url, ca: wrongCa, ...users[1]! })).rejects.toThrow(
        /certificate|self[- ]signed|unable to verify/i,
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("refuses a wrong password and an anonymous client", async () => {
    await expect(connect({ url: broker.url, ca: broker.ca, username: A, password: "nope" })).rejects.toThrow(
      /not authori[sz]ed|bad user/i,
    );
    await expect(connect({ url: broker.url, ca: broker.ca })).rejects.toThrow(/not authori[sz]ed|bad user/i);
  });
});

describe("ACL: stations are confined to their own topics", () => {
  it("drops station A's publish to B's record topic; A's own record reaches the archive", async () => {
    const county = await as("county-archive");
    const seen = inbox(county);
    expect(await subscribeCodes(county, "hs/v1/+/+/record")).toEqual([1]);
    const a = await as(A);
    await a.publishAsync(rec(B), JSON.stringify({ forged: true }), { qos: 1 });
    await a.publishAsync(rec(A), JSON.stringify({ own: true }), { qos: 1 });
    await seen.waitFor(rec(A));
    expect(seen.messages.map((m) => m.topic)).toEqual([rec(A)]);
  });

  // Mosquitto 2.0.11 grants these SUBSCRIBEs (SUBACK 1) and enforces "read" per delivered message;
  // what matters is that nothing of B's, and no record, ever reaches A.
  it.each([
    ["B's ack topic", ack(B)],
    ["every record", "hs/v1/+/+/record"],
    ["everything", "#"],
  ])("delivers nothing to station A subscribed to %s", async (_name, filter) => {
    const a = await as(A);
    const seen = inbox(a);
    await subscribeCodes(a, filter);
    expect(await subscribeCodes(a, ack(A))).toEqual([1]);
    const b = await as(B);
    await b.publishAsync(rec(B), "{}", { qos: 1 });
    const county = await as("county-archive");
    await county.publishAsync(ack(B), '{"for":"B"}', { qos: 1 });
    await county.publishAsync(ack(A), '{"for":"A"}', { qos: 1 });
    await seen.waitFor(ack(A));
    expect(seen.messages).toEqual([{ topic: ack(A), payload: '{"for":"A"}' }]);
  });

  it("drops acks written by a station, even to its own ack topic; only county-archive's arrive", async () => {
    const b = await as(B);
    const seen = inbox(b);
    expect(await subscribeCodes(b, ack(B))).toEqual([1]);
    const a = await as(A);
    await a.publishAsync(ack(B), '{"forged":"by A"}', { qos: 1 });
    await b.publishAsync(ack(B), '{"forged":"by B"}', { qos: 1 });
    const county = await as("county-archive");
    await county.publishAsync(ack(B), '{"real":true}', { qos: 1 });
    await seen.waitFor(ack(B));
    expect(seen.messages.map((m) => m.payload)).toEqual(['{"real":true}']);
  });

  it("lets the archive read records through its shared subscription and stations write presence", async () => {
    const county = await as("county-archive");
    const seen = inbox(county);
    expect(await subscribeCodes(county, `$share/archive/hs/v1/${COUNTY}/+/record`)).toEqual([1]);
    expect(await subscribeCodes(county, `hs/v1/${COUNTY}/+/status`)).toEqual([1]);
    const a = await as(A);
    await a.publishAsync(`hs/v1/${COUNTY}/${B}/status`, '{"forged":true}', { qos: 1 });
    await a.publishAsync(`hs/v1/${COUNTY}/${A}/status`, '{"state":"online"}', { qos: 1 });
    await a.publishAsync(rec(A), '{"n":1}', { qos: 1 });
    await seen.waitFor(rec(A));
    expect(seen.messages.map((m) => m.topic)).toEqual([`hs/v1/${COUNTY}/${A}/status`, rec(A)]);
  });
});
