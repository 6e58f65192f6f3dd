/**
 * Issue 12 §2: the person index holds HMAC(station secret, ID number), never the number, and a
 * data folder made by the previous version (tests/security/fixtures/store-v1, written by the
 * store at commit 057eaa2 with fixtures/make-store-v1.ts.txt) is re-keyed on open.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileStore } from "../../station/storage/file-store.js";
import { decodeDelta } from "../../station/storage/person-delta.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";

const FIXTURE = join(import.meta.dirname, "fixtures/store-v1");
const PEOPLE = ["510104195001010117", "51010419851231022X", "510104200106150339"];

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string) => {
    for (const e of await readdir(p, { withFileTypes: true })) {
      const full = join(p, e.name);
      if (e.isDirectory()) await walk(full);
      else out.push(full);
    }
  };
  await walk(root);
  return out;
}

/** Every file of the index and the key, and every path in the folder, that mentions an ID number. */
async function leaks(root: string, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of await files(root)) {
    const rel = relative(root, f);
    if (ids.some((id) => rel.includes(id))) out.push(rel);
    if (rel.startsWith("records/")) continue; // the records themselves hold the person (encrypt the volume)
    const text = await readFile(f, "utf8");
    if (ids.some((id) => text.includes(id))) out.push(`${rel} (content)`);
  }
  return out;
}

describe("keyed person index", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const temp = async () => {
    const d = await mkdtemp(join(tmpdir(), "hs-persons-"));
    dirs.push(d);
    return d;
  };

  async function byPersonAll(dir: string): Promise<Record<string, string[]>> {
    const store = createFileStore({ dir });
    await store.open();
    try {
      const out: Record<string, string[]> = {};
      for (const p of PEOPLE) out[p] = (await store.byPerson(p)).map((r) => r.id);
      return out;
    } finally {
      await store.close();
    }
  }

  it("re-keys a folder made by the previous version, finds everyone as before, and keeps no ID number in the index", async () => {
    const dir = join(await temp(), "data");
    await cp(FIXTURE, dir, { recursive: true });
    // What the old index said, straight from its files.
    const expected: Record<string, string[]> = {};
    for (const f of await files(join(dir, "people")))
      if (f.endsWith(".json"))
        for (const [p, ids] of Object.entries(
          (JSON.parse(await readFile(f, "utf8")) as { people: Record<string, string[]> }).people,
        ))
          expected[p] = [...(expected[p] ?? []), ...ids];
    expect(Object.keys(expected).sort()).toEqual([...PEOPLE].sort());
    expect(await leaks(dir, PEOPLE)).not.toEqual([]);

    const found = await byPersonAll(dir);
    for (const p of PEOPLE) expect([...found[p]!].sort(), p).toEqual([...expected[p]!].sort());
    expect(await readdir(dir)).not.toContain("people");
    expect(await leaks(dir, PEOPLE)).toEqual([]);
    const key = join(dir, "keys", "index.json");
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    // Reopening changes nothing.
    expect(await byPersonAll(dir)).toEqual(found);
  });

  it("redoes a migration that was cut short, from the old index", async () => {
    const dir = join(await temp(), "data");
    await cp(FIXTURE, dir, { recursive: true });
    const clean = await byPersonAll(
      join(
        await (async () => {
          const d = join(await temp(), "data");
          await cp(FIXTURE, d, { recursive: true });
          return d;
        })(),
      ),
    );
    // A run cut short: half a persons/ folder, and the old index still there.
    await mkdir(join(dir, "persons", "2026"), { recursive: true });
    await writeFile(
      join(dir, "persons", "2026", "00.json"),
      JSON.stringify({ v: 2, people: { bogus: ["x"] } }),
    );
    const found = await byPersonAll(dir);
    for (const p of PEOPLE) expect(found[p]!.sort()).toEqual(clean[p]!.sort());
    expect(await readdir(join(dir, "persons", "2026"))).not.toContain("00.json");
  });

  it("new saves index by HMAC; a lost key is replaced and the index rebuilt from the records", async () => {
    const dir = join(await temp(), "data");
    // Kept at close here so the delta (docs/adr/0009-person-index-delta.md) can be checked too.
    const store = createFileStore({ dir, personDeltaFoldAtClose: false });
    await store.open();
    const person = idNumber("19900101", 7);
    const rec = makeRecord({ seq: 1, person });
    await store.save(rec);
    await store.close();
    expect(await leaks(dir, [person])).toEqual([]);
    const deltas = (await files(join(dir, "persons"))).filter((f) => f.endsWith("delta.log"));
    const keys = [...decodeDelta(await readFile(deltas[0]!, "utf8")).entries.keys()];
    expect(keys).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    // A folding close (prepare-rollback) moves it into the buckets, keyed the same way.
    const folding = createFileStore({ dir, personDeltaFoldAtClose: true });
    await folding.open();
    await folding.close();
    expect(await leaks(dir, [person])).toEqual([]);
    const indexFiles = (await files(join(dir, "persons"))).filter((f) => f.endsWith(".json"));
    expect(indexFiles).toHaveLength(1);
    const bucket = JSON.parse(await readFile(indexFiles[0]!, "utf8")) as { people: Record<string, string[]> };
    expect(Object.keys(bucket.people)).toEqual(keys);

    // Restored without keys/: a new key, and the index made again from the records.
    await rm(join(dir, "keys"), { recursive: true });
    const again = createFileStore({ dir });
    await again.open();
    expect((await again.byPerson(person)).map((r) => r.id)).toEqual([rec.id]);
    await again.close();
  });
});
