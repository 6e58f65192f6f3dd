/**
 * SIGKILL a process applying batches of archive acks (updateSyncMany) beside new saves, many times
 * over the same folders, and check after each kill: every file parses; every record on disk that
 * is pending is in an outbox file (never lost from both); every confirmed save and batch survived;
 * and the reopened store agrees with the disk (pending, pendingCount, rejected). "The disk" is the
 * shards and outbox files with the save journals' whole frames laid over them, as open() does.
 * Smaller than crash.test.ts on purpose: that one covers saves; this one the batch path.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import type { CheckupRecord, SyncState } from "../../station/domain/schema.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { decodeJournal, journalDayOf } from "../../station/storage/journal.js";
import { dayOfFileName } from "../../station/storage/layout.js";
import { runAndKill } from "./fixtures/kill.js";
import { assertEveryJsonParses } from "./fixtures/tree.js";

const KILLS_PER_LANE = 30;
const LANES = 2;
const worker = fileURLToPath(new URL("./fixtures/ack-crash-worker.ts", import.meta.url));

/** What the disk says, read raw (before open() repairs anything). */
async function readDisk(dir: string) {
  const records = new Map<string, CheckupRecord>();
  for (const name of await readdir(join(dir, "records"))) {
    if (!dayOfFileName(name)) continue;
    const shard = JSON.parse(await readFile(join(dir, "records", name), "utf8"));
    for (const [id, rec] of Object.entries(shard.records)) records.set(id, rec as CheckupRecord);
  }
  const outbox = new Set<string>();
  for (const name of await readdir(join(dir, "outbox"))) {
    if (!dayOfFileName(name)) continue;
    for (const id of JSON.parse(await readFile(join(dir, "outbox", name), "utf8")).ids) outbox.add(id);
  }
  // Saves and acks not yet compacted: a journal frame is the record and its outbox intent at once.
  const journals = (await readdir(join(dir, "journal")).catch(() => [] as string[])).sort();
  for (const name of journals) {
    if (!journalDayOf(name)) continue;
    for (const raw of decodeJournal(await readFile(join(dir, "journal", name), "utf8")).records) {
      const rec = raw as CheckupRecord;
      records.set(rec.id, rec);
      if (rec.sync.status === "pending") outbox.add(rec.id);
    }
  }
  return { records, outbox };
}

interface Known {
  saved: boolean;
  /** Sync state confirmed on disk (the record's own state once saved). */
  sync: SyncState | null;
  /** States an unconfirmed batch may have written. */
  inflight: SyncState[];
}

async function lane(dir: string) {
  const known = new Map<string, Known>();
  let batchesDone = 0;
  let interrupted = 0;
  for (let kill = 0; kill < KILLS_PER_LANE; kill++) {
    const lines = await runAndKill(worker, dir, {
      duringOpen: kill % 10 === 9,
      marker: "BATCH ",
      afterMarkerMs: () => 20 + Math.random() * 400,
    });
    const batches = new Map<string, { id: string; sync: SyncState }[]>();
    for (const line of lines) {
      const [kind, key] = line.split(" ");
      const json = line.slice(line.indexOf(" ", line.indexOf(" ") + 1) + 1);
      if (kind === "SAVING") {
        const rec = JSON.parse(json) as CheckupRecord;
        known.set(key!, { saved: false, sync: null, inflight: [rec.sync] });
      } else if (kind === "SAVED") {
        const k = known.get(key!)!;
        known.set(key!, { saved: true, sync: k.inflight[0]!, inflight: [] });
      } else if (kind === "BATCH") {
        const batch = JSON.parse(json) as { id: string; sync: SyncState }[];
        batches.set(key!, batch);
        for (const u of batch) known.get(u.id)!.inflight.push(u.sync);
      } else if (kind === "DONE") {
        batchesDone++;
        for (const u of batches.get(key!)!) Object.assign(known.get(u.id)!, { sync: u.sync, inflight: [] });
        batches.delete(key!);
      }
    }
    if (batches.size > 0) interrupted++;

    expect(await assertEveryJsonParses(dir)).toBeGreaterThan(0);
    const disk = await readDisk(dir);
    const pendingOnDisk = new Set<string>();
    const rejectedOnDisk = new Set<string>();
    for (const [id, rec] of disk.records) {
      if (rec.sync.status === "pending") {
        expect(disk.outbox.has(id), `pending ${id} in no outbox file after kill ${kill}`).toBe(true);
        pendingOnDisk.add(id);
      }
      if (rec.sync.status === "rejected") rejectedOnDisk.add(id);
    }
    for (const [id, k] of known) {
      const stored = disk.records.get(id);
      if (k.saved) expect(stored, `record ${id} confirmed saved, missing after kill ${kill}`).toBeDefined();
      if (!stored) {
        known.delete(id); // a save cut by the kill
        continue;
      }
      const allowed = [k.sync, ...k.inflight].filter((s) => s !== null);
      if (!allowed.some((s) => JSON.stringify(s) === JSON.stringify(stored.sync)))
        expect(stored.sync, `record ${id} after kill ${kill}`).toEqual(k.sync);
      known.set(id, { saved: true, sync: stored.sync, inflight: [] });
    }

    const store = createFileStore({ dir });
    await store.open();
    expect(new Set((await store.pending()).map((r) => r.id))).toEqual(pendingOnDisk);
    expect(await store.pendingCount()).toBe(pendingOnDisk.size);
    expect(new Set((await store.rejected()).map((r) => r.id))).toEqual(rejectedOnDisk);
    await store.close();
  }
  return { batchesDone, interrupted, records: known.size };
}

it(`loses no record and no confirmed ack across ${KILLS_PER_LANE * LANES} SIGKILLs during ack bursts`, async () => {
  const dirs = await Promise.all(
    Array.from({ length: LANES }, () => mkdtemp(join(tmpdir(), "store-ackcrash-"))),
  );
  try {
    const results = await Promise.all(dirs.map((d) => lane(d)));
    const sum = (f: (r: (typeof results)[0]) => number) => results.reduce((s, r) => s + f(r), 0);
    console.log(
      `ack crash test: ${KILLS_PER_LANE * LANES} kills, ${sum((r) => r.batchesDone)} batches confirmed, ` +
        `${sum((r) => r.interrupted)} kills inside a batch, ${sum((r) => r.records)} records checked`,
    );
    expect(KILLS_PER_LANE * LANES).toBeGreaterThanOrEqual(50);
    // Kills really landed inside batches, and batches really completed between them (with margin:
    // how many finish before a kill depends on the machine's load).
    expect(sum((r) => r.interrupted)).toBeGreaterThanOrEqual((KILLS_PER_LANE * LANES) / 3);
    expect(sum((r) => r.batchesDone)).toBeGreaterThanOrEqual((KILLS_PER_LANE * LANES) / 2);
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}, 300_000);
