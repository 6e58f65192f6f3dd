/**
 * One behaviour contract for every ArchiveStore (style.md 10). Each implementation's test file
 * calls archiveStoreContract with a factory that gives a fresh, empty store.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ArchivedEvent, ArchiveStore, EventStream } from "../../flows/archive/store.js";
import { archived, recordId } from "./fixtures.js";

export interface StoreHarness {
  store: ArchiveStore;
  /** Close and open again over the same data (a new instance). */
  reopen(): Promise<ArchiveStore>;
  cleanup(): Promise<void>;
}

export function archiveStoreContract(name: string, factory: () => Promise<StoreHarness>): void {
  describe(`ArchiveStore contract: ${name}`, () => {
    let h: StoreHarness | undefined;
    const start = async () => {
      h = await factory();
      return h.store;
    };
    afterEach(async () => {
      await h?.cleanup();
      h = undefined;
    });

    it("stores new records and returns each one as it was given", async () => {
      const store = await start();
      const recs = [archived(1), archived(2)];
      expect(await store.putMany(recs)).toEqual([
        { id: recordId(1), status: "stored" },
        { id: recordId(2), status: "stored" },
      ]);
      expect(await store.count()).toBe(2);
      expect(await store.get(recordId(2))).toEqual(recs[1]);
      expect(await store.get(recordId(3))).toBeNull();
      expect(await store.get("not-a-uuid")).toBeNull();
    });

    it("keeps a correction (record v3) beside the record it supersedes, and returns it as v3", async () => {
      const store = await start();
      const original = archived(1);
      const base = archived(2).message;
      const correction = {
        message: {
          ...base,
          v: 3 as const,
          record: {
            ...base.record,
            schemaVersion: 3 as const,
            assisted: null,
            followUp: null,
            operator: { kind: "doctor" as const, doctorId: "dr-wang" },
            correction: {
              supersedes: recordId(1),
              doctorId: "dr-wang",
              reason: "typing-error",
              rejectCode: "id-number",
              changed: ["idNumber"],
            },
          },
        },
        receivedAt: original.receivedAt,
      };
      await store.putMany([original]);
      expect(await store.putMany([correction])).toEqual([{ id: recordId(2), status: "stored" }]);
      expect(await store.count()).toBe(2);
      expect(await store.get(recordId(2))).toEqual(correction);
      expect(await store.get(recordId(1))).toEqual(original);
    });

    it("is idempotent by record id: a re-sent record is a duplicate and is not changed", async () => {
      const store = await start();
      await store.putMany([archived(1)]);
      const resent = archived(1);
      resent.receivedAt = "2026-11-23T00:00:00.000Z";
      expect(await store.putMany([resent, archived(2)])).toEqual([
        { id: recordId(1), status: "duplicate" },
        { id: recordId(2), status: "stored" },
      ]);
      expect(await store.count()).toBe(2);
      expect((await store.get(recordId(1)))!.receivedAt).toBe(archived(1).receivedAt);
    });

    it("stores an id repeated within one call once, the first occurrence", async () => {
      const store = await start();
      const second = archived(5);
      second.receivedAt = "2026-11-23T00:00:00.000Z";
      const r = await store.putMany([archived(5), second, archived(6)]);
      expect(r.map((x) => x.status)).toEqual(["stored", "duplicate", "stored"]);
      expect(await store.count()).toBe(2);
      expect((await store.get(recordId(5)))!.receivedAt).toBe(archived(5).receivedAt);
    });

    it("sorts out concurrent calls racing on the same ids: each id stored exactly once", async () => {
      const store = await start();
      const batches = [0, 1, 2, 3].map((k) =>
        Array.from({ length: 50 }, (_, i) => archived(1 + ((i + k * 25) % 100))),
      );
      const results = (await Promise.all(batches.map((b) => store.putMany(b)))).flat();
      const stored = results.filter((r) => r.status === "stored").map((r) => r.id);
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored.length).toBe(await store.count());
      expect(await store.count()).toBe(100);
    });

    it("keeps everything across close and open", async () => {
      const store = await start();
      await store.putMany(Array.from({ length: 30 }, (_, i) => archived(i + 1)));
      const again = await h!.reopen();
      expect(await again.count()).toBe(30);
      expect(await again.get(recordId(17))).toEqual(archived(17));
      expect((await again.putMany([archived(17)]))[0]!.status).toBe("duplicate");
    });

    it("lists by record id, filtered by station, paged with afterId", async () => {
      const store = await start();
      await store.putMany([archived(3), archived(1, "st-002", 2), archived(2), archived(4, "st-002", 2)]);
      const all = await store.list();
      const ids = all.map((r) => r.message.record.id);
      expect(ids).toEqual([...ids].sort());
      expect(ids).toHaveLength(4);
      const st2 = await store.list({ station: "st-002" });
      expect(st2.map((r) => r.message.stationId)).toEqual(["st-002", "st-002"]);
      const page1 = await store.list({ limit: 2 });
      const page2 = await store.list({ limit: 2, afterId: page1.at(-1)!.message.record.id });
      expect([...page1, ...page2].map((r) => r.message.record.id)).toEqual(ids);
    });

    it("handles an empty batch and a batch larger than one statement", async () => {
      const store = await start();
      expect(await store.putMany([])).toEqual([]);
      const many = Array.from({ length: 2500 }, (_, i) => archived(i + 1));
      const r = await store.putMany(many);
      expect(r.every((x) => x.status === "stored")).toBe(true);
      expect(await store.count()).toBe(2500);
    });
    it("stores audit events and outcomes once by id, apart from records, durably across a reopen", async () => {
      const store = await start();
      const ev = (n: number, stream: EventStream, station = "st-001"): ArchivedEvent => ({
        stream,
        county: "demo-county",
        station,
        id: `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`,
        event: { v: 1, id: `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`, kind: "agreed", n },
        receivedAt: "2026-04-01T02:00:00.000Z",
      });
      const batch = [ev(1, "audit"), ev(2, "outcome"), ev(1, "audit"), ev(3, "audit", "st-002")];
      expect(await store.putEvents!(batch)).toEqual([
        { id: ev(1, "audit").id, status: "stored" },
        { id: ev(2, "outcome").id, status: "stored" },
        { id: ev(1, "audit").id, status: "duplicate" },
        { id: ev(3, "audit").id, status: "stored" },
      ]);
      expect(await store.count()).toBe(0); // events are not records
      const again = await h!.reopen();
      expect(await again.putEvents!([ev(2, "outcome"), ev(4, "outcome")])).toEqual([
        { id: ev(2, "outcome").id, status: "duplicate" },
        { id: ev(4, "outcome").id, status: "stored" },
      ]);
      expect(await again.listEvents!("audit")).toEqual([ev(1, "audit"), ev(3, "audit", "st-002")]);
      expect((await again.listEvents!("audit", { station: "st-002" })).map((e) => e.id)).toEqual([
        ev(3, "audit").id,
      ]);
      expect(await again.listEvents!("outcome", { afterId: ev(2, "outcome").id })).toEqual([
        ev(4, "outcome"),
      ]);
    });
  });
}
