import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHex } from "../../../drivers/ble/bytes.js";
import { decodeRacpHex } from "../../../drivers/glucose/decode.js";
import { decodeRacp, racp } from "../../../drivers/glucose/racp.js";
import { StationError } from "../../../station/util/errors.js";

describe("RACP requests (station → meter)", () => {
  it.each([
    ["report last record", racp.reportLast(), "01 06"], // opcode 1 report, operator 6 last
    ["report all", racp.reportAll(), "01 01"], // opcode 1, operator 1 all
    ["count all", racp.count(), "04 01"], // opcode 4 report number, operator 1 all
    ["delete all", racp.deleteAll(), "02 01"], // opcode 2 delete, operator 1 all
    ["abort", racp.abort(), "03 00"], // opcode 3 abort, operator 0 null
    ["from sequence 5", racp.reportFromSequence(5), "01 03 01 05 00"], // ≥, filter 1 sequence, uint16 5
  ])("%s", (_, bytes, hex) => {
    expect(bytes).toEqual(parseHex(hex));
  });
});

describe("RACP responses (meter → station)", () => {
  it("number of stored records", () => {
    // opcode 5 count response, operator 0 null, operand uint16 LE 10
    expect(decodeRacp(parseHex("05 00 0a 00"))).toEqual({
      ok: true,
      value: { kind: "count-response", count: 10 },
    });
  });

  it.each([
    [1, "success", true],
    [2, "opcode-not-supported", false],
    [3, "invalid-operator", false],
    [4, "operator-not-supported", false],
    [5, "invalid-operand", false],
    [6, "no-records-found", false],
    [7, "abort-unsuccessful", false],
    [8, "procedure-not-completed", false],
    [9, "operand-not-supported", false],
    [0x20, null, false],
  ])("response code %s → %s", (code, name, success) => {
    // opcode 6 response code, operator 0, request opcode 1, response value
    const r = decodeRacp(Uint8Array.of(0x06, 0x00, 0x01, code));
    expect(r).toEqual({
      ok: true,
      value: { kind: "response-code", requestOpcode: 1, requestName: "report-records", code, name, success },
    });
  });

  it("reserved opcodes and short values are typed errors", () => {
    expect(decodeRacp(parseHex("07 00"))).toMatchObject({ ok: false, error: { code: "reserved-opcode" } });
    expect(decodeRacp(parseHex("05 00 0a"))).toMatchObject({ ok: false, error: { code: "truncated" } });
    expect(decodeRacp(parseHex("06"))).toMatchObject({ ok: false, error: { code: "truncated" } });
  });

  it("decodeRacpHex gives JSON, or a StationError", () => {
    expect(decodeRacpHex("01 06")).toEqual({
      characteristic: "0x2A52",
      message: {
        kind: "request",
        opcode: 1,
        opcodeName: "report-records",
        operator: 6,
        operatorName: "last",
        operand: "",
      },
    });
    expect(() => decodeRacpHex("00 00")).toThrow(StationError);
  });

  it("fuzz: never throws on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (b) => {
        expect(typeof decodeRacp(b).ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });
});
