import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeSlip } from "../../../drivers/printer/escpos.js";
import { PrinterSimulator } from "../../../drivers/printer/simulator.js";

describe("PrinterSimulator byte parser fuzz", () => {
  it("random bytes never throw and pending stays within one GS ( k block", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 64 }), (arr, step) => {
        const sim = new PrinterSimulator();
        const buf = Buffer.from(arr);
        for (let i = 0; i < buf.length; i += step) sim.receive(buf.subarray(i, i + step));
        expect(sim.pendingBytes).toBeLessThanOrEqual(5 + 65535);
      }),
      { numRuns: 200 },
    );
  });

  it("a slip after noise that ends on a command boundary still prints", () => {
    // Printable noise (no control bytes) cannot open a multi-byte command, so the slip stays intact.
    const printable = fc
      .uint8Array({ maxLength: 200 })
      .map((a) => Buffer.from(a.map((b) => 0x20 + (b % 0x5f))));
    fc.assert(
      fc.property(printable, fc.string({ maxLength: 20 }), (noise, text) => {
        const sim = new PrinterSimulator();
        sim.receive(
          Buffer.concat([noise, Buffer.from([0x0a]), encodeSlip({ title: "标题", lines: [{ text }] })]),
        );
        expect(sim.cuts).toBe(1);
        expect(sim.text).toContain("标题");
      }),
      { numRuns: 200 },
    );
  });
});
