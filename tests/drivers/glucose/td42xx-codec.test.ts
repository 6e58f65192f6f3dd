import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHex } from "../../../drivers/ble/bytes.js";
import {
  decodeTd42xxFrame,
  decodeTdDateTime,
  decodeTdModel,
  decodeTdRecordValue,
  encodeTd42xxFrame,
  encodeTdDateTime,
  scanTd42xxFrames,
  TD_CMD,
  td42xxChecksum,
  tdMealToSampleType,
  tdSelectRecord,
} from "../../../drivers/glucose/td42xx-codec.js";
import { decodeTd42xxHex } from "../../../drivers/glucose/td42xx-decode.js";
import { StationError } from "../../../station/util/errors.js";
import { FX } from "./td42xx-fixtures.js";

describe("TD-42xx frames", () => {
  it("checksum is the low byte of the sum of the first seven bytes", () => {
    for (const f of Object.values(FX)) expect(td42xxChecksum(f)).toBe(f[7]);
  });

  it("encodes host commands exactly", () => {
    expect(encodeTd42xxFrame(TD_CMD.readingCount)).toEqual(FX.hostCount);
    expect(encodeTd42xxFrame(TD_CMD.powerOff)).toEqual(FX.hostPowerOff);
    expect(encodeTd42xxFrame(TD_CMD.recordValue, tdSelectRecord(0x0102))).toEqual(
      parseHex("51 26 02 01 00 00 a3 1d"), // index 0x0102 LE; chk (51+26+02+01+A3) & FF = 1D
    );
  });

  it("decodes a meter reply", () => {
    expect(decodeTd42xxFrame(FX.meterCount3)).toEqual({
      ok: true,
      value: { cmd: 0x2b, data: Uint8Array.of(3, 0, 0, 0), dir: "meter" },
    });
  });

  it.each([
    ["bad-length", FX.meterModel.subarray(0, 7)],
    ["bad-start", parseHex("50 24 77 42 00 00 a5 d2")],
    ["bad-direction", parseHex("51 24 77 42 00 00 a4 d2")],
    ["bad-checksum", parseHex("51 24 77 42 00 00 a5 d4")],
  ])("%s is a typed error", (code, bytes) => {
    expect(decodeTd42xxFrame(bytes)).toMatchObject({ ok: false, error: { code } });
  });
});

describe("TD-42xx payloads", () => {
  it("date word: year 7 bits, month 4, day 5; then minute, hour", () => {
    const f = decodeTd42xxFrame(FX.meterTime);
    if (!f.ok) throw new Error(f.error.message);
    expect(decodeTdDateTime(f.value.data)).toEqual({
      year: 2026,
      month: 3,
      day: 1,
      hours: 8,
      minutes: 30,
      seconds: 0,
    });
    expect(encodeTdDateTime({ year: 2026, month: 3, day: 1, hours: 8, minutes: 30, seconds: 0 })).toEqual(
      f.value.data,
    );
  });

  it("model is BCD", () => {
    expect(decodeTdModel(FX.meterModel.subarray(2, 6))).toBe("TD-4277");
  });

  it.each([
    [0x00, "none", "unknown"],
    [0x40, "before", "random"],
    [0x80, "after", "postprandial"],
    [0xc0, "unknown", "unknown"],
  ])("meal flag %s → %s → sampleType %s", (flag, meal, sampleType) => {
    const v = decodeTdRecordValue(Uint8Array.of(0x63, 0x00, 0x06, flag));
    expect(v).toMatchObject({ mgdl: 99, meal, mealRaw: flag });
    expect(tdMealToSampleType(v.meal)).toBe(sampleType);
  });
});

describe("scan and decodeTd42xxHex", () => {
  it("finds frames after garbage and skips a corrupt candidate one byte at a time", () => {
    // ff 00 garbage; 51 ... bad checksum (candidate dropped); then a valid frame.
    const bad = Uint8Array.from(FX.meterCount3);
    bad[7] = 0x25;
    const buf = Uint8Array.from([0xff, 0x00, ...bad, ...FX.meterModel, 0x51, 0x24]);
    const r = scanTd42xxFrames(buf);
    expect(r.frames.map((f) => f.cmd)).toEqual([0x24]);
    expect(r.badFrames).toBe(1);
    expect([...r.rest]).toEqual([0x51, 0x24]);
  });

  it("decodeTd42xxHex explains each frame", () => {
    const j = decodeTd42xxHex("51 26 63 00 06 40 a5 c5 51 2b 03 00 00 00 a5 24") as {
      frames: Array<{ command: string; meaning: unknown }>;
    };
    expect(j.frames).toEqual([
      expect.objectContaining({
        command: "recordValue",
        meaning: expect.objectContaining({ mgdl: 99, meal: "before", mmolL: 5.5, sampleType: "random" }),
      }),
      expect.objectContaining({ command: "readingCount", meaning: { count: 3 } }),
    ]);
  });

  it("decodeTd42xxHex throws when nothing valid is found", () => {
    expect(() => decodeTd42xxHex("51 24 77 42 00 00 a5 d4")).toThrow(StationError);
    expect(() => decodeTd42xxHex("51 24 77 42 00 00 a5 d4")).toThrow(/checksum/);
  });

  it("fuzz: random bytes never throw, rest stays under one frame", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const r = scanTd42xxFrames(b);
        expect(r.rest.length).toBeLessThan(8);
        for (const f of r.frames) expect(f.data.length).toBe(4);
      }),
      { numRuns: 2000 },
    );
  });
});
