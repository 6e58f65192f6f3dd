import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HelpStore } from "../../station/help/help-store.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "help-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("help requests", () => {
  it("survive a restart until a doctor clears them", async () => {
    const first = new HelpStore({ dir, now: () => Date.parse("2026-11-30T08:00:00Z") });
    await first.start();
    const a = await first.add({ step: "bp", screen: "bp:fault", recordId: "r-1", source: "screen" });
    await first.add({ step: "attract", screen: "attract", recordId: null, source: "button" });
    await first.stop();

    const seen: number[] = [];
    const second = new HelpStore({ dir, onChange: (w) => seen.push(w.length) });
    await second.start();
    expect(second.waiting()).toHaveLength(2);
    expect(second.waiting()[0]).toMatchObject({
      id: a.id,
      at: "2026-11-30T08:00:00.000Z",
      step: "bp",
      screen: "bp:fault",
      recordId: "r-1",
      source: "screen",
    });
    expect(await second.clear(a.id)).toBe(true);
    expect(await second.clear(a.id)).toBe(false);
    await second.stop();
    expect(seen).toEqual([2, 1]);

    const third = new HelpStore({ dir });
    await third.start();
    expect(third.waiting().map((r) => r.step)).toEqual(["attract"]);
    await third.stop();
  });

  it("has the request on disk when add() resolves", async () => {
    const store = new HelpStore({ dir });
    await store.start();
    const r = await store.add({ step: "result", screen: "result", recordId: null, source: "screen" });
    const raw = JSON.parse(await readFile(join(dir, "help-requests.json"), "utf8"));
    expect(raw.requests.map((x: { id: string }) => x.id)).toEqual([r.id]);
    await store.stop();
  });

  it("starts empty with no file", async () => {
    const store = new HelpStore({ dir: join(dir, "new") });
    await store.start();
    expect(store.waiting()).toEqual([]);
    await expect(store.clear("nope")).resolves.toBe(false);
    await store.stop();
  });
});
