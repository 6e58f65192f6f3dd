/**
 * Issue 12 §3: the station accepts an ack only for records in flight, only in the expected shape
 * and size, and never on a payload larger than the configured bound (checked before parsing).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Uploader } from "../../station/upload/uploader.js";
import { makeRecord } from "../storage/fixtures/records.js";
import { type FakeArchive, startFakeArchive, until } from "../upload/fake-archive.js";
import { type SpyStore, spyStore } from "../upload/store-spy.js";

const STATION = "st-test-01";
const uploaders: Uploader[] = [];
const archives: FakeArchive[] = [];
afterEach(async () => {
  for (const u of uploaders.splice(0)) await u.stop();
  for (const a of archives.splice(0)) await a.close();
});

async function rig(n: number, maxAckBytes = 2048) {
  const store: SpyStore = await spyStore(n);
  const arc = await startFakeArchive();
  archives.push(arc);
  arc.respond = () => [];
  const u = new Uploader({
    store,
    county: "demo-county",
    stationId: STATION,
    broker: { url: arc.url },
    ackBatchMs: 5,
    maxAckBytes,
  });
  uploaders.push(u);
  const errors: string[] = [];
  u.on("status", (s) => {
    if (s.lastError?.code === "ack-malformed") errors.push(s.lastError.message);
  });
  const times: string[] = [];
  u.on("archiveTime", (t) => times.push(t.at));
  await u.start();
  await until(() => arc.received.length === n, "delivery");
  return { store, arc, u, errors, times, ids: arc.received.map((m) => m.record.id) };
}

describe("acks the station accepts", () => {
  it("drops an ack over the byte bound unread, however valid its content", async () => {
    const { store, arc, errors, ids } = await rig(1);
    const ack = { v: 1, type: "ack", acks: [{ id: ids[0], status: "stored" }], at: new Date().toISOString() };
    // Valid JSON, padded past the 2048-byte bound with whitespace.
    await arc.raw(STATION, JSON.stringify(ack) + " ".repeat(2100));
    await until(() => errors.length === 1, "oversized ack refused");
    expect(errors[0]).toMatch(/over the 2048-byte bound/);
    expect(store.syncWrites).toEqual([]);
    // The same ack within the bound is applied: the bound, not the content, stopped it.
    await arc.raw(STATION, JSON.stringify(ack));
    await until(() => store.syncWrites.length === 1, "ack within bound applied");
    expect((await store.get(ids[0]!))!.sync.status).toBe("acked");
  });

  it("refuses an ack whose id is longer than any record id", async () => {
    const { store, arc, errors, ids } = await rig(1);
    const long = `${ids[0]}${"0".repeat(100)}`;
    await arc.raw(
      STATION,
      JSON.stringify({
        v: 1,
        type: "ack",
        acks: [{ id: long, status: "stored" }],
        at: new Date().toISOString(),
      }),
    );
    await until(() => errors.length === 1, "long id refused");
    expect(store.syncWrites).toEqual([]);
  });

  it("takes the archive's time only from an ack that settled a record in flight", async () => {
    const { store, arc, times, ids } = await rig(1);
    const stranger = makeRecord({ seq: 77 }).id;
    await arc.raw(
      STATION,
      JSON.stringify({
        v: 1,
        type: "ack",
        acks: [{ id: stranger, status: "stored" }],
        at: "2031-01-01T00:00:00Z",
      }),
    );
    await arc.raw(
      STATION,
      JSON.stringify({
        v: 1,
        type: "ack",
        acks: [{ id: ids[0], status: "stored" }],
        at: "2026-06-01T00:00:00Z",
      }),
    );
    await until(() => store.syncWrites.length === 1, "ack applied");
    expect(times).toEqual(["2026-06-01T00:00:00Z"]);
    expect(store.syncWrites.map((w) => w.id)).toEqual([ids[0]]);
  });
});
