import { describe, expect, it } from "vitest";
import { ByteReader, decodeWith, ok, parseHex, toHex, unwrapOrThrow } from "../../../drivers/ble/bytes.js";
import { StationError } from "../../../station/util/errors.js";

describe("parseHex", () => {
  it("accepts spaced, packed, 0x-prefixed and colon forms", () => {
    expect(toHex(parseHex("51 26 00"))).toBe("51 26 00");
    expect(toHex(parseHex("512600"))).toBe("51 26 00");
    expect(toHex(parseHex("0x51,0x26"))).toBe("51 26");
    expect(toHex(parseHex("51:26"))).toBe("51 26");
  });

  it.each(["", "5", "zz", "51 2"])("rejects %j with a StationError", (bad) => {
    expect(() => parseHex(bad)).toThrow(StationError);
  });
});

describe("ByteReader / decodeWith", () => {
  it("reads little-endian and signed values", () => {
    const r = new ByteReader(Uint8Array.of(0x34, 0x12, 0xf6, 0xff));
    expect(r.u16()).toBe(0x1234);
    expect(r.i16()).toBe(-10);
    expect(r.remaining).toBe(0);
  });

  it("turns a short read into a typed 'truncated' error instead of throwing", () => {
    const res = decodeWith("thing", () => ok(new ByteReader(Uint8Array.of(1)).u16()));
    expect(res).toMatchObject({ ok: false, error: { code: "truncated" } });
    expect(() => unwrapOrThrow("thing", res)).toThrow(/thing: truncated/);
  });
});
