/**
 * IEEE 11073-20601 16-bit SFLOAT, as used by the Bluetooth health profiles.
 * Top 4 bits: signed exponent; low 12 bits: signed mantissa; value = m × 10^e.
 * Public parsers that forget to sign-extend the exponent misread every kPa value
 * (e = -1 becomes +15), so both fields are sign-extended here.
 */

export type SfloatSpecial = "nan" | "nres" | "+inf" | "-inf" | "reserved";
export type Sfloat = { kind: "value"; value: number } | { kind: "special"; special: SfloatSpecial };

export const SFLOAT_NAN = 0x07ff;
export const SFLOAT_NRES = 0x0800;
export const SFLOAT_POS_INF = 0x07fe;
export const SFLOAT_NEG_INF = 0x0802;
export const SFLOAT_RESERVED = 0x0801;

const SPECIALS: ReadonlyMap<number, SfloatSpecial> = new Map([
  [SFLOAT_NAN, "nan"],
  [SFLOAT_NRES, "nres"],
  [SFLOAT_POS_INF, "+inf"],
  [SFLOAT_NEG_INF, "-inf"],
  [SFLOAT_RESERVED, "reserved"],
]);

/** Largest mantissa magnitude that cannot collide with a special value at exponent 0. */
const MAX_MANTISSA = 2045;

export function decodeSfloat(raw: number): Sfloat {
  const word = raw & 0xffff;
  const special = SPECIALS.get(word);
  if (special) return { kind: "special", special };
  let exponent = word >> 12;
  if (exponent >= 0x8) exponent -= 0x10;
  let mantissa = word & 0x0fff;
  if (mantissa >= 0x800) mantissa -= 0x1000;
  // Divide for negative exponents: 1200 / 10 is exact where 1200 * 0.1 is not.
  const value = exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent;
  return { kind: "value", value };
}

/** Numeric value or null for any special (NaN, NRes, ±INF, reserved). */
export function sfloatNumber(s: Sfloat): number | null {
  return s.kind === "value" ? s.value : null;
}

function pack(mantissa: number, exponent: number): number {
  return ((exponent & 0xf) << 12) | (mantissa & 0x0fff);
}

/**
 * Encodes a number. With `exponent` given, the mantissa is rounded to that scale (how a
 * device that reports 0.1 kPa steps would send it). Without, the exponent is chosen so the
 * value is exact where possible, preferring e = 0 for integers.
 */
export function encodeSfloat(value: number, exponent?: number): number {
  if (Number.isNaN(value)) return SFLOAT_NAN;
  if (value === Number.POSITIVE_INFINITY) return SFLOAT_POS_INF;
  if (value === Number.NEGATIVE_INFINITY) return SFLOAT_NEG_INF;
  const scaled = (e: number) => Math.round(e < 0 ? value * 10 ** -e : value / 10 ** e);
  if (exponent !== undefined) {
    if (!Number.isInteger(exponent) || exponent < -8 || exponent > 7)
      throw new RangeError(`SFLOAT exponent ${exponent} outside -8..7`);
    const m = scaled(exponent);
    if (Math.abs(m) > MAX_MANTISSA)
      throw new RangeError(`${value} does not fit SFLOAT at exponent ${exponent}`);
    return pack(m, exponent);
  }
  const exactOrder = [0, -1, -2, -3, -4, -5, -6, -7, -8, 1, 2, 3, 4, 5, 6, 7];
  for (const e of exactOrder) {
    const m = scaled(e);
    const back = e < 0 ? m / 10 ** -e : m * 10 ** e;
    if (Math.abs(m) <= MAX_MANTISSA && Math.abs(back - value) <= Math.abs(value) * 1e-12) return pack(m, e);
  }
  for (let e = -8; e <= 7; e++) {
    const m = scaled(e);
    if (Math.abs(m) <= MAX_MANTISSA) return pack(m, e);
  }
  throw new RangeError(`${value} is too large for SFLOAT`);
}
