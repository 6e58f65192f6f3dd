/**
 * One behaviour contract for every RecordStore implementation (MQTT.js abstract_store pattern).
 * Each implementation's test file calls recordStoreContract with a factory.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { shardDayOf } from "../../station/storage/keys.js";
import type { InspectableRecordStore } from "../../station/storage/types.js";
import { ackedSync, dayAt, idNumber, makeRecord, pendingSync } from "./fixtures/records.js";

export interface Harness {
  store: InspectableRecordStore;
  /** Close and open again over the same data (a new instance for stores that have one). */
  reopen(): Promise<InspectableRecordStore>;
  cleanup(): Promise<void>;
}

/** `invalid`: raw stored records that fail validation, planted before open(). */
export type HarnessFactory = (opts?: { invalid?: unknown[] }) => Promise<Harness>;

export function recordStoreContract(name: string, factory: HarnessFactory): void {
  describe(`RecordStore contract: ${name}`, () => {
    let h: Harness | undefined;
    const start = async (opts?: { invalid?: unknown[] }) => {
      h = await factory(opts);
      return h.store;
    };
    afterEach(async () => {
      await h?.cleanup();
      h = undefined;
    });

    it("returns a saved record equal to what was saved, and null for unknown ids", async () => {
      const store = await start();
      const rec = makeRecord({ seq: 1, at: dayAt(0) });
      await store.save(rec);
      expect(await store.get(rec.id)).toEqual(rec);
      expect(await store.get(makeRecord({ seq: 2, at: dayAt(0) }).id)).toBeNull();
      expect(await store.get("not-a-uuid")).toBeNull();
    });

    it("keeps its own copy: mutating the saved or returned object changes nothing stored", async () => {
      const store = await start();
      const rec = makeRecord({ seq: 1, at: dayAt(0) });
      await store.save(rec);
      rec.person.name = "李四";
      const got = (await store.get(rec.id))!;
      expect(got.person.name).toBe("张三");
      got.seq = 99;
      expect((await store.get(rec.id))!.seq).toBe(1);
    });

    it("upserts by id: saving the same id again replaces it, never two copies", async () => {
      const store = await start();
      const rec = makeRecord({ seq: 1, at: dayAt(0) });
      await store.save(rec);
      await store.save({
        ...rec,
        readings: [{ ...rec.readings[0]!, systolic: 150 } as CheckupRecord["readings"][0]],
      });
      expect((await store.get(rec.id))!.readings[0]).toMatchObject({ systolic: 150 });
      expect(await store.count()).toBe(1);
      expect(await store.listByDay(shardDayOf(rec.id))).toHaveLength(1);
      expect(await store.byPerson(rec.person.idNumber)).toHaveLength(1);
      expect(await store.pending()).toHaveLength(1);
    });

    it("rejects an invalid record with record-invalid and stores nothing", async () => {
      const store = await start();
      const bad = { ...makeRecord({ seq: 1, at: dayAt(0) }), stationId: "" };
      await expect(store.save(bad)).rejects.toMatchObject({ code: "record-invalid" });
      expect(await store.count()).toBe(0);
      expect(await store.pending()).toEqual([]);
    });

    it("lists a person's records newest first, honouring limit and ignoring other people", async () => {
      const store = await start();
      const me = idNumber("19520304", 111);
      const other = idNumber("19600101", 222);
      const mine = [0, 40, 400].map((d, i) => makeRecord({ seq: i + 1, at: dayAt(d), person: me }));
      for (const r of mine) await store.save(r);
      await store.save(makeRecord({ seq: 10, at: dayAt(1), person: other }));
      expect((await store.byPerson(me)).map((r) => r.seq)).toEqual([3, 2, 1]);
      expect((await store.byPerson(me, 2)).map((r) => r.id)).toEqual([mine[2]!.id, mine[1]!.id]);
      expect(await store.byPerson(idNumber("19700101", 333))).toEqual([]);
    });

    it("lists pending records oldest first across days, honouring limit", async () => {
      const store = await start();
      const recs = [
        makeRecord({ seq: 3, at: dayAt(2) }),
        makeRecord({ seq: 1, at: dayAt(0) }),
        makeRecord({ seq: 2, at: dayAt(0, 5) }),
        makeRecord({ seq: 4, at: dayAt(2, 1), sync: ackedSync() }),
      ];
      for (const r of recs) await store.save(r);
      expect((await store.pending()).map((r) => r.seq)).toEqual([1, 2, 3]);
      expect((await store.pending(2)).map((r) => r.seq)).toEqual([1, 2]);
      // Skipped ids do not count against the limit.
      const first = recs.find((r) => r.seq === 1)!.id;
      expect((await store.pending(2, (id) => id === first)).map((r) => r.seq)).toEqual([2, 3]);
      expect(await store.pending(5, () => true)).toEqual([]);
    });

    it("updateSync takes a record out of the outbox durably and can put it back", async () => {
      const store = await start();
      const a = makeRecord({ seq: 1, at: dayAt(0) });
      const b = makeRecord({ seq: 2, at: dayAt(0, 1) });
      await store.save(a);
      await store.save(b);
      await store.updateSync(a.id, ackedSync());
      expect((await store.pending()).map((r) => r.id)).toEqual([b.id]);
      const again = await h!.reopen();
      expect((await again.get(a.id))!.sync).toEqual(ackedSync());
      expect((await again.pending()).map((r) => r.id)).toEqual([b.id]);
      await again.updateSync(a.id, { ...pendingSync(), attempts: 2 });
      expect((await again.pending()).map((r) => r.id)).toEqual([a.id, b.id]);
      await expect(again.updateSync(makeRecord({ seq: 9 }).id, ackedSync())).rejects.toMatchObject({
        code: "record-not-found",
      });
    });

    it("hands out a strictly increasing sequence, also across close and reopen", async () => {
      const store = await start();
      const first = [await store.nextSeq(), await store.nextSeq(), await store.nextSeq()];
      expect(first[0]).toBeGreaterThanOrEqual(1);
      expect(first[1]).toBeGreaterThan(first[0]!);
      expect(first[2]).toBeGreaterThan(first[1]!);
      const again = await h!.reopen();
      expect(await again.nextSeq()).toBeGreaterThan(first[2]!);
    });

    it("never hands out a sequence at or below one already stored", async () => {
      const store = await start();
      await store.save(makeRecord({ seq: 500, at: dayAt(0) }));
      expect(await store.nextSeq()).toBeGreaterThan(500);
      const again = await h!.reopen();
      expect(await again.nextSeq()).toBeGreaterThan(500);
    });

    it("counts records and lists one day's records in sequence order", async () => {
      const store = await start();
      const day0 = [makeRecord({ seq: 2, at: dayAt(0, 30) }), makeRecord({ seq: 1, at: dayAt(0) })];
      const day1 = makeRecord({ seq: 3, at: dayAt(1) });
      for (const r of [...day0, day1]) await store.save(r);
      expect(await store.count()).toBe(3);
      expect((await store.listByDay("2024-05-01")).map((r) => r.seq)).toEqual([1, 2]);
      expect((await store.listByDay("2024-05-02")).map((r) => r.id)).toEqual([day1.id]);
      expect(await store.listByDay("2023-01-01")).toEqual([]);
      await expect(store.listByDay("May 1st")).rejects.toMatchObject({ code: "bad-request" });
      expect(await (await h!.reopen()).count()).toBe(3);
    });

    it("quarantines a stored record that fails validation: reported, kept, not served", async () => {
      const good = makeRecord({ seq: 1, at: dayAt(0) });
      const broken = { ...makeRecord({ seq: 2, at: dayAt(0, 1) }), readings: "garbled" };
      const store = await start({ invalid: [broken] });
      await store.save(good);
      expect(await store.get(broken.id)).toBeNull();
      expect(await store.count()).toBe(1);
      const q = await store.quarantined();
      expect(q).toHaveLength(1);
      expect(q[0]).toMatchObject({ id: broken.id, raw: broken });
      expect(q[0]!.issues.join("\n")).toMatch(/readings/);
      // Still there after another write to the same day and a reopen: never silently dropped.
      const again = await h!.reopen();
      expect(await again.quarantined()).toHaveLength(1);
      expect(await again.get(good.id)).toEqual(good);
    });

    it("serialises concurrent saves without losing any", async () => {
      const store = await start();
      const recs = Array.from({ length: 25 }, (_, i) => makeRecord({ seq: i + 1, at: dayAt(i % 3, i) }));
      await Promise.all(recs.map((r) => store.save(r)));
      expect(await store.count()).toBe(25);
      expect((await store.pending()).map((r) => r.seq).sort((a, b) => a - b)).toEqual(recs.map((r) => r.seq));
      const seqs = await Promise.all(Array.from({ length: 10 }, () => store.nextSeq()));
      expect(new Set(seqs).size).toBe(10);
    });
  });
}
