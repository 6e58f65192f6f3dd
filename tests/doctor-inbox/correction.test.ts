// The correction builder: a rejected record becomes a NEW record (v3) naming the one it
// supersedes; only the values the rejection is about may change; readings are checked.
import { describe, expect, it } from "vitest";
import {
  buildCorrection,
  type CorrectionContext,
  correctableFields,
} from "../../station/doctor-inbox/correction.js";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { CheckupRecord as RecordSchema } from "../../station/domain/schema.js";
import { StationError } from "../../station/util/errors.js";
import { idNumber, makeRecord, rejectedSync } from "../storage/fixtures/records.js";

const NOW = Date.parse("2026-11-30T09:00:00Z");
const NEW_ID = "019ad3f0-0000-7000-8000-000000000001";
const assessed = {
  bp: null,
  glucose: null,
  referral: { urgent: false, reasons: [] },
  adviceKeys: ["x"],
  followUpDue: null,
  policyVersion: "p",
};
const ctx = (over: Partial<CorrectionContext> = {}): CorrectionContext => ({
  id: NEW_ID,
  doctorId: "dr-wang",
  stationId: "st-test-01",
  seq: 99,
  nowMs: NOW,
  today: "2026-11-30",
  clockSuspect: false,
  assess: () => assessed,
  ...over,
});
/** A birth year in the future: the archive refuses the number ("id-number"). */
const FUTURE_ID = idNumber("20300101", 11);

function rejected(reason: string, o: { person?: string; systolic?: number } = {}): CheckupRecord {
  return { ...makeRecord({ seq: 5, sync: rejectedSync(reason), ...o }), assessment: assessed };
}
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StationError) return e.code;
    throw e;
  }
  throw new Error("not refused");
}

describe("correctableFields", () => {
  it("maps the archive's reject codes to the values they are about", () => {
    expect(correctableFields("id-number")).toEqual(["idNumber"]);
    expect(correctableFields("schema")).toEqual(["name", "readings"]);
    expect(correctableFields("record-invalid")).toEqual(["idNumber", "name", "readings"]);
    expect(correctableFields("topic-mismatch")).toEqual([]);
    expect(correctableFields("too-large")).toEqual([]);
  });
});

describe("buildCorrection", () => {
  it("drops what the card said when the number changes, and reads a lower-case x as X", () => {
    const original = {
      ...rejected("id-number: bad", { person: FUTURE_ID }),
      person: {
        ...rejected("x", { person: FUTURE_ID }).person,
        card: { issuer: "某县公安局", address: "某村" },
      },
    };
    const withX = idNumber("19310101", 49); // its check character is X
    const r = buildCorrection(
      original,
      { recordId: original.id, reason: "wrong-card", idNumber: withX },
      ctx(),
    );
    expect(r.person.card).toBeUndefined();
    expect(r.person.source).toBe("manual");
    expect(withX.endsWith("X")).toBe(true);
    const same = { ...original, person: { ...original.person, idNumber: withX } };
    const lower = withX.replace("X", "x");
    expect(
      refusal(() =>
        buildCorrection(same, { recordId: same.id, reason: "typing-error", idNumber: lower }, ctx()),
      ),
    ).toBe("nothing-changed");
  });

  it("makes a v3 record with a new id that supersedes the rejected one, the doctor as operator", () => {
    const original = rejected("id-number: 身份证号码无效", { person: FUTURE_ID });
    const fixed = idNumber("19300101", 11);
    const r = buildCorrection(
      original,
      { recordId: original.id, reason: "typing-error", idNumber: fixed },
      ctx(),
    );
    expect(r.id).toBe(NEW_ID);
    expect(r.id).not.toBe(original.id);
    expect(r.schemaVersion).toBe(3);
    expect(r.correction).toEqual({
      supersedes: original.id,
      doctorId: "dr-wang",
      reason: "typing-error",
      rejectCode: "id-number",
      changed: ["idNumber"],
    });
    expect(r.operator).toEqual({ kind: "doctor", doctorId: "dr-wang" });
    expect(r.person).toMatchObject({
      idNumber: fixed,
      birthDate: "1930-01-01",
      sex: "male",
      source: "manual",
    });
    expect(r.sync.status).toBe("pending");
    expect(r.seq).toBe(99);
    expect(r.readings).toEqual(original.readings);
    // The stored form passes the same validation as every record.
    expect(RecordSchema.safeParse(r).success).toBe(true);
    // The original object is untouched.
    expect(original.person.idNumber).toBe(FUTURE_ID);
    expect(original.sync.status).toBe("rejected");
  });

  it("refuses to change a value the rejection is not about", () => {
    const original = rejected("id-number: bad", { person: FUTURE_ID });
    const req = { recordId: original.id, reason: "typing-error" as const, name: "李四" };
    expect(refusal(() => buildCorrection(original, req, ctx()))).toBe("correction-not-allowed");
    const bp = {
      recordId: original.id,
      reason: "device-error" as const,
      readings: [{ index: 0, systolic: 130, diastolic: 80, pulse: 70 }],
    };
    expect(refusal(() => buildCorrection(original, bp, ctx()))).toBe("correction-not-allowed");
  });

  it("checks corrected readings like manual entry and recomputes the assessment", () => {
    const original = rejected("record-invalid: readings", { systolic: 128 });
    const bad = {
      recordId: original.id,
      reason: "device-error" as const,
      readings: [{ index: 0, systolic: 80, diastolic: 95, pulse: 70 }],
    };
    expect(refusal(() => buildCorrection(original, bad, ctx()))).toBe("reading-implausible");
    const huge = {
      recordId: original.id,
      reason: "device-error" as const,
      readings: [{ index: 0, systolic: 400, diastolic: 95, pulse: 70 }],
    };
    expect(refusal(() => buildCorrection(original, huge, ctx()))).toBe("reading-implausible");
    let seen: number | null = null;
    const good = {
      recordId: original.id,
      reason: "device-error" as const,
      readings: [{ index: 0, systolic: 148, diastolic: 92, pulse: 70 }],
    };
    const r = buildCorrection(
      original,
      good,
      ctx({
        assess: (rs) => {
          seen = rs[0]?.kind === "bp" ? rs[0].systolic : null;
          return assessed;
        },
      }),
    );
    expect(seen).toBe(148);
    expect(r.readings[0]).toMatchObject({ kind: "bp", systolic: 148, diastolic: 92, source: "manual" });
    expect(r.correction.changed).toEqual(["readings.0"]);
  });

  it("refuses a record that was not rejected, an invalid number, and a correction that changes nothing", () => {
    const pending = { ...makeRecord({ seq: 1 }), assessment: assessed };
    expect(
      refusal(() => buildCorrection(pending, { recordId: pending.id, reason: "other", name: "王五" }, ctx())),
    ).toBe("not-rejected");
    const original = rejected("id-number: bad", { person: FUTURE_ID });
    expect(
      refusal(() =>
        buildCorrection(
          original,
          { recordId: original.id, reason: "typing-error", idNumber: "510104193001010110" },
          ctx(),
        ),
      ),
    ).toBe("id-number-invalid");
    // Still in the future: the archive would refuse it again.
    expect(
      refusal(() =>
        buildCorrection(
          original,
          { recordId: original.id, reason: "typing-error", idNumber: idNumber("20280101", 11) },
          ctx(),
        ),
      ),
    ).toBe("id-number-invalid");
    expect(
      refusal(() =>
        buildCorrection(
          original,
          { recordId: original.id, reason: "typing-error", idNumber: FUTURE_ID },
          ctx(),
        ),
      ),
    ).toBe("nothing-changed");
  });
});

describe("buildCorrection judges a corrected birth date like a card tap", () => {
  const original = rejected("id-number: bad", { person: FUTURE_ID });
  const fix = (id: string, over: Partial<CorrectionContext> = {}) =>
    buildCorrection(original, { recordId: original.id, reason: "typing-error", idNumber: id }, ctx(over));

  it("accepts a birth date of today and refuses tomorrow, saying why", () => {
    expect(fix(idNumber("20261130", 11)).person.birthDate).toBe("2026-11-30");
    let message = "";
    try {
      fix(idNumber("20261201", 11));
    } catch (e) {
      if (e instanceof StationError) message = `${e.code}: ${e.message}`;
    }
    expect(message).toBe(
      "id-number-invalid: 身份证号码无效：出生日期晚于今天 / invalid ID number: the birth date is after today",
    );
  });

  it("does not refuse on the date alone when the clock is suspect", () => {
    expect(fix(idNumber("20261201", 11), { clockSuspect: true }).person.birthDate).toBe("2026-12-01");
  });
});
