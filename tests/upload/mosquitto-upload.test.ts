/**
 * End to end through the shipped broker config: TLS with the pinned dev CA, per-station password,
 * the ACL, a county-archive responder on the shared subscription, and presence on clean stop.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AckMessage, RecordMessage, topics } from "../../station/mqtt/contract.js";
import { PresenceMessage, presenceTopic } from "../../station/mqtt/presence.js";
import { Uploader } from "../../station/upload/uploader.js";
import { connect, inbox } from "../mqtt/clients.js";
import { type RunningMosquitto, startMosquitto } from "../mqtt/mosquitto.js";
import { until } from "./fake-archive.js";
import { spyStore } from "./store-spy.js";

const COUNTY = "demo-county";
const STATION = "st-test-01";
let broker: RunningMosquitto;

beforeAll(async () => {
  broker = await startMosquitto([
    { username: "county-archive", password: "archive-pw" },
    { username: STATION, password: "station-pw" },
  ]);
});
afterAll(async () => {
  await broker?.stop();
});

describe("Uploader against the real Mosquitto", () => {
  it("delivers every record over TLS, is acked by the county archive, and says goodbye on stop", async () => {
    const county = await connect({
      url: broker.url,
      ca: broker.ca,
      username: "county-archive",
      password: "archive-pw",
    });
    const seen = inbox(county);
    await county.subscribeAsync(`$share/archive/${topics.record(COUNTY, "+")}`, { qos: 1 });
    await county.subscribeAsync(presenceTopic(COUNTY, "+"), { qos: 1 });
    county.on("message", (topic, payload) => {
      if (!topic.endsWith("/record")) return;
      const msg = RecordMessage.parse(JSON.parse(payload.toString()));
      const ack: AckMessage = {
        v: 1,
        type: "ack",
        acks: [{ id: msg.record.id, status: "stored" }],
        at: new Date().toISOString(),
      };
      void county.publishAsync(topics.ack(COUNTY, msg.stationId), JSON.stringify(ack), { qos: 1 });
    });

    const store = await spyStore(10);
    const u = new Uploader({
      store,
      county: COUNTY,
      stationId: STATION,
      broker: { url: broker.url, caFile: broker.caFile, username: STATION, password: "station-pw" },
      window: 4,
    });
    try {
      await u.start();
      await until(() => store.syncWrites.length === 10, "ten acks written", 20_000);
      expect(await store.pending(100)).toEqual([]);
      expect(
        new Set(seen.messages.filter((m) => m.topic.endsWith("/record")).map((m) => m.payload)).size,
      ).toBe(10);
    } finally {
      await u.stop();
    }
    const status = presenceTopic(COUNTY, STATION);
    await until(() => seen.messages.filter((m) => m.topic === status).length === 2, "online and offline");
    const states = seen.messages
      .filter((m) => m.topic === status)
      .map((m) => PresenceMessage.parse(JSON.parse(m.payload)));
    expect(states.map((s) => [s.state, s.reason])).toEqual([
      ["online", undefined],
      ["offline", "clean"],
    ]);
    await county.endAsync();
  });

  it("reports connect-failed for a wrong password and never marks a record", async () => {
    const store = await spyStore(1);
    const u = new Uploader({
      store,
      county: COUNTY,
      stationId: STATION,
      broker: { url: broker.url, caFile: broker.caFile, username: STATION, password: "wrong" },
      reconnect: { baseMs: 60_000, capMs: 60_000 },
    });
    try {
      await u.start();
      await until(() => u.status.lastError !== null, "first dial");
      expect(u.status).toMatchObject({ connected: false, lastError: { code: "connect-failed" } });
      expect(store.syncWrites).toEqual([]);
    } finally {
      await u.stop();
    }
  });

  it("refuses to start on mqtts:// without a pinned CA", async () => {
    const u = new Uploader({
      store: await spyStore(0),
      county: COUNTY,
      stationId: STATION,
      broker: { url: broker.url },
    });
    await expect(u.start()).rejects.toThrow(/caFile/);
  });
});
