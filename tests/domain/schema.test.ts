import { describe, expect, it } from "vitest";
import { CheckupRecord, formatIssues, Person } from "../../station/domain/schema.js";

const person = {
  idNumber: "11010519491231002X",
  name: "李秀英",
  sex: "female",
  birthDate: "1949-12-31",
  source: "card",
};

describe("Person", () => {
  it("accepts a consistent person", () => {
    expect(Person.safeParse(person).success).toBe(true);
  });
  it("rejects a birth date or sex that disagrees with the ID number", () => {
    const r = Person.safeParse({ ...person, birthDate: "1949-12-30", sex: "male" });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(formatIssues(r.error)).toEqual([
        "birthDate: birth date does not match ID number",
        "sex: sex does not match ID number",
      ]);
  });
  it("keeps an unknown source value from a newer peer instead of coercing it", () => {
    const r = Person.safeParse({ ...person, source: "face-recognition" });
    expect(r.success && r.data.source).toBe("face-recognition");
  });
});

describe("CheckupRecord", () => {
  const base = {
    schemaVersion: 1,
    id: "019ab5a0-1234-7abc-8def-0123456789ab",
    stationId: "demo-station-0001",
    seq: 1,
    createdAt: "2026-11-22T02:00:00.000Z",
    person,
    readings: [
      {
        kind: "bp",
        systolic: 120,
        diastolic: 80,
        unit: "mmHg",
        takenAt: "2026-11-22T02:00:00.000Z",
        source: "device",
        statusFlags: ["cuff-loose", "future-flag"],
      },
      {
        kind: "glucose",
        mmolL: 5.5,
        sampleType: "fasting",
        takenAt: "2026-11-22T02:00:00.000Z",
        source: "manual",
      },
    ],
    assessment: null,
    consent: { given: true, at: "2026-11-22T02:00:00.000Z", method: "touch" },
    operator: { kind: "self" },
    sync: { status: "pending" },
  };
  it("parses, fills sync defaults and keeps unknown status flags", () => {
    const r = CheckupRecord.parse(base);
    expect(r.sync).toEqual({
      status: "pending",
      attempts: 0,
      lastAttemptAt: null,
      ackedAt: null,
      rejectReason: null,
    });
    expect(r.readings[0]?.kind === "bp" && r.readings[0].statusFlags).toEqual(["cuff-loose", "future-flag"]);
    expect(r.clockSuspect).toBe(false);
  });
  it("requires a UUIDv7 id made on the station", () => {
    expect(CheckupRecord.safeParse({ ...base, id: "6f1c2e1e-1234-4abc-8def-0123456789ab" }).success).toBe(
      false,
    );
  });
  it("rejects a reading of an unknown kind rather than guessing its fields", () => {
    expect(CheckupRecord.safeParse({ ...base, readings: [{ kind: "spo2", value: 97 }] }).success).toBe(false);
  });
});
