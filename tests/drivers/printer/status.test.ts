import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  conditionFault,
  dleEot,
  interpretStatus,
  isStatusByte,
  StatusByteParser,
} from "../../../drivers/printer/status.js";
import type { BadFrame } from "../../../drivers/serial/frame-parser.js";

describe("DLE EOT real-time status", () => {
  it("request bytes are 10 04 n", () => {
    expect([...dleEot(4)]).toEqual([0x10, 0x04, 0x04]);
  });

  it("recognises status bytes by their fixed bits (bit 1, 4 on; 0, 7 off)", () => {
    expect(isStatusByte(0x12)).toBe(true); // idle, online
    expect(isStatusByte(0x1a)).toBe(true); // offline
    expect(isStatusByte(0x72)).toBe(true); // paper end (n=4 bits 5,6)
    expect(isStatusByte(0x13)).toBe(false); // bit 0 set
    expect(isStatusByte(0x92)).toBe(false); // bit 7 set
    expect(isStatusByte(0x02)).toBe(false); // bit 4 clear
  });

  it("maps bits to conditions and one fault code", () => {
    const ok = interpretStatus(0x12, 0x12, 0x12);
    expect(conditionFault(ok)).toBeUndefined();
    // n=1 bit 3 offline; n=2 bit 5 paper-end stop; n=4 bits 5-6 paper end.
    expect(conditionFault(interpretStatus(0x1a, 0x32, 0x72))).toBe("paper-out");
    expect(conditionFault(interpretStatus(0x1a, 0x16, 0x12))).toBe("cover-open");
    expect(conditionFault(interpretStatus(0x1a, 0x12, 0x12))).toBe("printer-offline");
    expect(conditionFault(interpretStatus(0x12, 0x52, 0x12))).toBe("printer-offline"); // n=2 bit 6 error
    expect(interpretStatus(0x12, 0x12, 0x1e).paperNearEnd).toBe(true);
  });

  it("the parser passes status bytes and drops noise with a badFrame diagnostic", async () => {
    const p = new StatusByteParser();
    const got: number[] = [];
    const bad: string[] = [];
    p.on("data", (b: number) => got.push(b));
    p.on("badFrame", (b: BadFrame) => bad.push(b.reason));
    p.write(Buffer.from([0xff, 0x12, 0x00, 0x72]));
    p.end();
    await new Promise((r) => p.on("end", r));
    expect(got).toEqual([0x12, 0x72]);
    expect(bad).toEqual(["not-a-status-byte", "not-a-status-byte"]);
  });

  it("fuzz: never throws, never buffers, yields exactly the status-shaped bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (arr) => {
        const p = new StatusByteParser();
        const got: number[] = [];
        p.on("data", (b: number) => got.push(b));
        p.write(Buffer.from(arr));
        expect(p.buffered).toBe(0);
        expect(got).toEqual([...arr].filter(isStatusByte));
      }),
      { numRuns: 200 },
    );
  });
});
