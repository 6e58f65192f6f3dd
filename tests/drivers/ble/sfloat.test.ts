import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSfloat, encodeSfloat, sfloatNumber } from "../../../drivers/ble/sfloat.js";

describe("SFLOAT decode", () => {
  it.each([
    [0x0078, 120], // e=0, m=120
    [0xf0a0, 16], // e=-1 (0xF), m=160 → 16.0 (kPa systolic)
    [0xf037, 5.5], // e=-1, m=55
    [0xe0c8, 2], // e=-2, m=200 → 2.00
    [0x100c, 120], // e=+1, m=12
    [0x0fff, -1], // e=0, m=-1 (0xFFF sign-extended)
    [0xffff, -0.1], // e=-1, m=-1
    [0x0000, 0],
    [0x87fd, 2045e-8], // e=-8, largest non-special mantissa
  ])("0x%s → %s", (raw, value) => {
    expect(decodeSfloat(raw)).toEqual({ kind: "value", value });
  });

  it("sign-extends the exponent: the kPa case a careless parser reads as 160e15", () => {
    // 0xF0A0: exponent nibble F = -1, not +15.
    const v = sfloatNumber(decodeSfloat(0xf0a0));
    expect(v).toBe(16);
    expect(v).toBeLessThan(1000);
  });

  it.each([
    [0x07ff, "nan"],
    [0x0800, "nres"],
    [0x07fe, "+inf"],
    [0x0802, "-inf"],
    [0x0801, "reserved"],
  ])("special 0x%s → %s", (raw, special) => {
    expect(decodeSfloat(raw)).toEqual({ kind: "special", special });
    expect(sfloatNumber(decodeSfloat(raw))).toBeNull();
  });
});

describe("SFLOAT encode", () => {
  it("prefers exponent 0 for integers and chooses a negative exponent for decimals", () => {
    expect(encodeSfloat(120)).toBe(0x0078);
    expect(encodeSfloat(5.5)).toBe(0xf037);
    expect(encodeSfloat(-1)).toBe(0x0fff);
  });

  it("honours an explicit exponent (a cuff reporting 0.1 kPa steps)", () => {
    expect(encodeSfloat(16, -1)).toBe(0xf0a0);
    expect(() => encodeSfloat(300, -1)).toThrow(RangeError);
  });

  it("encodes NaN and ±Infinity as the special words", () => {
    expect(encodeSfloat(Number.NaN)).toBe(0x07ff);
    expect(encodeSfloat(Number.POSITIVE_INFINITY)).toBe(0x07fe);
    expect(encodeSfloat(Number.NEGATIVE_INFINITY)).toBe(0x0802);
  });

  it("round-trips every representable mantissa/exponent pair", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2045, max: 2045 }), fc.integer({ min: -8, max: 7 }), (m, e) => {
        const value = e < 0 ? m / 10 ** -e : m * 10 ** e;
        const back = sfloatNumber(decodeSfloat(encodeSfloat(value)));
        expect(back).not.toBeNull();
        expect(Math.abs((back as number) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-9);
      }),
    );
  });

  it("decodes any 16-bit word without throwing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (w) => {
        const s = decodeSfloat(w);
        expect(s.kind === "special" || Number.isFinite(s.value)).toBe(true);
      }),
    );
  });
});
