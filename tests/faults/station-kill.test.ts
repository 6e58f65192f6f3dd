/**
 * The station is SIGKILLed three times while it drains a few hundred records: acks arrive for a
 * process that is gone, sync writes are cut short. Each restart resends what is still pending,
 * and the archive answers "duplicate" for what it already has.
 */
import { expect, it } from "vitest";
import { useRig } from "./lib/rig.js";
import { until } from "./lib/wait.js";

const rig = useRig(1);

it("drains 400 records exactly once across three SIGKILLs of the station mid-upload", async () => {
  const c = await rig.newCase();
  const seeded = await c.seed(400);
  await c.county();
  // A small window makes the drain last long enough to be cut three times.
  const opts = { window: 8 };
  for (const threshold of [60, 150, 240]) {
    const station = await c.station(opts);
    const atKill = await until(
      () => c.archived(),
      (n) => n >= threshold,
      `${threshold} records archived`,
      30_000,
      20,
    );
    await station.kill();
    expect(atKill, "the kill landed in the middle of the drain").toBeLessThan(seeded.length);
  }
  const station = await c.station(opts);
  await c.drained(station, seeded.length, 60_000);
  await c.finish(seeded.length);
}, 150_000);
