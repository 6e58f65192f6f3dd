/**
 * Issue 12 §4/§7: the clock. A persisted time floor across restarts, a clock 30 days behind, 5
 * years ahead, at 1970, and off the archive's time; nothing stays flagged once the clock is right.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadRoster } from "../../station/roster/roster.js";
import { identifyFromCard, identifyManual } from "../../station/runtime/identify.js";
import { cardFor } from "../../station/server/sim-api.js";
import { TimeGuard } from "../../station/timekeeping/time-guard.js";
import { ROOT } from "../faults/lib/station.js";

const T = Date.parse("2026-11-30T08:00:00Z");
const DAY = 86_400_000;

describe("TimeGuard", () => {
  const dirs: string[] = [];
  const guards: TimeGuard[] = [];
  afterEach(async () => {
    for (const g of guards.splice(0)) await g.stop();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function rig() {
    const dir = await mkdtemp(join(tmpdir(), "hs-clock-"));
    dirs.push(dir);
    const file = join(dir, "clock", "floor.json");
    const clock = { ms: T, now: () => clock.ms };
    const mono = { ms: 0 };
    const boot = async () => {
      const g = new TimeGuard({ file, clock, monotonic: () => mono.ms });
      await g.start();
      guards.push(g);
      return g;
    };
    const onDisk = async () => (JSON.parse(await readFile(file, "utf8")) as { floorMs: number }).floorMs;
    return { file, clock, mono, boot, onDisk };
  }

  it("flags a clock 30 days behind across a restart, never lowers the floor, and clears once the clock is right", async () => {
    const r = await rig();
    const first = await r.boot();
    expect(first.check()).toMatchObject({ suspect: false, reason: null });
    await first.stop();
    guards.pop();
    expect(await r.onDisk()).toBe(T);

    // Power cut; the Pi boots with a clock 30 days behind.
    r.clock.ms = T - 30 * DAY;
    const second = await r.boot();
    expect(second.check()).toMatchObject({ suspect: true, reason: "behind-floor" });
    await second.advance();
    expect(await r.onDisk()).toBe(T);

    // NTP answers: trusted again at once, and the floor moves on.
    r.clock.ms = T + 3_600_000;
    expect(second.check()).toMatchObject({ suspect: false, reason: null });
    await second.advance();
    expect(await r.onDisk()).toBe(T + 3_600_000);
  });

  it("flags a clock 5 years ahead, and does not let it raise the floor", async () => {
    const r = await rig();
    await (await r.boot()).stop();
    guards.pop();
    r.clock.ms = T + 5 * 365 * DAY;
    const g = await r.boot();
    expect(g.check()).toMatchObject({ suspect: true, reason: "far-ahead" });
    await g.advance();
    expect(await r.onDisk()).toBe(T);
  });

  it("flags a clock at 1970 on a fresh install", async () => {
    const r = await rig();
    r.clock.ms = 10_000;
    const g = await r.boot();
    expect(g.check()).toMatchObject({ suspect: true, reason: "before-release" });
  });

  it("takes the archive's time as the truth: a large skew is suspect, carried forward on the monotonic clock", async () => {
    const r = await rig();
    const g = await r.boot();
    // Within the floor's limits, but 2 hours ahead of the archive.
    r.clock.ms = T + 2 * 3_600_000;
    await g.observeArchive(new Date(T).toISOString());
    expect(g.check()).toMatchObject({ suspect: true, reason: "archive-skew" });
    expect(g.check().skewMs).toBe(2 * 3_600_000);
    // A minute later on both clocks the skew is the same.
    r.mono.ms += 60_000;
    r.clock.ms += 60_000;
    expect(g.check().skewMs).toBe(2 * 3_600_000);
    // The clock is set right: no restart needed.
    r.clock.ms = T + 60_000;
    expect(g.check()).toMatchObject({ suspect: false, skewMs: 0 });
  });

  it("writes the floor at most once a minute while acks stream in, and the latest at stop", async () => {
    const r = await rig();
    const g = await r.boot();
    expect(await r.onDisk()).toBe(T);
    await g.observeArchive(new Date(T + 61_000).toISOString());
    expect(await r.onDisk()).toBe(T + 61_000);
    await g.observeArchive(new Date(T + 71_000).toISOString());
    expect(await r.onDisk()).toBe(T + 61_000);
    await g.stop();
    guards.pop();
    expect(await r.onDisk()).toBe(T + 71_000);
  });

  it("trusts the archive's time as a floor even while the local clock is wrong", async () => {
    const r = await rig();
    r.clock.ms = 10_000; // 1970
    const g = await r.boot();
    await g.observeArchive(new Date(T + DAY).toISOString());
    expect(await r.onDisk()).toBe(T + DAY);
    expect(g.check()).toMatchObject({ suspect: true, reason: "archive-skew" });
  });
});

describe("ID cards on a wrong clock", () => {
  const roster = loadRoster(join(ROOT, "station/data/demo-roster.json"));

  it("accepts every valid demo card with the clock at 1970 once the clock is known to be wrong", () => {
    const born1970OrLater = roster.all().filter((p) => p.idNumber.slice(6, 10) >= "1970");
    expect(born1970OrLater.length).toBeGreaterThan(100);
    const refused = roster
      .all()
      .filter((p) => !identifyFromCard(cardFor(p), "1970-01-01", true).ok)
      .map((p) => p.idNumber.slice(6, 14));
    expect(refused).toEqual([]);
  });

  it("refuses a birth date after today only on a clock TimeGuard trusts", () => {
    const p = roster.all().find((x) => x.idNumber.slice(6, 10) >= "1980")!;
    // A trusted clock: the archive would refuse this record too, so the station refuses it now.
    const r = identifyFromCard(cardFor(p), "1970-01-01", false);
    expect(r).toMatchObject({ ok: false, fault: { code: "id-invalid" } });
    const m = identifyManual(p.idNumber, p.name, p, "1970-01-01", false);
    expect(m).toMatchObject({ ok: false, fault: { code: "id-invalid" } });
    // A suspect clock cannot judge a birth date: the villager is not turned away for it.
    expect(identifyFromCard(cardFor(p), "1970-01-01", true).ok).toBe(true);
    expect(identifyManual(p.idNumber, p.name, p, "1970-01-01", true).ok).toBe(true);
  });

  it("does not call a card expired by a clock known to be 5 years ahead", () => {
    const p = roster.all()[0]!;
    const card = cardFor(p, "2028-01-01");
    expect(identifyFromCard(card, "2031-11-30", false)).toMatchObject({
      ok: false,
      fault: { code: "card-expired" },
    });
    expect(identifyFromCard(card, "2031-11-30", true).ok).toBe(true);
  });
});
