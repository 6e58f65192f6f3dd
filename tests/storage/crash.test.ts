/**
 * SIGKILL a saving process at random moments, hundreds of times over the same folder, and check
 * after each kill that nothing reported saved was lost. (A kill tests crash atomicity; fsync's
 * part, surviving a power cut, is shown by the call-order test in durable-adapter.test.ts.)
 * Saves go through the day journals (docs/adr/0007-save-journal.md); one lane compacts every 8
 * frames and folds the person-index delta every 5 entries (docs/adr/0009-person-index-delta.md),
 * so kills land mid-compaction and mid-fold as well as mid-append. After each kill every JSON
 * file parses, no journal or delta has a damaged frame (only a torn last one), nothing is
 * quarantined, and the person index names every stored record of each person.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { decodeJournal, journalDayOf } from "../../station/storage/journal.js";
import { shardDayOf } from "../../station/storage/keys.js";
import { decodeDelta } from "../../station/storage/person-delta.js";
import { runAndKill } from "./fixtures/kill.js";
import { assertEveryJsonParses } from "./fixtures/tree.js";

const KILLS_PER_LANE = 100;
const LANES = 2; // one folder per lane, run side by side; damage accumulates within a lane
const worker = fileURLToPath(new URL("./fixtures/crash-worker.ts", import.meta.url));

interface Expect {
  confirmed: CheckupRecord | null;
  inflight: CheckupRecord | null;
}

/** Journals left by a kill: how many, how many end in a torn frame; a damaged frame fails the test. */
async function journalsLeft(dir: string): Promise<{ files: number; torn: number }> {
  const names = await readdir(join(dir, "journal")).catch(() => [] as string[]);
  let files = 0;
  let torn = 0;
  for (const name of names) {
    if (!journalDayOf(name)) continue;
    const d = decodeJournal(await readFile(join(dir, "journal", name), "utf8"));
    expect(d.damaged, `${name}: damaged frame`).toBe(0);
    files++;
    if (d.tornTail) torn++;
  }
  return { files, torn };
}

/** Person-index deltas left by a kill: a damaged frame fails the test; returns how many exist. */
async function deltasLeft(dir: string): Promise<number> {
  let n = 0;
  for (const year of await readdir(join(dir, "persons")).catch(() => [] as string[])) {
    const text = await readFile(join(dir, "persons", year, "delta.log"), "utf8").catch(() => null);
    if (text === null) continue;
    expect(decodeDelta(text).damaged, `persons/${year}/delta.log: damaged frame`).toBe(0);
    n++;
  }
  return n;
}

interface LaneResult {
  kills: number;
  confirmed: number;
  withJournal: number;
  tornTails: number;
  midCompaction: number;
  withDelta: number;
}

async function lane(dir: string, args: string[]): Promise<LaneResult> {
  const known = new Map<string, Expect>();
  let lastSeq = 0;
  let confirmedTotal = 0;
  let withJournal = 0;
  let tornTails = 0;
  let midCompaction = 0;
  let withDelta = 0;
  for (let kill = 0; kill < KILLS_PER_LANE; kill++) {
    const lines = await runAndKill(worker, dir, {
      duringOpen: kill % 10 === 9,
      marker: "SAVED ",
      afterMarkerMs: () => 5 + Math.random() * 145,
      args,
    });
    const left = await journalsLeft(dir);
    if (left.files > 0) withJournal++;
    // A temp file in records/, outbox/ or persons/ next to a journal: the kill cut a compaction.
    const temps = (await readdir(dir, { recursive: true })).filter(
      (n) => String(n).endsWith(".tmp") && !String(n).startsWith("meta"),
    );
    if (left.files > 0 && temps.length > 0) midCompaction++;
    tornTails += left.torn;
    if ((await deltasLeft(dir)) > 0) withDelta++;
    for (const line of lines) {
      const [kind, id, json] = [
        line.slice(0, line.indexOf(" ")),
        line.split(" ")[1]!,
        line.slice(line.indexOf("{")),
      ];
      if (kind !== "INTENT" && kind !== "SAVED" && kind !== "ACKED") continue;
      const rec = JSON.parse(json) as CheckupRecord;
      const e = known.get(id) ?? { confirmed: null, inflight: null };
      if (kind === "INTENT") {
        if (!known.has(id)) {
          expect(rec.seq, `seq went backwards at kill ${kill}`).toBeGreaterThan(lastSeq);
          lastSeq = rec.seq;
        }
        e.inflight = rec;
      } else {
        if (e.confirmed === null) confirmedTotal++;
        e.confirmed = rec;
        e.inflight = null;
      }
      known.set(id, e);
    }

    expect(await assertEveryJsonParses(dir)).toBeGreaterThan(0);
    const store = createFileStore({ dir });
    await store.open();
    const pendingIds = new Set((await store.pending()).map((r) => r.id));
    const days = new Set<string>();
    for (const [id, e] of known) {
      days.add(shardDayOf(id));
      const stored = await store.get(id);
      if (e.confirmed) {
        expect(stored, `record ${id} reported saved but missing after kill ${kill}`).not.toBeNull();
        const ok = [e.confirmed, e.inflight].some((v) => v && JSON.stringify(v) === JSON.stringify(stored));
        if (!ok) expect(stored).toEqual(e.confirmed);
      }
      if (stored?.sync.status === "pending")
        expect(pendingIds.has(id), `pending record ${id} not in outbox after kill ${kill}`).toBe(true);
      // What is stored now is the baseline for the next round.
      known.set(id, { confirmed: stored ?? e.confirmed, inflight: null });
    }
    // The person index (buckets + delta + journal) names every stored record of its person.
    const byPerson = new Map<string, Set<string>>();
    for (const id of known.keys()) {
      const rec = await store.get(id);
      if (!rec) continue;
      const p = rec.person.idNumber;
      if (!byPerson.has(p)) byPerson.set(p, new Set((await store.byPerson(p)).map((r) => r.id)));
      expect(byPerson.get(p)!.has(id), `record ${id} missing from the person index after kill ${kill}`).toBe(
        true,
      );
    }
    let maxStored = 0;
    for (const day of days)
      for (const r of await store.listByDay(day)) maxStored = Math.max(maxStored, r.seq);
    const next = await store.nextSeq();
    expect(next, `seq went backwards after kill ${kill}`).toBeGreaterThan(Math.max(maxStored, lastSeq));
    lastSeq = next;
    expect(await store.quarantined(), `quarantine after kill ${kill}`).toEqual([]);
    await store.close();
  }
  // Once more: recovery left no temp files behind anywhere.
  const store = createFileStore({ dir });
  await store.open();
  await store.close();
  const temps = (await readdir(dir, { recursive: true })).filter((n) => String(n).endsWith(".tmp"));
  expect(temps).toEqual([]);
  // A clean close leaves no journal behind.
  expect((await journalsLeft(dir)).files).toBe(0);
  return {
    kills: KILLS_PER_LANE,
    confirmed: confirmedTotal,
    withJournal,
    tornTails,
    midCompaction,
    withDelta,
  };
}

it(`loses no saved record across ${KILLS_PER_LANE * LANES} SIGKILLs`, async () => {
  const dirs = await Promise.all(
    Array.from({ length: LANES }, () => mkdtemp(join(tmpdir(), "store-crash-"))),
  );
  try {
    const results = await Promise.all(dirs.map((d, i) => lane(d, i === 1 ? ["8", "5"] : [])));
    const sum = (f: (r: LaneResult) => number) => results.reduce((s, r) => s + f(r), 0);
    const kills = sum((r) => r.kills);
    const confirmed = sum((r) => r.confirmed);
    console.log(
      `crash test: ${kills} kills, ${confirmed} records confirmed saved, none lost; ` +
        `${sum((r) => r.withJournal)} kills left a journal to replay, ${sum((r) => r.tornTails)} with a torn last frame, ${sum((r) => r.midCompaction)} inside a compaction, ${sum((r) => r.withDelta)} with a person-index delta`,
    );
    expect(kills).toBeGreaterThanOrEqual(200);
    expect(confirmed).toBeGreaterThan(kills); // the kills really landed mid-burst
    // The kills really left journals for open() to replay (most kills land between compactions).
    expect(sum((r) => r.withJournal)).toBeGreaterThan(kills / 2);
    expect(sum((r) => r.midCompaction)).toBeGreaterThan(0);
    expect(sum((r) => r.withDelta)).toBeGreaterThan(0);
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}, 420_000);
