import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeadLetterFile, deadLetterEntry } from "../../flows/archive/dead-letter.js";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { type BatchOutcome, ReceiverCore } from "../../flows/archive/receiver-core.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import type { ArchiveStore } from "../../flows/archive/store.js";
import { bytes, idNumber, makeMessage, NOW, recordId, recordTopic } from "./fixtures.js";

const validators = loadValidators();

/** A store that counts calls and can be told to fail; a fake of our own interface. */
function countingStore(inner: ArchiveStore) {
  const calls: number[] = [];
  let fail: Error | null = null;
  const store: ArchiveStore = {
    ...inner,
    open: () => inner.open(),
    close: () => inner.close(),
    count: () => inner.count(),
    get: (id) => inner.get(id),
    list: (o) => inner.list(o),
    putMany: async (r) => {
      calls.push(r.length);
      if (fail) throw fail;
      return inner.putMany(r);
    },
  };
  return { store, calls, failWith: (e: Error | null) => (fail = e) };
}

describe("ReceiverCore", () => {
  let dir: string;
  let file: FileArchiveStore;
  let outcomes: BatchOutcome[];
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(new Date(NOW));
    dir = await mkdtemp(join(tmpdir(), "hs-core-"));
    file = new FileArchiveStore({ dir });
    await file.open();
    outcomes = [];
  });
  afterEach(async () => {
    vi.useRealTimers();
    await file.close();
    await rm(dir, { recursive: true, force: true });
  });
  const core = (store: ArchiveStore, extra: Partial<ConstructorParameters<typeof ReceiverCore>[0]> = {}) =>
    new ReceiverCore({ store, validators, onBatch: (o) => outcomes.push(o), batchMs: 10, ...extra });

  it("gathers messages for batchMs, stores them with one putMany, and acks per station", async () => {
    const c = countingStore(file);
    const r = core(c.store);
    const done = [1, 2, 3].map((n) => r.accept(recordTopic(), bytes(makeMessage({ n }))));
    done.push(r.accept(recordTopic("st-002"), bytes(makeMessage({ n: 4, station: "st-002" }))));
    expect(c.calls).toEqual([]); // still gathering
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(done);
    expect(c.calls).toEqual([4]);
    expect(outcomes).toHaveLength(1);
    const acks = outcomes[0]!.acks;
    expect(acks.map((a) => a.topic)).toEqual([
      "hs/v1/demo-county/st-001/ack",
      "hs/v1/demo-county/st-002/ack",
    ]);
    expect(acks[0]!.payload.acks.map((a) => a.status)).toEqual(["stored", "stored", "stored"]);
    for (const a of acks) {
      expect(a.qos).toBe(1);
      expect(validators.ack(a.payload), JSON.stringify(validators.ack.errors)).toBe(true);
    }
    expect(await file.count()).toBe(4);
  });

  it("judges birth dates by the county's local date: at 07:30 Beijing time a baby born that day is stored", async () => {
    const at = new Date("2026-11-22T23:30:00Z"); // 2026-11-23 07:30 in Asia/Shanghai
    const r = core(file, { now: () => at });
    const bornOn = (n: number, date: string) => {
      const msg = makeMessage({ n, idNumber: idNumber(date.replaceAll("-", ""), "371") });
      msg.record.person.birthDate = date;
      return msg;
    };
    const bornToday = bornOn(1, "2026-11-23");
    const bornTomorrow = bornOn(2, "2026-11-24");
    const done = [r.accept(recordTopic(), bytes(bornToday)), r.accept(recordTopic(), bytes(bornTomorrow))];
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(done);
    expect(outcomes[0]!.acks[0]!.payload.acks.map((a) => [a.id, a.status])).toEqual([
      [bornToday.record.id, "stored"],
      [bornTomorrow.record.id, "rejected"],
    ]);
  });

  it("acks a re-sent record as duplicate and a bad one as rejected with its code", async () => {
    const r = core(file);
    await file.putMany([{ message: makeMessage({ n: 1 }), receivedAt: NOW }]);
    const bad = makeMessage({ n: 2 });
    bad.stationId = "st-999";
    const p = Promise.all([
      r.accept(recordTopic(), bytes(makeMessage({ n: 1 }))),
      r.accept(recordTopic(), bytes(bad)),
    ]);
    await vi.advanceTimersByTimeAsync(10);
    await p;
    expect(outcomes[0]!.acks[0]!.payload.acks).toEqual([
      { id: recordId(1), status: "duplicate" },
      expect.objectContaining({ id: recordId(2), status: "rejected", code: "topic-mismatch" }),
    ]);
    expect(r.totals).toMatchObject({ stored: 0, duplicates: 1, rejected: 1 });
  });

  it("flushes at once when maxBatch messages are waiting", async () => {
    const c = countingStore(file);
    const r = core(c.store, { maxBatch: 3 });
    await Promise.all([1, 2, 3].map((n) => r.accept(recordTopic(), bytes(makeMessage({ n })))));
    expect(c.calls).toEqual([3]); // no timer was needed
  });

  it("splits more than 1000 acks for one station into several ack messages", async () => {
    const r = core(file, { maxBatch: 5000 });
    const p = Array.from({ length: 1500 }, (_, i) =>
      r.accept(recordTopic(), bytes(makeMessage({ n: i + 1 }))),
    );
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(p);
    expect(outcomes[0]!.acks.map((a) => a.payload.acks.length)).toEqual([1000, 500]);
  });

  it("when the store fails: rejects the waiting promises, sends no stored ack, still acks rejects", async () => {
    const c = countingStore(file);
    c.failWith(new Error("disk full"));
    const r = core(c.store);
    const bad = makeMessage({ n: 9 });
    bad.county = "elsewhere";
    const good = r.accept(recordTopic(), bytes(makeMessage({ n: 1 })));
    const rejected = r.accept(recordTopic(), bytes(bad));
    const settled = Promise.allSettled([good, rejected]);
    await vi.advanceTimersByTimeAsync(10);
    const [g, b] = await settled;
    expect(g).toMatchObject({ status: "rejected", reason: { message: "disk full" } });
    expect(b!.status).toBe("fulfilled");
    expect(outcomes[0]!.acks.flatMap((a) => a.payload.acks.map((x) => x.status))).toEqual(["rejected"]);
    expect(r.totals.failedBatches).toBe(1);
  });

  it("sends unattributable messages to the dead-letter sink and acks nothing for them", async () => {
    const dlPath = join(dir, "dead", "dead-letter.jsonl");
    const dl = new DeadLetterFile(dlPath);
    const r = core(file, { onDrop: (d, payload) => void dl.write(deadLetterEntry(d, payload, new Date())) });
    const p = r.accept(recordTopic(), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    await vi.advanceTimersByTimeAsync(10);
    await p;
    await dl.write(deadLetterEntry(outcomes[0]!.drops[0]!, "second", new Date()));
    const lines = (await readFile(dlPath, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      code: "no-record-id",
      size: 4,
      sampleBase64: "3q2+7w==",
      topic: recordTopic(),
    });
    expect(lines).toHaveLength(2);
    expect(outcomes[0]!.acks).toEqual([]);
    expect(r.totals.dropped).toBe(1);
  });

  it("drain() stores what is waiting without waiting for the timer", async () => {
    const r = core(file, { batchMs: 60_000 });
    const p = r.accept(recordTopic(), bytes(makeMessage({ n: 1 })));
    await r.drain();
    await p;
    expect(await file.count()).toBe(1);
    expect(r.pending).toBe(0);
  });
});
