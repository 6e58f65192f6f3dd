import { describe, expect, it } from "vitest";
import { CheckupRecord } from "../../station/domain/schema.js";
import { localDate, localDateTime } from "../../station/runtime/clock.js";
import { buildRecord, CLOCK_FLOOR, clockSuspect } from "../../station/workflow/record.js";
import { buildSlip } from "../../station/workflow/slip.js";
import type { Session } from "../../station/workflow/types.js";
import { toView } from "../../station/workflow/view.js";
import { bp, fakeAssess, glucose, PERSON, RECORD_ID, ROSTER } from "./fixtures.js";

const session: Session = {
  recordId: RECORD_ID,
  person: { ...PERSON, card: { address: "演示一村3组", validTo: null } },
  roster: ROSTER,
  age: 81,
  operator: { kind: "self" },
  startedAt: "2026-11-22T02:00:00.000Z",
  consentAt: "2026-11-22T02:00:10.000Z",
  bpReadings: [bp(152, 94), bp(146, 90)],
  glucose: { ...glucose(6.4), sampleType: "fasting" },
  sampleType: "fasting",
  assisted: null,
};
const outcome = fakeAssess()(session);

describe("buildRecord", () => {
  it("produces a valid pending record with every reading and the consent", () => {
    const r = buildRecord(session, outcome, {
      stationId: "s-1",
      seq: 7,
      createdAt: "2026-11-22T02:01:00.000Z",
      clockSuspect: false,
    });
    expect(CheckupRecord.safeParse(r).success).toBe(true);
    expect(r.readings.map((x) => x.kind)).toEqual(["bp", "bp", "glucose"]);
    expect(r.consent).toEqual({ given: true, at: "2026-11-22T02:00:10.000Z", method: "touch" });
    expect(r.sync.status).toBe("pending");
    expect(r.id).toBe(RECORD_ID);
  });
});

describe("clock suspicion", () => {
  it("flags a clock before the floor or well behind the last record", () => {
    expect(clockSuspect(Date.parse("1970-01-01T00:00:10Z"), null)).toBe(true);
    expect(clockSuspect(CLOCK_FLOOR + 1, null)).toBe(false);
    const last = Date.parse("2026-11-22T02:00:00Z");
    expect(clockSuspect(last - 120_000, last)).toBe(true);
    expect(clockSuspect(last - 30_000, last)).toBe(false);
  });
  it("uses the station's local day, not UTC", () => {
    const ms = Date.parse("2026-11-22T17:30:00Z"); // 01:30 on the 23rd in Beijing
    expect(localDate(ms, "Asia/Shanghai")).toBe("2026-11-23");
    expect(localDateTime(ms, "Asia/Shanghai")).toBe("2026-11-23 01:30");
  });
});

describe("slip", () => {
  const slip = buildSlip(session, outcome, {
    clinicName: "测试卫生室",
    stationId: "s-1",
    localTime: "2026-11-22 10:01",
    doctor: { name: "赵医生", phone: "0000" },
  });
  const text = slip.lines.map((l) => l.text).join("\n");
  it("carries the masked name, readings, doctor and record id as QR, never the ID number or address", () => {
    expect(text).toContain("杨*花");
    expect(text).toContain("血压 146/90 mmHg");
    expect(text).toContain("空腹");
    // Verdict words, not a diagnosis from one visit.
    expect(text).toContain("偏高");
    expect(text).not.toMatch(/级高血压|糖尿病/);
    expect(text).toContain("赵医生 0000");
    expect(slip.qr).toBe(RECORD_ID);
    expect(text).not.toContain(PERSON.idNumber);
    expect(text).not.toContain("杨金花");
    expect(text).not.toContain("演示一村3组");
  });
});

describe("view", () => {
  it("shows the person masked and whether the free check-up applies", () => {
    const v = toView({ step: "consent", session }, { glucoseSkippable: true });
    expect(v).toEqual({
      step: "consent",
      person: {
        name: "杨*花",
        maskedId: "5101**********3797",
        sex: "male",
        age: 81,
        categories: ["registered-poor", "hypertension"],
        onRoster: true,
        freeCheckup: true,
        doctor: { name: "赵医生", phone: "0000" },
        assisted: false,
      },
    });
  });
  it("says when a signed-in doctor runs the check-up, so the console shows its buttons", () => {
    const assisted = { doctorId: "dr-wang", idEntryReason: null, dangerSymptoms: [], manualReadings: [] };
    const v = toView({ step: "consent", session: { ...session, assisted } }, { glucoseSkippable: true });
    expect(v.step === "consent" && v.person.assisted).toBe(true);
  });
  it("a person under 65 who is not on the roster is not offered a free check-up", () => {
    const v = toView(
      { step: "identified", session: { ...session, roster: null, age: 40 }, notice: null },
      { glucoseSkippable: true },
    );
    expect(v.step === "identified" && v.person.freeCheckup).toBe(false);
  });
});
