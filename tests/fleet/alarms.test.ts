/** Alarm conditions and the raise/clear set (station), the deadband policy, and the county's alarm book. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlarmBook, SeqWatch } from "../../flows/fleet/alarm-book.js";
import type { StationPresence } from "../../flows/fleet/presence.js";
import { type AlarmLimits, AlarmSet, conditions, type Observed } from "../../station/fleet/alarms.js";
import { HealthReporter } from "../../station/fleet/health.js";
import type { AlarmsMessage, HealthMetrics } from "../../station/mqtt/fleet-reports.js";

const T = Date.parse("2026-03-01T09:00:00Z");
const limits: AlarmLimits = {
  deviceDownSeconds: 60,
  backlogMaxAgeMinutes: 60,
  diskLowMegabytes: 100,
  helpWaitingSeconds: 30,
};
const calm: Observed = {
  nowMs: T,
  devices: { bp: { connected: true, sinceMs: T - 1e6 } },
  backlogOldestMs: null,
  diskFreeBytes: 5e9,
  clockSuspect: false,
  savesFailing: false,
  rejectedRecords: 0,
  helpSinceMs: null,
};

describe("station alarm conditions", () => {
  it("holds each condition only past its limit", () => {
    expect(conditions(calm, limits)).toEqual([]);
    const bad: Observed = {
      ...calm,
      devices: {
        bp: { connected: false, sinceMs: T - 60_000 },
        glucose: { connected: false, sinceMs: T - 59_000 },
      },
      backlogOldestMs: T - 3_600_000,
      diskFreeBytes: 99e6,
      clockSuspect: true,
      savesFailing: true,
      rejectedRecords: 2,
      helpSinceMs: T - 30_000,
    };
    expect(conditions(bad, limits).map((c) => [c.id, c.severity])).toEqual([
      ["device-disconnected:bp", "major"],
      ["backlog-old", "major"],
      ["disk-low", "critical"],
      ["clock-suspect", "major"],
      ["saves-failing", "critical"],
      ["records-rejected", "warning"],
      ["help-waiting", "minor"],
    ]);
  });

  it("the clock alarm says why when the station's time guard gives a reason (archive skew, far future)", () => {
    const skewed = conditions({ ...calm, clockSuspect: true, clockReason: "archive-skew" }, limits);
    expect(skewed).toEqual([
      expect.objectContaining({ id: "clock-suspect", detail: "clock suspect: archive-skew" }),
    ]);
    // Trusted again (the guard says so once the clock is right): the condition is gone.
    expect(conditions({ ...calm, clockSuspect: false, clockReason: null }, limits)).toEqual([]);
  });

  it("an alarm is active exactly while its condition holds, whatever the sequence (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.subarray(["a", "b", "c"]), { maxLength: 30 }), (steps) => {
        const set = new AlarmSet();
        let t = T;
        for (const holding of steps) {
          const before = new Set(set.active.map((a) => a.id));
          t += 1000;
          const changes = set.update(
            holding.map((id) => ({ id, kind: id, severity: "minor" as const, detail: "" })),
            t,
          );
          expect(set.active.map((a) => a.id).sort()).toEqual([...holding].sort());
          for (const c of changes)
            expect(c.event === "raised" ? !before.has(c.id) : before.has(c.id)).toBe(true);
        }
      }),
    );
  });

  it("keeps the first raisedAt while the condition holds", () => {
    const set = new AlarmSet();
    const c = [{ id: "disk-low", kind: "disk-low", severity: "critical" as const, detail: "x" }];
    set.update(c, T);
    expect(set.update(c, T + 5000)).toEqual([]);
    expect(set.active[0]!.raisedAt).toBe(new Date(T).toISOString());
  });
});

describe("health deadband and period", () => {
  const m: HealthMetrics = {
    backlogCount: 100,
    backlogOldestAgeSeconds: null,
    diskFreeBytes: 1e9,
    devicesDisconnected: 0,
    rejectedRecords: 0,
    rssBytes: 80e6,
    uptimeSeconds: 10,
  };
  it("reports at birth, then on a change beyond the deadband or after the period, never on noise", () => {
    const h = new HealthReporter(300_000);
    expect(h.due(m, T)).toBe("birth");
    h.sent(m, T);
    expect(h.due({ ...m, backlogCount: 110, uptimeSeconds: 99, rssBytes: 90e6 }, T + 1000)).toBeNull();
    expect(h.due({ ...m, backlogCount: 111 }, T + 1000)).toBe("change");
    expect(h.due({ ...m, devicesDisconnected: 1 }, T + 1000)).toBe("change");
    expect(h.due({ ...m, backlogOldestAgeSeconds: 0 }, T + 1000)).toBe("change");
    expect(h.due(m, T + 299_999)).toBeNull();
    expect(h.due(m, T + 300_000)).toBe("period");
  });
});

describe("county alarm book", () => {
  const msg = (seq: number, active: AlarmsMessage["active"], bdSeq = 5): string =>
    JSON.stringify({
      v: 1,
      type: "alarms",
      stationId: "st-1",
      bdSeq,
      seq,
      at: new Date(T).toISOString(),
      active,
      changes: [],
    });
  const disk = {
    id: "disk-low",
    kind: "disk-low",
    severity: "critical" as const,
    raisedAt: new Date(T).toISOString(),
    detail: "",
  };

  it("replaces a station's set with each message, ignores older ones, and drops acks of ended occurrences", () => {
    const book = new AlarmBook();
    expect(book.apply("st-1", msg(1, [disk]))).toEqual({ ok: true });
    book.acknowledge("st-1", "disk-low", disk.raisedAt, "county-it", T + 1);
    expect(book.list([], 60_000, T)[0]).toMatchObject({ id: "disk-low", acked: { by: "county-it" } });
    expect(book.apply("st-1", msg(0, []))).toEqual({ ok: false, reason: "stale" });
    expect(book.list([], 60_000, T)).toHaveLength(1);
    expect(book.apply("st-1", msg(2, []))).toEqual({ ok: true });
    expect(book.list([], 60_000, T)).toEqual([]);
    // Raised again later: a new occurrence, not acknowledged.
    book.apply("st-1", msg(3, [{ ...disk, raisedAt: new Date(T + 9000).toISOString() }]));
    expect(book.list([], 60_000, T)[0]!.acked).toBeNull();
  });

  it("raises the county's own offline alarm only after the county-set silence", () => {
    const p: StationPresence = {
      stationId: "st-2",
      online: false,
      bdSeq: 1,
      offlineReason: "lost",
      since: new Date(T).toISOString(),
      lastSeenAt: new Date(T).toISOString(),
      birth: null,
    };
    const book = new AlarmBook();
    expect(book.list([p], 600_000, T + 599_999)).toEqual([]);
    expect(book.list([p], 600_000, T + 600_000)).toMatchObject([
      { stationId: "st-2", id: "offline", source: "county" },
    ]);
    expect(book.list([{ ...p, online: true }], 600_000, T + 900_000)).toEqual([]);
  });

  it("sees sequence gaps within a connection, and restarts at each birth", () => {
    const w = new SeqWatch();
    w.birth("s", 3);
    expect([w.see("s", 3, 0), w.see("s", 3, 1), w.see("s", 3, 3), w.see("s", 3, 2)]).toEqual([
      "ok",
      "ok",
      "gap",
      "stale",
    ]);
    w.birth("s", 3);
    expect(w.see("s", 3, 0)).toBe("ok");
    expect(w.see("s", 2, 9)).toBe("stale");
  });
});
