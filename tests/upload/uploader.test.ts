/**
 * The uploader against an in-process Aedes broker and a fake archive. Time-dependent behaviour
 * (ack timeout, backoff, reconnect) runs on a ManualScheduler; the network is real.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { UploadStatus } from "../../station/upload/status.js";
import { Uploader, type UploaderOptions } from "../../station/upload/uploader.js";
import { createLogger } from "../../station/util/logger.js";
import { makeRecord } from "../storage/fixtures/records.js";
import { type FakeArchive, startFakeArchive, until } from "./fake-archive.js";
import { ManualScheduler } from "./manual-scheduler.js";
import { type SpyStore, spyStore } from "./store-spy.js";

const STATION = "st-test-01";
const uploaders: Uploader[] = [];
const archives: FakeArchive[] = [];
afterEach(async () => {
  // Stations first: a station whose broker vanished first would wait out its goodbye deadline.
  for (const u of uploaders.splice(0)) await u.stop();
  for (const a of archives.splice(0)) await a.close();
});

function uploader(store: SpyStore, archiveUrl: string, extra: Partial<UploaderOptions> = {}) {
  const u = new Uploader({
    store,
    county: "demo-county",
    stationId: STATION,
    broker: { url: archiveUrl },
    ackBatchMs: 5,
    ...(process.env.UPLOAD_DEBUG ? { logger: createLogger("test", "debug") } : {}),
    ...extra,
  });
  const statuses: UploadStatus[] = [];
  const sent: { id: string; attempt: number }[] = [];
  u.on("status", (s) => statuses.push(s));
  u.on("sent", (s) => sent.push(s));
  uploaders.push(u);
  return { u, statuses, sent };
}

async function archive(opts?: { port?: number }): Promise<FakeArchive> {
  const a = await startFakeArchive(opts);
  archives.push(a);
  return a;
}

const outboxEmpty = async (store: SpyStore) => (await store.pending(1000)).length === 0;

describe("Uploader", () => {
  it("subscribes to its ack topic before publishing, then delivers and marks every record acked", async () => {
    const store = await spyStore(5);
    const arc = await archive();
    const { u } = uploader(store, arc.url);
    await u.start();
    let empty = false;
    await until(
      () => empty,
      "outbox empty",
      10_000,
      () => {
        void outboxEmpty(store).then((e) => {
          empty = e;
        });
      },
    );
    const ev = arc.events(STATION);
    expect(ev[0]).toBe("subscribe hs/v1/demo-county/st-test-01/ack");
    expect(ev.filter((e) => e.endsWith("/record"))).toHaveLength(5);
    expect(arc.received.map((m) => m.record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(arc.received[0]!.observations[0]!.code.code).toBe("85354-9");
    const rec = await store.get(arc.received[0]!.record.id);
    expect(rec!.sync).toMatchObject({ status: "acked", attempts: 1, rejectReason: null });
    expect(rec!.sync.ackedAt).not.toBeNull();
    expect(u.status).toMatchObject({ connected: true, inFlight: 0, retrying: 0, lastError: null });
    expect(u.status.lastAckAt).not.toBeNull();
  });

  it("never holds more than `window` unacked records, and pages the outbox only with a limit", async () => {
    const store = await spyStore(120);
    const arc = await archive();
    const held: string[] = [];
    arc.respond = (msg) => {
      held.push(msg.record.id);
      return [];
    };
    const { u, statuses, sent } = uploader(store, arc.url, { window: 8 });
    await u.start();
    await until(() => arc.received.length === 8, "first window");
    expect(sent).toHaveLength(8);
    expect(u.status.inFlight).toBe(8);
    // Release acks in batches, as a busy archive would; each batch frees room for the next records.
    arc.respond = (msg, n) => [{ id: msg.record.id, status: n === 1 ? "stored" : "duplicate" }];
    await arc.ack(
      STATION,
      held.splice(0).map((id) => ({ id, status: "stored" as const })),
    );
    await until(
      () => store.syncWrites.filter((w) => w.sync.status === "acked").length === 120,
      "all acked",
      20_000,
    );
    expect(Math.max(...statuses.map((s) => s.inFlight + s.retrying))).toBeLessThanOrEqual(8);
    // Paged by the free slots, skipping what it holds: never more than one window at a time.
    expect(store.pendingLimits.every((l) => l !== undefined && l >= 1 && l <= 8)).toBe(true);
    expect(new Set(arc.received.map((m) => m.record.id)).size).toBe(120);
  });

  it("retries a record whose ack does not come, after a full-jitter backoff, and counts attempts", async () => {
    const store = await spyStore(1);
    const arc = await archive();
    arc.respond = (msg, n) => (n === 1 ? [] : [{ id: msg.record.id, status: "stored" }]);
    const clock = new ManualScheduler();
    const { u, sent } = uploader(store, arc.url, {
      scheduler: clock,
      random: () => 0.5,
      ackTimeoutMs: 30_000,
      retry: { baseMs: 4_000, capMs: 300_000 },
    });
    await u.start();
    await until(() => arc.received.length === 1, "first delivery");
    clock.advance(30_000);
    expect(u.status.lastError?.code).toBe("ack-timeout");
    expect(u.status).toMatchObject({ inFlight: 0, retrying: 1 });
    // Backoff for attempt 1 = floor(0.5 · min(cap, 4000 · 2^0)) = 2000 ms (the batch flush is 5 ms).
    clock.advance(1_999);
    expect(sent).toHaveLength(1);
    const id = sent[0]!.id;
    await until(() => store.syncWrites.length === 1, "attempt counted");
    expect(store.syncWrites).toEqual([
      { id, sync: expect.objectContaining({ status: "pending", attempts: 1 }) },
    ]);
    clock.advance(1);
    expect(sent.map((s) => s.attempt)).toEqual([1, 2]);
    await until(
      () => store.syncWrites.length === 2,
      "ack of the retry written",
      10_000,
      () => clock.advance(5),
    );
    expect((await store.get(id))!.sync).toMatchObject({ status: "acked", attempts: 2 });
  });

  it("applies an ack once however often it is repeated, and ignores acks for unknown ids", async () => {
    const store = await spyStore(2);
    const arc = await archive();
    const unknown = makeRecord({ seq: 99 }).id;
    arc.respond = (msg) => [
      { id: msg.record.id, status: "stored" },
      { id: msg.record.id, status: "duplicate" },
      { id: unknown, status: "stored" },
    ];
    const { u } = uploader(store, arc.url);
    const acked: string[] = [];
    u.on("acked", (a) => acked.push(a.id));
    await u.start();
    await until(() => acked.length === 2, "two acks");
    // A late repeat of the same ack, after the record left the outbox.
    await arc.ack(STATION, [{ id: acked[0]!, status: "stored" }]);
    await arc.raw(STATION, "barrier-not-json");
    await until(() => u.status.lastError?.code === "ack-malformed", "barrier");
    expect(acked).toHaveLength(2);
    expect(store.syncWrites.map((w) => w.id).sort()).toEqual([...acked].sort());
  });

  it("logs and ignores malformed acks without marking anything", async () => {
    const store = await spyStore(1);
    const arc = await archive();
    arc.respond = () => [];
    const { u } = uploader(store, arc.url);
    await u.start();
    await until(() => arc.received.length === 1, "delivery");
    const id = arc.received[0]!.record.id;
    const bad = [
      "{not json",
      JSON.stringify({ v: 2, type: "ack", acks: [{ id, status: "stored" }], at: new Date().toISOString() }),
      JSON.stringify({ v: 1, type: "ack", acks: [], at: new Date().toISOString() }),
      JSON.stringify({ v: 1, type: "ack", acks: [{ id, status: "stored" }], at: "yesterday" }),
      JSON.stringify([{ id, status: "stored" }]),
    ];
    const errors: string[] = [];
    u.on("status", (s) => {
      if (s.lastError?.code === "ack-malformed") errors.push(s.lastError.message);
    });
    for (const b of bad) await arc.raw(STATION, b);
    await until(() => errors.length === bad.length, "all malformed acks seen");
    expect(store.syncWrites).toEqual([]);
    expect((await store.get(id))!.sync.status).toBe("pending");
    expect(u.status.inFlight).toBe(1);
    await arc.ack(STATION, [{ id, status: "stored" }]);
    await until(() => store.syncWrites.length === 1, "real ack applied");
    expect((await store.get(id))!.sync.status).toBe("acked");
  });

  it("marks a rejected record rejected with the archive's reason and shows it in the status", async () => {
    const store = await spyStore(2);
    const arc = await archive();
    arc.respond = (msg) =>
      msg.record.seq === 1
        ? [
            {
              id: msg.record.id,
              status: "rejected",
              reason: "ID number not in county register",
              code: "person-unknown",
            },
          ]
        : [{ id: msg.record.id, status: "stored" }];
    const { u } = uploader(store, arc.url);
    await u.start();
    await until(() => store.syncWrites.length === 2, "both answered");
    const first = arc.received.find((m) => m.record.seq === 1)!.record.id;
    expect((await store.get(first))!.sync).toMatchObject({
      status: "rejected",
      rejectReason: "person-unknown: ID number not in county register",
    });
    expect(u.status.rejected).toEqual([
      expect.objectContaining({
        id: first,
        code: "person-unknown",
        reason: "ID number not in county register",
      }),
    ]);
    expect(await store.pending(10)).toEqual([]);
  });

  it("shows rejections kept from an earlier run as soon as it starts (a restart hides nothing)", async () => {
    const store = await spyStore(3);
    const [a, b] = await store.pending(2);
    const rejected = (reason: string) => ({
      status: "rejected" as const,
      attempts: 1,
      lastAttemptAt: "2024-05-01T02:00:00.000Z",
      ackedAt: null,
      rejectReason: reason,
    });
    await store.updateSyncMany([
      { id: a!.id, sync: rejected("person-unknown: ID number not in county register: 4201…") },
      { id: b!.id, sync: rejected("reason from an older archive, no code") },
    ]);
    const arc = await archive();
    const { u } = uploader(store, arc.url);
    await u.start();
    await until(() => u.status.rejected.length === 2, "earlier rejections shown");
    // Newest last, as for rejections arriving during the run.
    expect(u.status.rejected).toEqual([
      {
        id: a!.id,
        code: "person-unknown",
        reason: "ID number not in county register: 4201…",
        at: "2024-05-01T02:00:00.000Z",
      },
      {
        id: b!.id,
        code: null,
        reason: "reason from an older archive, no code",
        at: "2024-05-01T02:00:00.000Z",
      },
    ]);
    // Only the one still pending goes out.
    await until(() => arc.received.length === 1, "the pending record sent");
    expect(arc.received[0]!.record.seq).toBe(3);
  });

  it("keeps records while the broker is down at start and delivers them all once it comes up", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const store = await spyStore(3);
    const clock = new ManualScheduler();
    const { u } = uploader(store, `mqtt://127.0.0.1:${port}`, {
      scheduler: clock,
      random: () => 1,
      reconnect: { baseMs: 1_000, capMs: 60_000 },
    });
    await u.start();
    await until(() => u.status.lastError?.code === "connect-failed", "first dial fails");
    await store.save(makeRecord({ seq: 4 }));
    u.kick();
    const arc = await archive({ port });
    // random() = 1 → the first redial comes at exactly baseMs.
    clock.advance(1_000);
    await until(() => u.status.connected, "reconnected");
    await until(
      () => store.syncWrites.length === 4,
      "all delivered",
      10_000,
      () => clock.advance(5),
    );
    expect(new Set(arc.received.map((m) => m.record.seq))).toEqual(new Set([1, 2, 3, 4]));
  });

  it("resends what was in flight when the connection drops", async () => {
    const store = await spyStore(2);
    let arc = await archive();
    arc.respond = () => [];
    const clock = new ManualScheduler();
    const { u } = uploader(store, arc.url, { scheduler: clock, random: () => 0 });
    await u.start();
    await until(() => arc.received.length === 2, "first deliveries");
    const { port } = arc;
    await arc.close();
    await until(() => !u.status.connected, "drop noticed");
    expect(u.status).toMatchObject({
      inFlight: 0,
      lastError: expect.objectContaining({ code: "connection-lost" }),
    });
    arc = await archive({ port });
    clock.advance(0);
    await until(
      () => store.syncWrites.length === 2,
      "delivered after reconnect",
      10_000,
      () => clock.advance(5),
    );
    expect(arc.received).toHaveLength(2);
  });
});
