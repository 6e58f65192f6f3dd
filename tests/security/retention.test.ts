/**
 * Issue 12 §2: records the archive acknowledged are kept only as long as the county's retention
 * setting says; pending and rejected ones are never pruned; the health card keeps a summary.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RetentionPruner } from "../../station/retention/pruner.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { shardDayOf } from "../../station/storage/keys.js";
import { createMemoryStore } from "../../station/storage/memory-store.js";
import type { InspectableRecordStore } from "../../station/storage/types.js";
import { ackedSync, dayAt, idNumber, makeRecord, rejectedSync } from "../storage/fixtures/records.js";

const A = idNumber("19500101", 11);
const B = idNumber("19620315", 22);

async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string) => {
    for (const e of await readdir(p, { withFileTypes: true }))
      if (e.isDirectory()) await walk(join(p, e.name));
      else out.push(join(p, e.name));
  };
  await walk(root);
  return out;
}

async function seed(store: InspectableRecordStore) {
  const a1 = makeRecord({ seq: 1, at: dayAt(0), person: A, sync: ackedSync() });
  const a2 = makeRecord({ seq: 2, at: dayAt(0, 5), person: A });
  const b1 = makeRecord({ seq: 3, at: dayAt(0, 10), person: B, sync: rejectedSync() });
  const b2 = makeRecord({ seq: 4, at: dayAt(1), person: B, sync: ackedSync() });
  const a3 = makeRecord({ seq: 5, at: dayAt(40), person: A, sync: ackedSync() });
  for (const r of [a1, a2, b1, b2, a3]) await store.save(r);
  return { a1, a2, b1, b2, a3, cutoff: shardDayOf(a3.id) };
}

describe("retention", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it("prunes only acknowledged records before the cut-off, to summaries, and leaves nothing of them behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hs-retention-"));
    dirs.push(dir);
    const store = createFileStore({ dir });
    await store.open();
    const { a1, a2, b1, b2, a3, cutoff } = await seed(store);
    expect(await store.count()).toBe(5);

    expect(await store.pruneAcked(cutoff)).toEqual({ pruned: 2, shards: 2 });
    expect(await store.count()).toBe(3);
    expect(await store.get(a1.id)).toBeNull();
    expect(await store.get(b2.id)).toBeNull();
    expect((await store.byPerson(A)).map((r) => r.id)).toEqual([a3.id, a2.id]);
    expect((await store.byPerson(B)).map((r) => r.id)).toEqual([b1.id]);
    expect((await store.pending()).map((r) => r.id)).toEqual([a2.id]);
    expect((await store.rejected()).map((r) => r.id)).toEqual([b1.id]);
    const sa = await store.summaries(A);
    expect(sa).toEqual([
      {
        v: 1,
        id: a1.id,
        seq: 1,
        day: shardDayOf(a1.id),
        createdAt: a1.createdAt,
        clockSuspect: false,
        assessment: a1.assessment,
      },
    ]);
    expect((await store.summaries(B)).map((s) => s.id)).toEqual([b2.id]);
    // Again: nothing more to prune.
    expect(await store.pruneAcked(cutoff)).toEqual({ pruned: 0, shards: 0 });
    await store.close();

    // Nothing on disk holds the pruned records any more (shards, .bak copies), and the summaries
    // hold no ID number.
    for (const f of await allFiles(dir)) {
      const text = await readFile(f, "utf8");
      const rel = relative(dir, f);
      if (rel.startsWith("records/")) {
        expect(text, rel).not.toContain(a1.id);
        expect(text, rel).not.toContain(b2.id);
      }
      if (rel.startsWith("summaries/")) {
        expect(text, rel).not.toContain(A);
        expect(text, rel).not.toContain(B);
      }
    }
    expect(await readdir(join(dir, "records"))).not.toContain(`${shardDayOf(b2.id)}.json`);

    // Summaries survive a restart.
    const again = createFileStore({ dir });
    await again.open();
    expect((await again.summaries(A)).map((s) => s.id)).toEqual([a1.id]);
    expect(await again.count()).toBe(3);
    await again.close();
  });

  it("the memory store prunes the same way", async () => {
    const store = createMemoryStore();
    await store.open();
    const { a1, b2, cutoff } = await seed(store);
    expect(await store.pruneAcked(cutoff)).toEqual({ pruned: 2, shards: 2 });
    expect(await store.count()).toBe(3);
    expect((await store.summaries(A)).map((s) => s.id)).toEqual([a1.id]);
    expect((await store.summaries(B)).map((s) => s.id)).toEqual([b2.id]);
  });

  it("prunes by the county's setting, and not at all while the clock is suspect", async () => {
    const store = createMemoryStore();
    await store.open();
    const { a3 } = await seed(store);
    const now = dayAt(40);
    const clock = { now: () => now };
    let suspect = true;
    const pruner = new RetentionPruner({
      store,
      days: 30,
      timezone: "Asia/Shanghai",
      clock,
      clockCheck: () => ({ suspect }),
    });
    expect(await pruner.runOnce()).toBeNull();
    expect(await store.count()).toBe(5);
    suspect = false;
    const r = await pruner.runOnce();
    expect(r).toEqual({ pruned: 2, beforeDay: shardDayOf(makeRecord({ seq: 9, at: dayAt(10) }).id) });
    expect(await store.get(a3.id)).not.toBeNull();
  });
});
