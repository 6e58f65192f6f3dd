import { appendFile, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { segmentName } from "../../flows/archive/file-segments.js";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { runCli } from "../../flows/archive-cli.js";
import { archived, recordId } from "./fixtures.js";

describe("archive-cli on the file store", () => {
  let dir: string;
  let live: FileArchiveStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hs-cli-"));
    // A running receiver holds the store (and its lock) while the CLI looks.
    live = new FileArchiveStore({ dir: join(dir, "store") });
    await live.open();
    await live.putMany([archived(1), archived(2), archived(3, "st-002", 2)]);
  });
  afterEach(async () => {
    await live.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("counts, lists (filtered) and gets records beside a running receiver", async () => {
    const store = ["--dir", join(dir, "store")];
    expect(await runCli([...store, "count"])).toEqual(["3"]);
    const listed = (await runCli([...store, "list", "--station", "st-001"])).map((l) => JSON.parse(l));
    expect(listed.map((r) => r.id)).toEqual([recordId(1), recordId(2)]);
    expect(listed[0]).toMatchObject({ station: "st-001", seq: 1, readings: 1 });
    const [got] = await runCli([...store, "get", recordId(2)]);
    expect(JSON.parse(got!)).toEqual(archived(2));
  });

  it("lists the doctors' audit events and outcomes the receiver stored, by station", async () => {
    const ev = (n: number, stream: "audit" | "outcome", station: string) => ({
      stream,
      county: "demo-county",
      station,
      id: `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`,
      event: { v: 1, id: `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`, type: "sign-in" },
      receivedAt: "2026-04-01T02:00:00.000Z",
    });
    await live.putEvents([ev(1, "audit", "st-001"), ev(2, "audit", "st-002"), ev(3, "outcome", "st-001")]);
    const store = ["--dir", join(dir, "store")];
    const audit = (await runCli([...store, "audit", "--station", "st-002"])).map((l) => JSON.parse(l));
    expect(audit).toEqual([
      { station: "st-002", receivedAt: "2026-04-01T02:00:00.000Z", ...ev(2, "audit", "").event },
    ]);
    const outcomes = (await runCli([...store, "outcomes"])).map((l) => JSON.parse(l).id);
    expect(outcomes).toEqual([ev(3, "outcome", "").id]);
  });

  it("reads the store named in the county config", async () => {
    const cfg = join(dir, "county.json");
    await writeFile(
      cfg,
      JSON.stringify({
        county: "demo-county",
        dataDir: "data",
        broker: { url: "mqtt://127.0.0.1:1883" },
        store: { kind: "file", dir: "store" },
      }),
    );
    expect(await runCli(["--config", cfg, "count"], {})).toEqual(["3"]);
  });

  it("never repairs or writes: a torn tail is left for the receiver to handle", async () => {
    const seg = join(dir, "store", segmentName(1));
    await appendFile(seg, '{"id":"torn');
    const before = (await stat(seg)).size;
    expect(await runCli(["--dir", join(dir, "store"), "count"])).toEqual(["3"]);
    expect((await stat(seg)).size).toBe(before);
    const ro = new FileArchiveStore({ dir: join(dir, "store"), readOnly: true });
    await ro.open();
    await expect(ro.putMany([archived(9)])).rejects.toMatchObject({ code: "store-read-only" });
  });

  it("explains its usage and unknown ids", async () => {
    await expect(runCli(["count"])).rejects.toThrow(/usage/);
    await expect(runCli(["--dir", join(dir, "store"), "frobnicate"])).rejects.toThrow(/usage/);
    await expect(runCli(["--dir", join(dir, "store"), "get", recordId(99)])).rejects.toThrow(/no record/);
  });
});
