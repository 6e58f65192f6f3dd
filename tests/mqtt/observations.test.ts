import { describe, expect, it } from "vitest";
import type { BpReading, CheckupRecord, GlucoseReading } from "../../station/domain/schema.js";
import { RecordMessage } from "../../station/mqtt/contract.js";
import { buildRecordMessage, glucoseCode, toObservations } from "../../station/mqtt/observations.js";
import { makeRecord } from "../storage/fixtures/records.js";

const at = "2024-05-01T10:00:00.000+08:00";
const bp = (o: Partial<BpReading> = {}): BpReading => ({
  kind: "bp",
  systolic: 150,
  diastolic: 95,
  mean: null,
  pulse: null,
  unit: "mmHg",
  statusFlags: [],
  takenAt: at,
  source: "device",
  ...o,
});
const glucose = (sampleType: string, mmolL = 6.4): GlucoseReading => ({
  kind: "glucose",
  mmolL,
  sampleType,
  takenAt: at,
  source: "manual",
});
const withReadings = (readings: CheckupRecord["readings"]): CheckupRecord => ({
  ...makeRecord({ seq: 1 }),
  readings,
});

describe("toObservations", () => {
  it("codes a BP reading as the 85354-9 panel with systolic, diastolic and mean components", () => {
    const [obs, ...rest] = toObservations(withReadings([bp({ mean: 113 })]));
    expect(rest).toEqual([]);
    expect(obs).toEqual({
      readingIndex: 0,
      code: {
        system: "http://loinc.org",
        code: "85354-9",
        display: "Blood pressure panel with all children optional",
      },
      components: [
        { code: expect.objectContaining({ code: "8480-6" }), value: 150, unit: "mm[Hg]" },
        { code: expect.objectContaining({ code: "8462-4" }), value: 95, unit: "mm[Hg]" },
        { code: expect.objectContaining({ code: "8478-0" }), value: 113, unit: "mm[Hg]" },
      ],
      effective: at,
      method: "device",
    });
  });

  it("adds a separate 8867-4 heart rate when the cuff reported a pulse, and omits an absent mean", () => {
    const obs = toObservations(withReadings([bp({ pulse: 72 })]));
    expect(obs.map((o) => o.code.code)).toEqual(["85354-9", "8867-4"]);
    expect(obs[0]!.components.map((c) => c.code.code)).toEqual(["8480-6", "8462-4"]);
    expect(obs[1]!.components).toEqual([
      { code: expect.objectContaining({ code: "8867-4" }), value: 72, unit: "/min" },
    ]);
  });

  it("converts kPa to mmHg (760/101.325 per kPa, one decimal)", () => {
    const [obs] = toObservations(
      withReadings([bp({ unit: "kPa", systolic: 20, diastolic: 12, mean: 14.7 })]),
    );
    expect(obs!.components.map((c) => c.value)).toEqual([150, 90, 110.3]);
    expect(obs!.components.every((c) => c.unit === "mm[Hg]")).toBe(true);
  });

  it("codes nothing for a BP unit this build does not know (the raw reading still travels)", () => {
    expect(toObservations(withReadings([bp({ unit: "cmH2O" })]))).toEqual([]);
  });

  it.each([
    ["fasting", "14770-2"],
    ["postprandial", "14760-3"],
    ["random", "14743-9"],
    ["bedtime", "14743-9"],
  ])("codes a %s capillary glucose as %s in mmol/L", (sampleType, code) => {
    expect(glucoseCode(sampleType).code).toBe(code);
    const [obs] = toObservations(withReadings([glucose(sampleType, 7.2)]));
    expect(obs).toMatchObject({
      code: { code },
      components: [{ code: { code }, value: 7.2, unit: "mmol/L" }],
    });
  });

  it("keeps reading order and indexes", () => {
    const obs = toObservations(withReadings([glucose("fasting"), bp({ pulse: 60 }), bp()]));
    expect(obs.map((o) => [o.readingIndex, o.code.code])).toEqual([
      [0, "14770-2"],
      [1, "85354-9"],
      [1, "8867-4"],
      [2, "85354-9"],
    ]);
  });
});

describe("buildRecordMessage", () => {
  it("builds a contract-valid message carrying the record and its observations", () => {
    const record = withReadings([bp({ pulse: 70 }), glucose("random")]);
    const msg = buildRecordMessage(record, { county: "demo-county", now: new Date(Date.parse(at)) });
    expect(RecordMessage.parse(msg)).toEqual(msg);
    expect(msg).toMatchObject({
      v: 1,
      type: "checkup-record",
      county: "demo-county",
      stationId: "st-test-01",
    });
    expect(msg.sentAt).toBe("2024-05-01T02:00:00.000Z");
    expect(msg.record.id).toBe(record.id);
    expect(msg.observations).toHaveLength(3);
  });

  it("throws rather than send a message that breaks the contract", () => {
    const record = { ...makeRecord({ seq: 1 }), stationId: "Not A Segment" };
    expect(() => buildRecordMessage(record, { county: "demo-county", now: new Date() })).toThrow();
  });
});
