import { describe, expect, it } from "vitest";
import { encodeResponse } from "../../../drivers/idcard/codec.js";
import { decodeIdCardFrame, decodeIdcardHex } from "../../../drivers/idcard/decode.js";
import { encodeTextBlock } from "../../../drivers/idcard/text.js";
import { StationError } from "../../../station/util/errors.js";
import { WOMAN_ID } from "./fixtures.js";

describe("decodeIdcardHex (CLI)", () => {
  it("decodes a command frame written with spaces", () => {
    expect(decodeIdcardHex("AA AA AA 96 69 00 03 20 01 22")).toEqual({
      kind: "command",
      command: "find",
      cmd: 0x20,
      para: 0x01,
    });
  });

  it("decodes a status response", () => {
    expect(decodeIdcardHex("aaaaaa9669000400009f9b")).toMatchObject({
      kind: "response",
      sw3: 0x9f,
      status: { code: "card-found", ok: true },
    });
  });

  it("decodes a full read response, including the checks", () => {
    const text = encodeTextBlock({
      name: "张秀英",
      genderCode: "2",
      nationCode: "01",
      birthDate: "1949-12-31",
      address: "演示地址",
      idNumber: WOMAN_ID,
      issuer: "演示公安局",
      validFrom: "2015-06-01",
      validTo: "2025-06-01",
    });
    const frame = encodeResponse(0x90, Buffer.concat([Buffer.from([1, 0, 4, 0]), text, Buffer.alloc(1024)]));
    const out = decodeIdCardFrame(frame, "2026-01-01");
    expect(out).toMatchObject({
      kind: "response",
      card: { name: "张秀英", nation: "汉", validTo: "2025-06-01" },
      photoBytes: 1024,
      checks: { ok: false, fault: { code: "card-expired" } },
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it("throws StationError with a clear message on bad input", () => {
    expect(() => decodeIdcardHex("zz")).toThrow(StationError);
    expect(() => decodeIdcardHex("zz")).toThrow(/expected hex bytes/);
    expect(() => decodeIdcardHex("aaaaaa9669000400009f9c")).toThrow(/bad checksum/);
  });
});
