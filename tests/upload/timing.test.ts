import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SyncWriteResult } from "../../station/upload/store-adapter.js";
import { SyncBatcher } from "../../station/upload/sync-batcher.js";
import { fullJitter } from "../../station/upload/timing.js";
import { ManualScheduler } from "./manual-scheduler.js";

const pending = {
  status: "pending",
  attempts: 1,
  lastAttemptAt: null,
  ackedAt: null,
  rejectReason: null,
} as const;
const acked = { ...pending, status: "acked", ackedAt: "2024-05-01T10:00:00.000+08:00" } as const;

describe("fullJitter", () => {
  const policy = { baseMs: 1_000, capMs: 300_000 };

  it("stays in [0, min(cap, base·2^(attempt−1))) for every attempt and random value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, r) => {
          const d = fullJitter(n, policy, () => r);
          const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (n - 1));
          return Number.isInteger(d) && d >= 0 && d < ceiling;
        },
      ),
    );
  });

  it("doubles the window per attempt until the cap", () => {
    const top = (n: number) => fullJitter(n, policy, () => 0.999999);
    expect([1, 2, 3, 9, 10, 50].map(top)).toEqual([999, 1999, 3999, 255999, 299999, 299999]);
  });
});

describe("SyncBatcher", () => {
  it("writes at once when the batch reaches flushAt, without waiting out the delay", async () => {
    const clock = new ManualScheduler();
    const calls: string[][] = [];
    const b = new SyncBatcher(
      async (u) => {
        calls.push(u.map((x) => x.id));
        return { written: u.map((x) => x.id), failed: [] };
      },
      clock,
      50,
      () => {},
      3,
    );
    b.add({ id: "a", sync: acked });
    b.add({ id: "b", sync: acked });
    await Promise.resolve();
    expect(calls).toEqual([]);
    b.add({ id: "c", sync: acked });
    await b.flush();
    expect(calls).toEqual([["a", "b", "c"]]);
    // The timer of the flushed batch is gone: nothing more is written when it would have fired.
    clock.advance(100);
    await b.flush();
    expect(calls).toEqual([["a", "b", "c"]]);
  });

  it("writes everything added within the delay in one call, newest update per id winning", async () => {
    const clock = new ManualScheduler();
    const calls: string[][] = [];
    const results: SyncWriteResult[] = [];
    const b = new SyncBatcher(
      async (u) => {
        calls.push(u.map((x) => `${x.id}:${x.sync.status}`));
        return { written: u.map((x) => x.id), failed: [] };
      },
      clock,
      50,
      (r) => results.push(r),
    );
    b.add({ id: "a", sync: pending });
    b.add({ id: "b", sync: pending });
    clock.advance(49);
    b.add({ id: "a", sync: acked });
    expect(calls).toEqual([]);
    clock.advance(1);
    await b.flush();
    expect(calls).toEqual([["a:acked", "b:pending"]]);
    expect(results).toEqual([{ written: ["a", "b"], failed: [] }]);
  });

  it("runs flushes one after another and reports a throwing writer as every id failed", async () => {
    const clock = new ManualScheduler();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const results: SyncWriteResult[] = [];
    const b = new SyncBatcher(
      async (u) => {
        order.push(`start ${u[0]!.id}`);
        if (u[0]!.id === "first") await gate;
        order.push(`end ${u[0]!.id}`);
        if (u[0]!.id === "second") throw new Error("ENOSPC");
        return { written: u.map((x) => x.id), failed: [] };
      },
      clock,
      50,
      (r) => results.push(r),
    );
    b.add({ id: "first", sync: pending });
    const f1 = b.flush();
    b.add({ id: "second", sync: acked });
    const f2 = b.flush();
    await Promise.resolve();
    release();
    await Promise.all([f1, f2]);
    expect(order).toEqual(["start first", "end first", "start second", "end second"]);
    expect(results[1]!.written).toEqual([]);
    expect(results[1]!.failed.map((f) => f.id)).toEqual(["second"]);
  });
});
