import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageOn,
  idCheckChar,
  maskIdNumber,
  maskName,
  normaliseIdNumber,
  parseIdNumber,
} from "../../station/domain/id-number.js";

// GB 11643-1999 §8.2 (ISO 7064 MOD 11-2). 11010519491231002X is the standard's own worked example.
describe("GB 11643 check character", () => {
  it.each([
    ["11010519491231002", "X"],
    ["44052418800101001", "4"], // by hand: weighted sum 195, 195 mod 11 = 8 → "4"
    ["51019919441221379", "7"], // by hand: weighted sum 324, 324 mod 11 = 5 → "7"
  ])("%s → %s", (first17, check) => {
    expect(idCheckChar(first17)).toBe(check);
  });

  it("accepts the standard's example and derives birth date and sex", () => {
    const r = parseIdNumber("11010519491231002X");
    expect(r).toEqual({
      ok: true,
      value: { idNumber: "11010519491231002X", regionCode: "110105", birthDate: "1949-12-31", sex: "female" },
    });
  });

  it("rejects a wrong check character", () => {
    expect(parseIdNumber("110105194912310021")).toEqual({ ok: false, error: "check-digit" });
  });

  it.each([
    ["1101051949123100", "format"],
    ["11010519491231002Y", "format"],
    ["01010519491231002X", "region"],
    ["110105194902300021", "birth-date"], // 30 February
    ["110105187912310021", "birth-date"], // before 1880
  ])("%s → %s", (id, error) => {
    expect(parseIdNumber(id)).toEqual({ ok: false, error });
  });

  it("rejects a birth date after today, as its own error (the clock may be what is wrong)", () => {
    const first17 = "11010520270101001";
    expect(parseIdNumber(first17 + idCheckChar(first17), "2026-11-22")).toEqual({
      ok: false,
      error: "birth-after-today",
    });
  });

  it("normalises lower-case x and full-width digits from a Chinese IME", () => {
    expect(normaliseIdNumber(" １１010519491231002x ")).toBe("11010519491231002X");
    expect(parseIdNumber("11010519491231002x").ok).toBe(true);
  });

  it("odd 17th digit is male, even is female", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), (seq) => {
        const first17 = `51019919500101${String(seq).padStart(3, "0")}`;
        const r = parseIdNumber(first17 + idCheckChar(first17));
        expect(r.ok && r.value.sex).toBe(seq % 2 === 1 ? "male" : "female");
      }),
    );
  });

  it("any single-digit change is detected by the check character", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = "11010519491231002X";
        const d = (Number(id[pos]) + delta) % 10;
        const mutated = id.slice(0, pos) + d + id.slice(pos + 1);
        const r = parseIdNumber(mutated);
        expect(r.ok).toBe(false);
      }),
    );
  });
});

describe("age and masking", () => {
  it("age turns on the birthday, not before", () => {
    expect(ageOn("1961-11-22", "2026-11-21")).toBe(64);
    expect(ageOn("1961-11-22", "2026-11-22")).toBe(65);
    expect(ageOn("1960-02-29", "2026-02-28")).toBe(65);
  });
  it("masks ID numbers and names for screens and slips", () => {
    expect(maskIdNumber("11010519491231002X")).toBe("1101**********002X");
    expect(maskName("张三丰")).toBe("张*丰");
    expect(maskName("李四")).toBe("李*");
    expect(maskName("欧阳娜娜")).toBe("欧**娜");
  });
});
