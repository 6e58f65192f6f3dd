/**
 * The county receiver restarts in the middle of a drain, once cleanly (SIGTERM: it drains its
 * batch) and once killed, with the PostgreSQL store a county runs in production.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PgTestServer, startPgTestServer } from "../../scripts/pg-test-server.js";
import { type Rig, startRig } from "./lib/rig.js";
import { until } from "./lib/wait.js";

let rig: Rig;
let pg: PgTestServer;
beforeAll(async () => {
  [rig, pg] = await Promise.all([startRig(1), startPgTestServer()]);
});
afterAll(async () => {
  await rig?.close();
  await pg?.stop();
});

it("stores every record once in PostgreSQL across a clean restart and a SIGKILL of the receiver", async () => {
  const c = await rig.newCase({ kind: "postgres", url: pg.url });
  const seeded = await c.seed(300);
  let county = await c.county();
  const station = await c.station({ window: 16 });
  for (const [threshold, how] of [
    [80, "stop"],
    [180, "kill"],
  ] as const) {
    const at = await until(
      () => c.archived(),
      (n) => n >= threshold,
      `${threshold} records archived`,
      60_000,
      20,
    );
    expect(at, `the receiver's ${how} landed mid-drain`).toBeLessThan(seeded.length);
    await (how === "stop" ? county.stop() : county.kill());
    county = await c.county();
  }
  await c.drained(station, seeded.length, 90_000);
  await c.finish(seeded.length);
}, 180_000);
