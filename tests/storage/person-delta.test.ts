/**
 * The person index's append-only delta (docs/adr/0009-person-index-delta.md): compaction appends
 * one frame instead of rewriting buckets, readers (store and read-only) see delta entries, the
 * delta is folded at its bound and when a later year begins, and a torn or failed append never
 * loses an entry nor leaves a frame appended after a torn one.
 */
import { appendFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { shardDayOf } from "../../station/storage/keys.js";
import { decodeDelta } from "../../station/storage/person-delta.js";
import { personKey } from "../../station/storage/person-index.js";
import { readPersonRecords } from "../../station/storage/read-only.js";
import { countingFs } from "./fixtures/counting-fs.js";
import { spyFs } from "./fixtures/fs-spy.js";
import { dayAt, idNumber, makeRecord } from "./fixtures/records.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "person-delta-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// These tests look at the delta a close leaves; production folds it at close (last test).
const keep = { personDeltaFoldAtClose: false } as const;

const people = Array.from({ length: 6 }, (_, i) => idNumber("19500101", 100 + i));

function records(n: number, firstSeq = 1, at = dayAt(0)): CheckupRecord[] {
  return Array.from({ length: n }, (_, i) =>
    makeRecord({ seq: firstSeq + i, at: at + i, person: people[i % 6] }),
  );
}

const yearOf = (r: CheckupRecord) => shardDayOf(r.id).slice(0, 4);
const yearFiles = async (year: string) => (await readdir(join(dir, "persons", year))).sort();

async function expectIndexed(recs: CheckupRecord[]): Promise<void> {
  const store = createFileStore({ dir });
  await store.open();
  for (const p of people) {
    const want = recs.filter((r) => r.person.idNumber === p).map((r) => r.id);
    expect(new Set((await store.byPerson(p)).map((r) => r.id))).toEqual(new Set(want));
    expect(new Set((await readPersonRecords(dir, p)).map((r) => r.id))).toEqual(new Set(want));
  }
  await store.close();
}

describe("person index delta", () => {
  it("compaction appends one delta frame and writes no person bucket; both readers see it", async () => {
    const c = countingFs(dir);
    const store = createFileStore({ dir, fs: c.fs, ...keep });
    await store.open();
    const recs = records(12);
    for (const r of recs) await store.save(r);
    c.reset();
    await store.close(); // compacts the day's journal
    expect(c.writes.filter((w) => w.startsWith("persons/"))).toEqual([]);
    const year = yearOf(recs[0]!);
    expect(await yearFiles(year)).toEqual(["delta.log"]);
    const d = decodeDelta(await readFile(join(dir, "persons", year, "delta.log"), "utf8"));
    expect(d.count).toBe(12);
    expect(d.tornTail).toBe(false);
    await expectIndexed(recs);
  });

  it("replaying a journal whose entries are already in the delta appends nothing", async () => {
    const store = createFileStore({ dir, ...keep });
    await store.open();
    const recs = records(4);
    for (const r of recs) await store.save(r);
    await store.close();
    const file = join(dir, "persons", yearOf(recs[0]!), "delta.log");
    const before = await readFile(file, "utf8");
    const again = createFileStore({ dir, ...keep });
    await again.open();
    for (const r of recs) await again.save(r); // same ids: an upsert
    await again.close();
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("folds the delta into the buckets at its bound, then deletes it", async () => {
    const store = createFileStore({ dir, personDeltaMaxEntries: 10, journalMaxFrames: 4, ...keep });
    await store.open();
    const recs = records(24);
    for (const r of recs) await store.save(r);
    await store.close();
    const files = await yearFiles(yearOf(recs[0]!));
    expect(files.filter((f) => f.endsWith(".json")).length).toBeGreaterThan(0);
    // 24 entries with a bound of 10: at least two folds, and what is left is under the bound.
    const left = files.includes("delta.log")
      ? decodeDelta(await readFile(join(dir, "persons", yearOf(recs[0]!), "delta.log"), "utf8")).count
      : 0;
    expect(left).toBeLessThan(10);
    await expectIndexed(recs);
  });

  it("folds an earlier year's delta when a later year's first entry arrives", async () => {
    const store = createFileStore({ dir, ...keep });
    await store.open();
    const old = records(3, 1, Date.parse("2024-12-30T10:00:00+08:00"));
    for (const r of old) await store.save(r);
    await store.close();
    expect(await yearFiles("2024")).toEqual(["delta.log"]);
    const again = createFileStore({ dir, ...keep });
    await again.open();
    const next = records(3, 10, Date.parse("2025-01-02T10:00:00+08:00"));
    for (const r of next) await again.save(r);
    await again.close();
    expect((await yearFiles("2024")).includes("delta.log")).toBe(false);
    expect(await yearFiles("2025")).toEqual(["delta.log"]);
    await expectIndexed([...old, ...next]);
  });

  it("a torn last delta frame is folded away at open and the journal's entries come back", async () => {
    const store = createFileStore({ dir, ...keep });
    await store.open();
    const recs = records(5);
    for (const r of recs) await store.save(r);
    await store.close();
    const file = join(dir, "persons", yearOf(recs[0]!), "delta.log");
    await appendFile(file, '0123456789abcdef {"e":[["ab'); // a crash mid-append
    await expectIndexed(recs);
    // Open folded the whole frames into the buckets and removed the torn file.
    expect((await yearFiles(yearOf(recs[0]!))).includes("delta.log")).toBe(false);
  });

  it("a failed delta append keeps the journal, and the next compaction folds before appending", async () => {
    const spy = spyFs();
    let fail = true;
    spy.failWith = (op, path) => (fail && op === "sync" && path.endsWith("delta.log") ? "EIO" : undefined);
    const store = createFileStore({ dir, fs: spy.fs });
    await store.open();
    const recs = records(6);
    for (const r of recs) await store.save(r);
    await store.close(); // compaction fails at the delta: the journal stays
    expect((await readdir(join(dir, "journal"))).length).toBe(1);
    fail = false;
    await expectIndexed(recs); // open replays the journal and compacts it
    expect(await readdir(join(dir, "journal"))).toEqual([]);
    const files = await yearFiles(yearOf(recs[0]!));
    if (files.includes("delta.log")) {
      const d = decodeDelta(await readFile(join(dir, "persons", yearOf(recs[0]!), "delta.log"), "utf8"));
      expect(d.tornTail).toBe(false);
      expect(d.damaged).toBe(0);
    }
  });

  it("personDelta: false rewrites buckets and still reads a delta left by the default design", async () => {
    const a = createFileStore({ dir, ...keep });
    await a.open();
    const first = records(3);
    for (const r of first) await a.save(r);
    await a.close();
    const b = createFileStore({ dir, personDelta: false, ...keep });
    await b.open();
    const more = records(3, 10, dayAt(0) + 1000);
    for (const r of more) await b.save(r);
    await b.close();
    expect((await yearFiles(yearOf(first[0]!))).some((f) => f.endsWith(".json"))).toBe(true);
    await expectIndexed([...first, ...more]);
  });

  it("a folding close (prepare-rollback) leaves buckets that alone (an older release) name every record", async () => {
    const store = createFileStore({ dir, personDeltaFoldAtClose: true });
    await store.open();
    const old = records(4, 1, Date.parse("2024-12-30T10:00:00+08:00"));
    const recs = records(30, 10);
    for (const r of [...old, ...recs]) await store.save(r);
    await store.close();
    for (const year of ["2024", yearOf(recs[0]!)]) expect(await yearFiles(year)).not.toContain("delta.log");
    // Read as a release before the delta does: buckets only, keyed by the station's HMAC.
    const secret = Buffer.from(
      (JSON.parse(await readFile(join(dir, "keys", "index.json"), "utf8")) as { key: string }).key,
      "hex",
    );
    for (const p of people) {
      const k = personKey(secret, p);
      const got = new Set<string>();
      for (const year of await readdir(join(dir, "persons"))) {
        const file = join(dir, "persons", year, `${k.slice(0, 2)}.json`);
        const text = await readFile(file, "utf8").catch(() => null);
        if (text === null) continue;
        const bucket = JSON.parse(text) as { people: Record<string, string[]> };
        for (const id of bucket.people[k] ?? []) got.add(id);
      }
      const want = [...old, ...recs].filter((r) => r.person.idNumber === p).map((r) => r.id);
      expect(got).toEqual(new Set(want));
    }
    await expectIndexed([...old, ...recs]);
  });
});
