/** The county's presence book: births and deaths ordered by bdSeq, stale ones ignored. */
import { describe, expect, it } from "vitest";
import { PresenceBook } from "../../flows/fleet/presence.js";
import { type Birth, presencePayload } from "../../station/mqtt/presence.js";

const ST = "st-0001";
const birth: Birth = {
  software: "0.1.0",
  configVersion: null,
  packs: { roster: null },
  devices: { bp: "connected" },
  backlog: { count: 3, oldestAt: "2026-03-01T08:00:00.000Z" },
  diskFreeBytes: 1_000_000,
  clock: { suspect: false, now: "2026-03-01T09:00:00.000Z" },
  uptimeSeconds: 5,
};
const at = new Date("2026-03-01T09:00:00Z");
const online = (n: number, b: Birth = birth) => presencePayload(ST, "online", at, n, { birth: b });
const lost = (n: number) => presencePayload(ST, "offline", at, n, { reason: "lost" });
const clean = (n: number) => presencePayload(ST, "offline", at, n, { reason: "clean" });

describe("PresenceBook", () => {
  it("ignores the Will of an earlier connection arriving after the new birth", () => {
    const book = new PresenceBook();
    expect(book.apply(ST, online(7), 1).kind).toBe("birth");
    expect(book.apply(ST, online(8), 2).kind).toBe("birth");
    expect(book.apply(ST, lost(7), 3)).toEqual({ kind: "stale", stationId: ST, bdSeq: 7, current: 8 });
    expect(book.get(ST)).toMatchObject({ online: true, bdSeq: 8 });
  });

  it("ignores an older birth after a newer death, and applies the death of the current connection", () => {
    const book = new PresenceBook();
    book.apply(ST, online(8), 1);
    expect(book.apply(ST, lost(8), 2).kind).toBe("death");
    expect(book.get(ST)).toMatchObject({ online: false, offlineReason: "lost", bdSeq: 8 });
    expect(book.apply(ST, online(7), 3).kind).toBe("stale");
    expect(book.get(ST)?.online).toBe(false);
    expect(book.apply(ST, clean(9), 4).kind).toBe("death");
    expect(book.get(ST)).toMatchObject({ online: false, offlineReason: "clean", bdSeq: 9 });
  });

  it("a birth with the same bdSeq is a rebirth that replaces the details; the last birth's details survive death", () => {
    const book = new PresenceBook();
    book.apply(ST, online(4), 1);
    const out = book.apply(ST, online(4, { ...birth, backlog: { count: 0, oldestAt: null } }), 2);
    expect(out.kind).toBe("rebirth");
    expect(book.get(ST)?.birth?.backlog.count).toBe(0);
    book.apply(ST, lost(4), 3);
    expect(book.get(ST)?.birth?.software).toBe("0.1.0");
  });

  it("keeps last seen apart from online", () => {
    const book = new PresenceBook();
    book.apply(ST, online(1), Date.parse("2026-03-01T09:00:00Z"));
    book.apply(ST, lost(1), Date.parse("2026-03-01T09:05:00Z"));
    book.seen(ST, Date.parse("2026-03-01T09:06:00Z"));
    expect(book.get(ST)).toMatchObject({ online: false, lastSeenAt: "2026-03-01T09:06:00.000Z" });
  });

  it("refuses garbage, v1 messages without bdSeq, and a payload naming another station", () => {
    const book = new PresenceBook();
    expect(book.apply(ST, "{", 1).kind).toBe("invalid");
    expect(
      book.apply(ST, JSON.stringify({ v: 1, type: "presence", stationId: ST, state: "online", at }), 1).kind,
    ).toBe("invalid");
    expect(book.apply("st-other", online(1), 1).kind).toBe("invalid");
    expect(book.size).toBe(0);
  });
});
