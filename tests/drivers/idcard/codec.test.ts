import { describe, expect, it } from "vitest";
import {
  decodeFrame,
  encodeCommand,
  encodeFrame,
  encodeResponse,
  parseResponse,
  scanFrame,
  xorChecksum,
} from "../../../drivers/idcard/codec.js";
import {
  CARD_FOUND_RSP,
  FIND_CMD,
  FIND_FAILED_RSP,
  OK_RSP,
  OK_RSP_BAD_CHK,
  SAM_STATUS_CMD,
} from "./fixtures.js";

describe("SAM frame codec", () => {
  it("fixture checksums are the XOR of LEN and payload", () => {
    for (const f of [FIND_CMD, SAM_STATUS_CMD, CARD_FOUND_RSP, FIND_FAILED_RSP, OK_RSP])
      expect(f[f.length - 1]).toBe(xorChecksum(f, 5, f.length - 1));
    expect(OK_RSP_BAD_CHK[OK_RSP_BAD_CHK.length - 1]).not.toBe(xorChecksum(OK_RSP_BAD_CHK, 5, 11));
  });

  it("encodes commands byte for byte", () => {
    expect(encodeCommand("find")).toEqual(FIND_CMD);
    expect(encodeCommand("samStatus")).toEqual(SAM_STATUS_CMD);
    expect(encodeCommand("read").subarray(7, 9)).toEqual(Buffer.from([0x30, 0x01]));
    expect(encodeCommand("select").subarray(7, 9)).toEqual(Buffer.from([0x20, 0x02]));
    expect(encodeCommand("reset").subarray(7, 9)).toEqual(Buffer.from([0x10, 0xff]));
    expect(encodeCommand("samId").subarray(7, 9)).toEqual(Buffer.from([0x12, 0xff]));
  });

  it("encodes responses and the length big-endian, counting CHK", () => {
    expect(encodeResponse(0x9f)).toEqual(CARD_FOUND_RSP);
    const big = encodeFrame(Buffer.alloc(0x0507, 1));
    expect(big.subarray(5, 7)).toEqual(Buffer.from([0x05, 0x08]));
    expect(big.length).toBe(7 + 0x0508);
  });

  it("parses SW1-SW3 and data", () => {
    const r = parseResponse(decodeFrame(encodeResponse(0x90, Buffer.from([1, 2]))));
    expect(r).toEqual({ sw1: 0, sw2: 0, sw3: 0x90, data: Buffer.from([1, 2]) });
    expect(() => parseResponse(Buffer.from([0x00]))).toThrow(/SW1 SW2 SW3/);
  });

  it("scanFrame: frame, need-more, garbage, bad checksum", () => {
    expect(scanFrame(OK_RSP)).toEqual({ kind: "frame", frame: Buffer.from([0, 0, 0x90]), consumed: 11 });
    expect(scanFrame(OK_RSP.subarray(0, 8))).toEqual({ kind: "need-more" });
    // A trailing partial preamble is kept, everything before it dropped.
    const g = scanFrame(Buffer.from([0x01, 0x02, 0xaa, 0xaa]));
    expect(g).toMatchObject({ kind: "skip", consumed: 2, bad: { reason: "garbage" } });
    expect(scanFrame(OK_RSP_BAD_CHK)).toMatchObject({
      kind: "skip",
      consumed: 1,
      bad: { reason: "bad-checksum" },
    });
    const hugeLen = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff]);
    expect(scanFrame(hugeLen)).toMatchObject({ kind: "skip", bad: { reason: "length-out-of-range" } });
  });

  it("decodeFrame explains what is wrong", () => {
    expect(() => decodeFrame(OK_RSP_BAD_CHK)).toThrow(/bad checksum: frame has 0x95, computed 0x94/);
    expect(() => decodeFrame(Buffer.concat([OK_RSP, Buffer.from([0])]))).toThrow(/length field says 4/);
    expect(() => decodeFrame(Buffer.from("0102030405060708090a", "hex"))).toThrow(/preamble/);
  });
});
