import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHex } from "../../../drivers/ble/bytes.js";
import {
  decodeBpMeasurement,
  decodeIntermediateCuffPressure,
  encodeBpMeasurement,
  encodeIntermediateCuffPressure,
} from "../../../drivers/bp/bpm-codec.js";

/** Minimal 0x2A35: mmHg, no optional fields. */
const MINIMAL = parseHex(
  [
    "00", // flags: mmHg, no timestamp, pulse, user id or status
    "79 00", // systolic SFLOAT e=0 m=121
    "51 00", // diastolic 81
    "5d 00", // mean arterial pressure 93
  ].join(""),
);

/** Every optional field present, in kPa with a negative exponent. */
const FULL_KPA = parseHex(
  [
    "1f", // flags: kPa | timestamp | pulse | user id | status
    "a0 f0", // systolic e=-1 (0xF) m=160 → 16.0 kPa
    "6c f0", // diastolic e=-1 m=108 → 10.8 kPa
    "78 f0", // MAP e=-1 m=120 → 12.0 kPa
    "ea 07", // year 2026 (uint16 LE)
    "03", // month March
    "01", // day 1
    "08 1e 00", // 08:30:00
    "48 00", // pulse 72 /min
    "01", // user id 1
    "06 00", // status: bit1 cuff loose, bit2 irregular pulse
  ].join(""),
);

describe("0x2A35 decode", () => {
  it("minimal mmHg measurement", () => {
    const r = decodeBpMeasurement(MINIMAL);
    expect(r).toEqual({
      ok: true,
      value: {
        unit: "mmHg",
        systolic: { kind: "value", value: 121 },
        diastolic: { kind: "value", value: 81 },
        mean: { kind: "value", value: 93 },
        timestamp: null,
        pulse: null,
        userId: null,
        status: null,
      },
    });
  });

  it("every optional field, kPa", () => {
    const r = decodeBpMeasurement(FULL_KPA);
    if (!r.ok) throw new Error(r.error.message);
    const m = r.value;
    expect(m.unit).toBe("kPa");
    expect(m.systolic).toEqual({ kind: "value", value: 16 });
    expect(m.diastolic).toEqual({ kind: "value", value: 10.8 });
    expect(m.mean).toEqual({ kind: "value", value: 12 });
    expect(m.timestamp).toEqual({ year: 2026, month: 3, day: 1, hours: 8, minutes: 30, seconds: 0 });
    expect(m.pulse).toEqual({ kind: "value", value: 72 });
    expect(m.userId).toBe(1);
    expect(m.status).toEqual({
      bodyMovement: false,
      cuffLoose: true,
      irregularPulse: true,
      pulseRange: "within",
      improperPosition: false,
      raw: 0x0006,
    });
  });

  it.each([
    [0x0001, { bodyMovement: true }],
    [0x0008, { pulseRange: "above-upper" }],
    [0x0010, { pulseRange: "below-lower" }],
    [0x0018, { pulseRange: "reserved" }],
    [0x0020, { improperPosition: true }],
  ])("status word 0x%s", (word, expected) => {
    const r = decodeBpMeasurement(
      encodeBpMeasurement({ unit: "mmHg", systolic: 120, diastolic: 80, mean: 93, status: word }),
    );
    expect(r.ok && r.value.status).toMatchObject(expected);
  });

  it("user id 255 means unknown user", () => {
    const bytes = parseHex("08 78 00 50 00 5d 00 ff"); // flags user-id only; 120/80/93; user 255
    const r = decodeBpMeasurement(bytes);
    expect(r.ok && r.value.userId).toBeNull();
  });

  it("a timestamp flag without the bytes is a typed 'truncated' error", () => {
    const r = decodeBpMeasurement(parseHex("02 78 00 50 00 5d 00 ea 07")); // flags timestamp; 2 of 7 bytes
    expect(r).toMatchObject({ ok: false, error: { code: "truncated" } });
  });

  it("empty input is truncated, not a throw", () => {
    expect(decodeBpMeasurement(new Uint8Array())).toMatchObject({ ok: false, error: { code: "truncated" } });
  });

  it("the encoder reproduces the fixture byte for byte", () => {
    const bytes = encodeBpMeasurement({
      unit: "kPa",
      systolic: { raw: 0xf0a0 },
      diastolic: { raw: 0xf06c },
      mean: { raw: 0xf078 },
      timestamp: { year: 2026, month: 3, day: 1, hours: 8, minutes: 30, seconds: 0 },
      pulse: 72,
      userId: 1,
      status: 0x0006,
    });
    expect(bytes).toEqual(FULL_KPA);
  });
});

describe("0x2A36 intermediate cuff pressure", () => {
  it("carries the cuff pressure in the systolic slot, NaN in the others", () => {
    const bytes = encodeIntermediateCuffPressure(150);
    expect([...bytes]).toEqual([0x00, 0x96, 0x00, 0xff, 0x07, 0xff, 0x07]); // flags, 150, NaN, NaN
    const r = decodeIntermediateCuffPressure(bytes);
    expect(r.ok && r.value.cuffPressure).toEqual({ kind: "value", value: 150 });
  });
});

describe("0x2A35 fuzz", () => {
  it("random bytes never throw; the result is ok or a typed error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const r = decodeBpMeasurement(bytes);
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) expect(r.error.code).toBe("truncated");
        expect(typeof decodeIntermediateCuffPressure(bytes).ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  it("mutating one byte of a valid value never throws", () => {
    fc.assert(
      fc.property(
        fc.nat(FULL_KPA.length - 1),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(FULL_KPA.length),
        (i, b, cut) => {
          const m = FULL_KPA.slice(0, cut);
          if (i < m.length) m[i] = b;
          expect(typeof decodeBpMeasurement(m).ok).toBe("boolean");
        },
      ),
      { numRuns: 2000 },
    );
  });
});
