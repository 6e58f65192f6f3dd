import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idCheckChar } from "../../station/domain/id-number.js";
import {
  formatBp,
  formatGlucose,
  formatIsoDate,
  formatToday,
  groupIdNumber,
  idNumberProblem,
  secondsLeft,
} from "../../ui/src/format.js";

describe("formatters", () => {
  it("formats today's date in both languages", () => {
    const d = new Date(2025, 10, 22, 9, 30); // local time, a Saturday
    expect(formatToday(d, "zh")).toBe("2025年11月22日 星期六");
    expect(formatToday(d, "en")).toBe("Saturday, 22 November 2025");
  });

  it("formats calendar dates and passes anything else through", () => {
    expect(formatIsoDate("2026-02-05", "zh")).toBe("2026年2月5日");
    expect(formatIsoDate("2026-02-05", "en")).toBe("5 February 2026");
    expect(formatIsoDate("soon", "zh")).toBe("soon");
  });

  it("counts seconds down to a rest deadline, never below zero", () => {
    const now = Date.parse("2025-11-22T10:00:00+08:00");
    expect(secondsLeft("2025-11-22T10:00:30+08:00", now)).toBe(30);
    expect(secondsLeft("2025-11-22T10:00:00.200+08:00", now)).toBe(1);
    expect(secondsLeft("2025-11-22T09:59:00+08:00", now)).toBe(0);
    expect(secondsLeft(null, now)).toBe(0);
    expect(secondsLeft("garbage", now)).toBe(0);
  });

  it("rounds readings like the devices show them", () => {
    expect(formatBp(127.6, 82.2)).toBe("128/82");
    expect(formatGlucose(5.55)).toMatch(/^5\.[56]$/);
    expect(formatGlucose(7)).toBe("7.0");
  });

  it("groups an ID number 6-8-4 as it is typed", () => {
    expect(groupIdNumber("")).toBe("");
    expect(groupIdNumber("1101")).toBe("1101");
    expect(groupIdNumber("11010519491231002X")).toBe("110105 19491231 002X");
  });
});

describe("idNumberProblem (keypad pre-check)", () => {
  it("flags short or malformed input as a length problem", () => {
    expect(idNumberProblem("")).toBe("length");
    expect(idNumberProblem("11010519491231002")).toBe("length");
    expect(idNumberProblem("1101051949123100X2")).toBe("length");
  });

  it("agrees with the station's check character for any 17 digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        const check = idCheckChar(first17);
        expect(idNumberProblem(first17 + check)).toBeNull();
        const wrong = check === "0" ? "1" : "0";
        expect(idNumberProblem(first17 + wrong)).toBe("check");
      }),
    );
  });
});
