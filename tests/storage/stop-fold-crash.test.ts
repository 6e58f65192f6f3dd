/**
 * `health-station prepare-rollback` folds the person-index delta into its buckets at close (docs/adr/0009-person-index-delta.md).
 * SIGKILL the store during that close, again and again over one folder, and check after each kill
 * that every JSON file parses, the delta has no damaged frame, and the store names every saved
 * record of each person; then that a clean close afterwards leaves no delta and the buckets alone
 * (what a release older than the delta reads) name every saved record.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createFileStore } from "../../station/storage/file-store.js";
import { decodeDelta } from "../../station/storage/person-delta.js";
import { personKey } from "../../station/storage/person-index.js";
import { runAndKill } from "./fixtures/kill.js";
import { assertEveryJsonParses } from "./fixtures/tree.js";

const ROUNDS = 16;
const PER_ROUND = 120;
const worker = fileURLToPath(new URL("./fixtures/stop-fold-worker.ts", import.meta.url));

/** Record ids per key as the buckets alone hold them (a release before the delta reads only these). */
async function bucketsOnly(dir: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const year of await readdir(join(dir, "persons")))
    for (const name of await readdir(join(dir, "persons", year))) {
      if (!/^[0-9a-f]{2}\.json$/.test(name)) continue;
      const file = JSON.parse(await readFile(join(dir, "persons", year, name), "utf8")) as {
        people: Record<string, string[]>;
      };
      for (const [k, ids] of Object.entries(file.people)) {
        const set = out.get(k) ?? new Set<string>();
        for (const id of ids) set.add(id);
        out.set(k, set);
      }
    }
  return out;
}

/** The delta's entries left by a kill (none when there is no delta); a damaged frame fails the test. */
async function deltaLeft(dir: string): Promise<Map<string, string[]>> {
  const all = new Map<string, string[]>();
  for (const year of await readdir(join(dir, "persons")).catch(() => [] as string[])) {
    const text = await readFile(join(dir, "persons", year, "delta.log"), "utf8").catch(() => null);
    if (text === null) continue;
    const d = decodeDelta(text);
    expect(d.damaged, `persons/${year}/delta.log: damaged frame`).toBe(0);
    for (const [k, ids] of d.entries) all.set(k, [...(all.get(k) ?? []), ...ids]);
  }
  return all;
}

it(`a SIGKILL during the stop-time fold loses no index entry (${ROUNDS} kills)`, async () => {
  const dir = await mkdtemp(join(tmpdir(), "stop-fold-"));
  const saved = new Map<string, string>(); // record id → ID number
  let midFold = 0;
  let afterClose = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const lines = await runAndKill(worker, dir, {
        duringOpen: false,
        marker: "CLOSING",
        // Spread over close: its compaction, the delta append, the fold and after it.
        afterMarkerMs: () => Math.random() * 250,
        args: [String(round), String(PER_ROUND)],
      });
      for (const line of lines) {
        const [kind, id, person] = line.split(" ");
        if (kind === "SAVED") saved.set(id!, person!);
      }
      if (lines.includes("CLOSED")) afterClose++;
      expect(await assertEveryJsonParses(dir)).toBeGreaterThan(0);
      // Some but not all of the delta's entries already in the buckets: the kill cut the fold.
      const secret = await readSecret(dir);
      const delta = await deltaLeft(dir);
      const inBuckets = await bucketsOnly(dir);
      const entries = [...delta].flatMap(([k, ids]) => ids.map((id) => inBuckets.get(k)?.has(id) ?? false));
      if (entries.includes(true) && entries.includes(false)) midFold++;
      const store = createFileStore({ dir, personDeltaFoldAtClose: true });
      await store.open();
      const byPerson = new Map<string, Set<string>>();
      for (const [id, person] of saved) {
        if (!byPerson.has(person))
          byPerson.set(person, new Set((await store.byPerson(person)).map((r) => r.id)));
        expect(
          byPerson.get(person)!.has(id),
          `record ${id} not found for its person after kill ${round}`,
        ).toBe(true);
      }
      await store.close();
      // The folding close after recovery (prepare-rollback again) leaves what an older release reads.
      expect(await deltaLeft(dir)).toEqual(new Map());
      const buckets = await bucketsOnly(dir);
      for (const [id, person] of saved)
        expect(buckets.get(personKey(secret, person))?.has(id), `record ${id} not in the buckets`).toBe(true);
    }
    console.log(
      `stop-fold crash: ${ROUNDS} kills, ${saved.size} records, ${midFold} inside the fold, ${afterClose} after close`,
    );
    expect(saved.size).toBe(ROUNDS * PER_ROUND);
    expect(midFold).toBeGreaterThan(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 600_000);

async function readSecret(dir: string): Promise<Buffer> {
  const key = JSON.parse(await readFile(join(dir, "keys", "index.json"), "utf8")) as { key: string };
  return Buffer.from(key.key, "hex");
}
