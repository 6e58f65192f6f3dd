/** The bdSeq survives restarts, counts up by one per connection, and a lost file restarts above the old count. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { BdSeqFile } from "../../station/fleet/bdseq.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hs-bdseq-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const T0 = Date.parse("2026-03-01T00:00:00Z");

it("starts from the clock's seconds, then counts on across new instances (restarts)", async () => {
  const a = new BdSeqFile(dir, () => T0);
  expect([a.next(), a.next()]).toEqual([T0 / 1000, T0 / 1000 + 1]);
  const b = new BdSeqFile(dir, () => T0 + 3_600_000);
  expect(b.next()).toBe(T0 / 1000 + 2);
  expect(JSON.parse(await readFile(join(dir, "bdseq.json"), "utf8"))).toEqual({ bdSeq: T0 / 1000 + 2 });
});

it("a replaced card (no file) later starts above what the old one counted", async () => {
  const old = new BdSeqFile(dir, () => T0);
  for (let i = 0; i < 50; i++) old.next();
  const last = old.next();
  await rm(join(dir, "bdseq.json"));
  expect(new BdSeqFile(dir, () => T0 + 60_000).next()).toBeGreaterThan(last);
});

it("a damaged file falls back to the clock instead of stopping the station", async () => {
  await writeFile(join(dir, "bdseq.json"), '{"bdSeq": 12');
  expect(new BdSeqFile(dir, () => T0).next()).toBe(T0 / 1000);
});
