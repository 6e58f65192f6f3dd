/**
 * Contract for the uploader's side of RecordStore: batched sync updates, the outbox size and the
 * rejected list. Run against every implementation beside recordStoreContract.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CheckupRecord } from "../../station/domain/schema.js";
import type { InspectableRecordStore } from "../../station/storage/types.js";
import type { Harness, HarnessFactory } from "./contract.js";
import { ackedSync, dayAt, makeRecord, pendingSync, rejectedSync } from "./fixtures/records.js";

const ids = (recs: CheckupRecord[]) => recs.map((r) => r.id);

export function syncContract(name: string, factory: HarnessFactory): void {
  describe(`RecordStore sync contract: ${name}`, () => {
    let h: Harness | undefined;
    const start = async (): Promise<InspectableRecordStore> => {
      h = await factory();
      return h.store;
    };
    afterEach(async () => {
      await h?.cleanup();
      h = undefined;
    });
    /** Three pending records on each of two days, saved in seq order. */
    const seed = async (store: InspectableRecordStore) => {
      const recs = [0, 1, 2, 3, 4, 5].map((i) => makeRecord({ seq: i + 1, at: dayAt(i < 3 ? 0 : 1, i) }));
      for (const r of recs) await store.save(r);
      return recs;
    };

    it("updateSyncMany applies a batch over two days durably: acked leave, rejected are listed", async () => {
      const store = await start();
      const [a0, a1, a2, b0, b1, b2] = await seed(store);
      const retry = { ...pendingSync(), attempts: 2 };
      await store.updateSyncMany([
        { id: a0!.id, sync: ackedSync() },
        { id: b0!.id, sync: ackedSync() },
        { id: a1!.id, sync: rejectedSync() },
        { id: b1!.id, sync: retry },
      ]);
      const check = async (s: InspectableRecordStore) => {
        expect(ids(await s.pending())).toEqual(ids([a2!, b1!, b2!]));
        expect(await s.pendingCount()).toBe(3);
        expect(ids(await s.rejected())).toEqual([a1!.id]);
        expect((await s.get(a0!.id))!.sync).toEqual(ackedSync());
        expect((await s.get(b0!.id))!.sync).toEqual(ackedSync());
        expect((await s.get(b1!.id))!.sync).toEqual(retry);
        // Only the sync state changes.
        expect({ ...(await s.get(a1!.id))!, sync: a1!.sync }).toEqual(a1);
      };
      await check(store);
      await check(await h!.reopen());
    });

    it("updateSyncMany can put acked and rejected records back in the outbox", async () => {
      const store = await start();
      const [a0, a1, , b0] = await seed(store);
      await store.updateSyncMany([
        { id: a0!.id, sync: ackedSync() },
        { id: a1!.id, sync: rejectedSync() },
      ]);
      const again = { ...pendingSync(), attempts: 3 };
      await store.updateSyncMany([
        { id: a0!.id, sync: again },
        { id: a1!.id, sync: again },
        { id: b0!.id, sync: ackedSync() },
      ]);
      const s = await h!.reopen();
      expect(ids(await s.pending())).toContain(a0!.id);
      expect(ids(await s.pending())).toContain(a1!.id);
      expect(ids(await s.pending())).not.toContain(b0!.id);
      expect(await s.pendingCount()).toBe(5);
      expect(await s.rejected()).toEqual([]);
    });

    it("rejects a batch naming unknown ids with record-not-found, listing them, and writes none of it", async () => {
      const store = await start();
      const [a0, a1] = await seed(store);
      const ghost = makeRecord({ seq: 99, at: dayAt(0, 30) }).id;
      const batch = [
        { id: a0!.id, sync: ackedSync() },
        { id: ghost, sync: ackedSync() },
        { id: "not-a-uuid", sync: ackedSync() },
        { id: a1!.id, sync: rejectedSync() },
      ];
      const err = await store.updateSyncMany(batch).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: "record-not-found" });
      expect([...(err as { details: { ids: string[] } }).details.ids].sort()).toEqual(
        [ghost, "not-a-uuid"].sort(),
      );
      const s = await h!.reopen();
      expect(await s.pendingCount()).toBe(6);
      expect((await s.get(a0!.id))!.sync).toEqual(pendingSync());
      expect(await s.rejected()).toEqual([]);
      // The caller retries without the unknown ids, then the same batch again: harmless.
      const known = batch.filter((u) => u.id === a0!.id || u.id === a1!.id);
      await s.updateSyncMany(known);
      await s.updateSyncMany(known);
      expect(await s.pendingCount()).toBe(4);
      expect(ids(await s.rejected())).toEqual([a1!.id]);
    });

    it("keeps the last update per id within a batch, and an empty batch changes nothing", async () => {
      const store = await start();
      const [a0, a1] = await seed(store);
      await store.updateSyncMany([]);
      expect(await store.pendingCount()).toBe(6);
      await store.updateSyncMany([
        { id: a0!.id, sync: ackedSync() },
        { id: a1!.id, sync: ackedSync() },
        { id: a0!.id, sync: { ...pendingSync(), attempts: 1 } },
      ]);
      expect((await store.get(a0!.id))!.sync).toEqual({ ...pendingSync(), attempts: 1 });
      expect(ids(await store.pending())).toContain(a0!.id);
      expect(await store.pendingCount()).toBe(5);
    });

    it("orders a batch, single updates and saves on the same ids by call, and keeps the outbox right", async () => {
      const store = await start();
      const [a, b, c] = await seed(store);
      await Promise.all([
        store.updateSyncMany([a!, b!, c!].map((r) => ({ id: r.id, sync: ackedSync() }))),
        store.save(a!), // re-saved as pending after the ack
        store.updateSync(b!.id, rejectedSync()),
        store.updateSyncMany([{ id: c!.id, sync: { ...pendingSync(), attempts: 5 } }]),
      ]);
      const check = async (s: InspectableRecordStore) => {
        const pendingIds = ids(await s.pending());
        expect(pendingIds).toContain(a!.id);
        expect(pendingIds).toContain(c!.id);
        expect(pendingIds).not.toContain(b!.id);
        expect(await s.pendingCount()).toBe(pendingIds.length);
        expect(ids(await s.rejected())).toEqual([b!.id]);
        expect((await s.get(c!.id))!.sync.attempts).toBe(5);
      };
      await check(store);
      await check(await h!.reopen());
    });

    it("pendingCount follows saves, single updates and batches, across a reopen", async () => {
      const store = await start();
      expect(await store.pendingCount()).toBe(0);
      const recs = await seed(store);
      await store.save(makeRecord({ seq: 7, at: dayAt(2), sync: ackedSync() }));
      expect(await store.pendingCount()).toBe(6);
      await store.updateSync(recs[0]!.id, ackedSync());
      await store.updateSyncMany(recs.slice(3).map((r) => ({ id: r.id, sync: ackedSync() })));
      expect(await store.pendingCount()).toBe(2);
      expect(await (await h!.reopen()).pendingCount()).toBe(2);
    });

    it("lists rejected records newest first, honouring limit, however they became rejected", async () => {
      const store = await start();
      const recs = await seed(store);
      const saved = makeRecord({ seq: 10, at: dayAt(3), sync: rejectedSync("saved so") });
      await store.save(saved);
      await store.updateSync(recs[1]!.id, rejectedSync());
      await store.updateSyncMany([
        { id: recs[4]!.id, sync: rejectedSync() },
        { id: recs[2]!.id, sync: rejectedSync() },
      ]);
      const expected = [saved.id, recs[4]!.id, recs[2]!.id, recs[1]!.id];
      expect(ids(await store.rejected())).toEqual(expected);
      const s = await h!.reopen();
      expect(ids(await s.rejected(2))).toEqual(expected.slice(0, 2));
      expect((await s.rejected(1))[0]).toEqual(saved);
      // Re-saving a rejected record as pending takes it off the list.
      await s.save({ ...saved, sync: pendingSync() });
      expect(ids(await s.rejected())).toEqual(expected.slice(1));
    });
  });
}
