import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import demoRoster from "../../station/data/demo-roster.json" with { type: "json" };
import { DEMO_HISTORY_IDS, demoRecords, seedDemoHistory } from "../../station/health-card/demo-history.js";
import { loadHealthCard } from "../../station/health-card/records.js";
import { HealthCardService } from "../../station/health-card/service.js";
import { createRoster } from "../../station/roster/roster.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import type { RecordStore } from "../../station/storage/types.js";
import { silentLogger } from "../../station/util/logger.js";
import { ackedSync, idNumber, makeRecord, rejectedSync } from "../storage/fixtures/records.js";

const pack = loadDefaultPolicy();
const roster = createRoster(demoRoster as Parameters<typeof createRoster>[0]);
const NOW = Date.parse("2026-11-30T04:00:00Z");

/** A store that fails the test if anything but the person index is used to read records. */
function onlyByPerson(store: RecordStore): Pick<RecordStore, "byPerson" | "summaries"> & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    byPerson: (id, limit) => {
      calls.push("byPerson");
      return store.byPerson(id, limit);
    },
    summaries: (id) => {
      calls.push("summaries");
      return store.summaries(id);
    },
  };
}

describe("this station's records as a health card", () => {
  it("reads only through the person index and marks a rejected record", async () => {
    const store = createMemoryStore();
    await store.open();
    const me = idNumber("19500101", 7);
    const day = 86_400_000;
    await store.save(
      makeRecord({ seq: 1, at: NOW - 200 * day, person: me, sync: ackedSync(), systolic: 150 }),
    );
    await store.save(
      makeRecord({ seq: 2, at: NOW - 100 * day, person: me, sync: rejectedSync(), systolic: 130 }),
    );
    await store.save(
      makeRecord({ seq: 3, at: NOW - 50 * day, person: idNumber("19600101", 8), sync: ackedSync() }),
    );
    const s = onlyByPerson(store);
    const card = await loadHealthCard(
      { idNumber: me, name: "张三", birthDate: "1950-01-01", sex: "male" },
      null,
      { store: s, pack, timeZone: "Asia/Shanghai", today: "2026-11-30" },
    );
    expect(s.calls).toEqual(["byPerson", "summaries"]);
    expect(card.visitCount).toBe(2);
    expect(card.rejectedCount).toBe(1);
    expect(card.series.bp.map((p) => [p.systolic, p.rejected])).toEqual([
      [150, false],
      [130, true],
    ]);
  });
});

describe("records pruned by the retention setting", () => {
  it("still show on the card from their summaries, once each", async () => {
    const store = createMemoryStore();
    await store.open();
    const me = idNumber("19500101", 9);
    const day = 86_400_000;
    await store.save(
      makeRecord({ seq: 1, at: NOW - 900 * day, person: me, sync: ackedSync(), systolic: 155 }),
    );
    await store.save(
      makeRecord({ seq: 2, at: NOW - 10 * day, person: me, sync: ackedSync(), systolic: 125 }),
    );
    const r = await store.pruneAcked("2025-01-01");
    expect(r.pruned).toBe(1);
    const card = await loadHealthCard(
      { idNumber: me, name: "张三", birthDate: "1950-01-01", sex: "male" },
      null,
      { store, pack, timeZone: "Asia/Shanghai", today: "2026-11-30" },
    );
    expect(card.visitCount).toBe(2);
    expect(card.series.years).toContain(2024);
  });
});

describe("demo history", () => {
  it("is deterministic for a seeding day and clearly synthetic", () => {
    const entry = roster.get(DEMO_HISTORY_IDS[1])!;
    const o = { nowMs: NOW, stationId: "demo", pack, years: 4, firstSeq: 1 };
    const a = demoRecords(entry, 1, o);
    expect(demoRecords(entry, 1, o)).toEqual(a);
    expect(a.length).toBeGreaterThan(10);
    expect(new Set(a.map((r) => r.createdAt.slice(0, 4))).size).toBeGreaterThanOrEqual(4);
    expect(
      a.every((r) => r.operator.kind === "doctor" && r.operator.doctorId === "synthetic-demo-history"),
    ).toBe(true);
    expect(roster.synthetic).toBe(true);
  });

  it("is written once: a second start adds nothing", async () => {
    const store = createMemoryStore();
    await store.open();
    const first = await seedDemoHistory(store, roster, { nowMs: NOW, stationId: "demo", pack });
    expect(first).toBeGreaterThan(30);
    expect(await seedDemoHistory(store, roster, { nowMs: NOW + 86_400_000, stationId: "demo", pack })).toBe(
      0,
    );
    expect(await store.count()).toBe(first);
  });

  it("the module seeds only an empty store: a folder with records of its own is left alone", async () => {
    const service = (store: RecordStore) =>
      new HealthCardService({
        store,
        pack: () => pack,
        roster,
        timeZone: "Asia/Shanghai",
        stationId: "demo",
        logger: silentLogger,
        now: () => NOW,
        seedDemo: true,
      });
    const empty = createMemoryStore();
    await empty.open();
    await service(empty).start();
    expect(await empty.count()).toBeGreaterThan(30);

    const used = createMemoryStore();
    await used.open();
    await used.save(makeRecord({ seq: 1, at: NOW, sync: ackedSync() }));
    await service(used).start();
    expect(await used.count()).toBe(1);
  });
});
