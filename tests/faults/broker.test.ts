/**
 * The county broker goes away: for part of a check-up day (check-ups continue and queue in the
 * outbox), and by restarting in the middle of a backlog drain (once cleanly, once killed).
 */
import { describe, expect, it } from "vitest";
import { checkupViaSim, roster } from "./lib/records.js";
import { useRig } from "./lib/rig.js";
import { until } from "./lib/wait.js";

const rig = useRig(2);

describe("broker outages", () => {
  it("keeps check-ups done while the broker is down and uploads them once it is back", async () => {
    const c = await rig.newCase();
    const seeded = await c.seed(40);
    await c.county();
    const station = await c.station();
    await c.drained(station, seeded.length, 30_000);

    await rig.broker.down();
    await until(
      () => station.upload(),
      (s) => !s.connected,
      "station sees the broker gone",
      15_000,
    );
    const people = await roster(station, 3);
    const made: string[] = [];
    for (const v of people) made.push(await checkupViaSim(station, v));
    const offline = await until(
      () => station.upload(),
      (s) => s.pending >= made.length,
      `the ${made.length} offline check-ups counted as pending`,
      10_000,
    );
    expect(offline.connected).toBe(false);
    expect(await c.archived()).toBe(seeded.length);

    await rig.broker.up();
    await c.drained(station, seeded.length + made.length, 90_000);
    await c.finish(seeded.length + made.length);
  }, 150_000);

  it("drains a backlog across two broker restarts (clean, then killed)", async () => {
    const c = await rig.newCase();
    // Enough that the drain is still under way at the second restart: 300 drained in well under
    // a second once saves went through the journal, and the second wait could never be met.
    const seeded = await c.seed(2000);
    await c.county();
    const station = await c.station();
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      const before = await c.archived();
      await until(
        () => c.archived(),
        (n) => n >= before + 40,
        "the drain under way",
        30_000,
      );
      await rig.broker.down(signal);
      await rig.broker.up();
    }
    await c.drained(station, seeded.length, 120_000);
    await c.finish(seeded.length);
  }, 150_000);
});
