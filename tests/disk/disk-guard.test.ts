import { describe, expect, it } from "vitest";
import { DiskGuard } from "../../station/disk/disk-guard.js";
import { DISK_LOW_FAULT } from "../../station/disk/fault.js";
import type { DiskStatusView } from "../../station/protocol.js";
import { silentLogger } from "../../station/util/logger.js";

const MB = 1024 * 1024;

function guard(freeMb: () => number) {
  const seen: DiskStatusView[] = [];
  const g = new DiskGuard({
    dir: "/data",
    reserveMb: 200,
    checkSeconds: 30,
    logger: silentLogger,
    measure: async () => ({ free: freeMb() * MB, total: 8000 * MB }),
    now: () => Date.parse("2026-11-30T08:00:00Z"),
  });
  g.on("status", (s) => seen.push(s));
  return { g, seen };
}

describe("DiskGuard", () => {
  it("admits check-ups above the reserve and refuses them below it, both sides of the boundary", async () => {
    let free = 200;
    const { g, seen } = guard(() => free);
    await g.check();
    expect(g.admit()).toBeNull(); // exactly the reserve is still enough
    free = 199;
    await g.check();
    expect(g.admit()).toBe(DISK_LOW_FAULT);
    expect(seen.at(-1)).toMatchObject({ freeMb: 199, reserveMb: 200, low: true });
    free = 5000;
    await g.check();
    expect(g.admit()).toBeNull();
    expect(seen.map((s) => s.low)).toEqual([false, true, false]);
  });

  it("keeps its last answer when free space cannot be read", async () => {
    let fail = false;
    const g = new DiskGuard({
      dir: "/data",
      reserveMb: 200,
      checkSeconds: 30,
      logger: silentLogger,
      measure: async () => {
        if (fail) throw new Error("EIO");
        return { free: 10 * MB, total: 100 * MB };
      },
    });
    await g.check();
    fail = true;
    await g.check();
    expect(g.admit()).toBe(DISK_LOW_FAULT);
  });
});
