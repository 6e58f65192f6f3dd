import { v7 } from "uuid";
import { describe, expect, it } from "vitest";
import { oldestFirst, personBucket, shardDayOf, uuidV7Millis } from "../../station/storage/keys.js";
import { KeyedMutex } from "../../station/storage/mutex.js";
import { idNumber, makeRecord } from "./fixtures/records.js";

describe("shard keys", () => {
  it("reads the millisecond timestamp back out of a UUIDv7", () => {
    const ms = Date.parse("2024-05-01T23:30:00.123+08:00");
    expect(uuidV7Millis(v7({ msecs: ms }))).toBe(ms);
  });

  it("puts a record in the station-local (UTC+8) day of its id, not the UTC day", () => {
    // 00:30 on 2 May in Beijing is still 1 May in UTC.
    const id = v7({ msecs: Date.parse("2024-05-02T00:30:00+08:00") });
    expect(shardDayOf(id)).toBe("2024-05-02");
    expect(shardDayOf(id, 0)).toBe("2024-05-01");
    expect(shardDayOf(v7({ msecs: Date.parse("2024-05-01T23:59:59.999+08:00") }))).toBe("2024-05-01");
  });

  it("hashes ID numbers into one of 256 stable buckets", () => {
    const a = idNumber("19500101", 1);
    expect(personBucket(a)).toMatch(/^[0-9a-f]{2}$/);
    expect(personBucket(a)).toBe(personBucket(a));
    const buckets = new Set(Array.from({ length: 200 }, (_, i) => personBucket(idNumber("19500101", i + 1))));
    expect(buckets.size).toBeGreaterThan(100); // spread, not clustered by region or birth date
  });

  it("orders oldest first by shard day before sequence", () => {
    const day2 = makeRecord({ seq: 1, at: Date.parse("2024-05-02T09:00:00+08:00") });
    const day1 = makeRecord({ seq: 7, at: Date.parse("2024-05-01T09:00:00+08:00") });
    const day1b = makeRecord({ seq: 8, at: Date.parse("2024-05-01T08:00:00+08:00") });
    expect([day2, day1b, day1].sort(oldestFirst(480)).map((r) => r.seq)).toEqual([7, 8, 1]);
  });
});

describe("KeyedMutex", () => {
  it("runs sections for one key one at a time, in call order", async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const section = (name: string, ticks: number) =>
      m.run("k", async () => {
        log.push(`${name}>`);
        for (let i = 0; i < ticks; i++) await Promise.resolve();
        log.push(`<${name}`);
      });
    await Promise.all([section("a", 5), section("b", 1), section("c", 3)]);
    expect(log).toEqual(["a>", "<a", "b>", "<b", "c>", "<c"]);
  });

  it("lets different keys overlap and a failed section release its key", async () => {
    const m = new KeyedMutex();
    let release!: () => void;
    const held = m.run("a", () => new Promise<void>((r) => (release = r)));
    expect(await m.run("b", async () => "b ran while a is held")).toBe("b ran while a is held");
    release();
    await held;
    await expect(m.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await m.run("a", async () => "after failure")).toBe("after failure");
  });

  it("runAll holds several keys at once, in call order per key, without deadlock on crossed key sets", async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const section = (name: string, keys: string[]) =>
      m.runAll(keys, async () => {
        log.push(`${name}>`);
        for (let i = 0; i < 3; i++) await Promise.resolve();
        log.push(`<${name}`);
      });
    await Promise.all([
      section("ab", ["a", "b"]),
      section("b", ["b"]),
      section("ba", ["b", "a", "a"]),
      section("c", ["c"]),
    ]);
    // "c" shares no key and runs beside "ab"; the others wait for whoever was called first.
    expect(log.slice(0, 2)).toEqual(["ab>", "c>"]);
    expect(log.filter((e) => !e.includes("c"))).toEqual(["ab>", "<ab", "b>", "<b", "ba>", "<ba"]);
    await m.idle();
  });
});
