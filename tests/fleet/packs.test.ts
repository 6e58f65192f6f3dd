/** The station's pack receiver: hash, chunks in any order, cut-off packs, stale versions, last good kept. */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packChunks } from "../../flows/fleet/packs.js";
import { PackStore } from "../../station/fleet/pack-store.js";
import { type PackKind, PackReceiver } from "../../station/fleet/packs.js";
import { MAX_PACKET_BYTES } from "../../station/mqtt/limits.js";
import { silentLogger } from "../../station/util/logger.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hs-packs-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A toy pack: JSON {n: number}; invalid unless n is a number. */
function setup() {
  const applied: { n: number; version: number }[] = [];
  const answers: { id: string; status: string; reason?: string; errors?: string[] }[] = [];
  const kind: PackKind<{ n: number }> = {
    check: (b) => {
      try {
        const v = JSON.parse(b.toString());
        return typeof v.n === "number"
          ? { ok: true, value: v }
          : { ok: false, errors: ["n: expected a number"] };
      } catch {
        return { ok: false, errors: ["not JSON"] };
      }
    },
    apply: (v, version) => applied.push({ n: v.n, version }),
  };
  const r = new PackReceiver({
    fleetDir: dir,
    kinds: { toy: kind },
    answer: (a) => answers.push(a),
    logger: silentLogger,
  });
  return { r, applied, answers, kind };
}
const body = (n: number, pad = 0) => Buffer.from(JSON.stringify({ n, pad: "x".repeat(pad) }));
const send = (r: PackReceiver, chunks: string[]) => {
  for (const c of chunks) r.handle("toy", Buffer.from(c));
};
const statuses = (a: { id: string; status: string }[]) =>
  a.filter((x) => x.status !== "progress").map((x) => [x.id, x.status]);

describe("PackReceiver", () => {
  it("assembles chunks in any order, checks the hash, installs, and reports progress", () => {
    const { r, applied, answers } = setup();
    const chunks = packChunks("toy", 1, body(7, 5000), 1000);
    expect(chunks.length).toBeGreaterThan(4);
    send(r, [...chunks].reverse());
    expect(applied).toEqual([{ n: 7, version: 1 }]);
    expect(statuses(answers)).toEqual([["pack:toy:1", "applied"]]);
    expect(answers.filter((a) => a.status === "progress").length).toBeGreaterThanOrEqual(3);
    expect(r.versions()).toEqual({ toy: "1" });
  });

  it("keeps the previous pack in force when one is cut off halfway, then takes a newer one whole", () => {
    const { r, applied } = setup();
    send(r, packChunks("toy", 1, body(1, 3000), 1000));
    const v2 = packChunks("toy", 2, body(2, 3000), 1000);
    send(r, v2.slice(0, 2));
    expect(applied.map((a) => a.version)).toEqual([1]);
    expect(r.versions()).toEqual({ toy: "1" });
    expect(r.partial()).toEqual([{ pack: "toy", version: 2, received: 2, count: v2.length }]);
    send(r, packChunks("toy", 3, body(3, 3000), 1000));
    expect(applied.map((a) => a.version)).toEqual([1, 3]);
    expect(r.partial()).toEqual([]);
    // Half of 4, then 4 resent cut into other chunk sizes: the resend wins, whole.
    send(r, packChunks("toy", 4, body(4, 3000), 1000).slice(0, 2));
    send(r, packChunks("toy", 4, body(4, 3000), 700));
    expect(applied.map((a) => a.version)).toEqual([1, 3, 4]);
  });

  it("refuses a wrong hash, invalid content, a stale version, an unknown pack and garbage, each with a reason", () => {
    const { r, applied, answers } = setup();
    send(r, packChunks("toy", 5, body(5)));
    const forged = packChunks("toy", 6, body(6)).map((c) =>
      JSON.stringify({ ...JSON.parse(c), sha256: "0".repeat(64) }),
    );
    send(r, forged);
    send(r, packChunks("toy", 7, Buffer.from('{"n":"seven"}')));
    send(r, packChunks("toy", 4, body(4)));
    r.handle("other", Buffer.from(packChunks("other", 1, body(1))[0]!));
    r.handle("toy", Buffer.from("{nope"));
    expect(applied.map((a) => a.version)).toEqual([5]);
    expect(statuses(answers)).toEqual([
      ["pack:toy:5", "applied"],
      ["pack:toy:6", "rejected"],
      ["pack:toy:7", "rejected"],
      ["pack:toy:4", "rejected"],
      ["pack:other:1", "rejected"],
      ["pack:toy:?", "rejected"],
    ]);
    expect(answers.find((a) => a.id === "pack:toy:6")?.reason).toMatch(/hash/);
    expect(answers.find((a) => a.id === "pack:toy:7")?.errors).toEqual(["n: expected a number"]);
    expect(answers.find((a) => a.id === "pack:toy:4")?.reason).toMatch(/stale/);
  });

  it("keeps the current and the previous version on disk, and falls back to the previous when the current is damaged", async () => {
    const { r } = setup();
    for (const v of [1, 2, 3]) send(r, packChunks("toy", v, body(v)));
    expect((await readdir(join(dir, "packs/toy"))).sort()).toEqual(["2.pack", "3.pack", "current.json"]);
    await writeFile(join(dir, "packs/toy/3.pack"), "damaged");
    const fresh = setup();
    expect(fresh.r.loadInstalled()).toEqual({ toy: 2 });
    expect(fresh.applied).toEqual([{ n: 2, version: 2 }]);
    expect(new PackStore(dir).pointer("toy")?.version).toBe(3);
  });

  it("cuts real packs into chunks that fit the broker's packet limit", () => {
    const chunks = packChunks("roster", 1, Buffer.alloc(1_000_000, 0x61));
    expect(chunks.length).toBe(8);
    for (const c of chunks) expect(Buffer.byteLength(c) + 200).toBeLessThan(MAX_PACKET_BYTES);
  });
});

describe("policy pack", () => {
  it("takes a valid county policy pack into the holder, and refuses a broken one listing every error", async () => {
    const { readFile } = await import("node:fs/promises");
    const { PolicyHolder, policyPack } = await import("../../station/fleet/policy-pack.js");
    const { loadDefaultPolicy } = await import("../../station/assessment/index.js");
    const text = await readFile(
      join(import.meta.dirname, "../../station/assessment/policy/sample-county.json"),
      "utf8",
    );
    const holder = new PolicyHolder(loadDefaultPolicy());
    const answers: { id: string; status: string; errors?: string[] }[] = [];
    const r = new PackReceiver({
      fleetDir: dir,
      kinds: { policy: policyPack(holder) },
      answer: (a) => answers.push(a),
      logger: silentLogger,
    });
    const changed = { ...JSON.parse(text), version: "2026.2" };
    for (const c of packChunks("policy", 1, Buffer.from(JSON.stringify(changed))))
      r.handle("policy", Buffer.from(c));
    expect(holder.current.version).toBe("2026.2");
    const broken = { ...changed, formatVersion: "one", effectiveFrom: 7 };
    for (const c of packChunks("policy", 2, Buffer.from(JSON.stringify(broken))))
      r.handle("policy", Buffer.from(c));
    expect(holder.current.version).toBe("2026.2");
    expect(answers.map((a) => [a.id, a.status])).toEqual([
      ["pack:policy:1", "applied"],
      ["pack:policy:2", "rejected"],
    ]);
    expect(answers[1]!.errors!.length).toBeGreaterThanOrEqual(2);
  });
});
