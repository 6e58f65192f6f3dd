import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Td42xxFrame } from "../../../drivers/glucose/td42xx-codec.js";
import { Td42xxParser } from "../../../drivers/glucose/td42xx-parser.js";
import { FX } from "./td42xx-fixtures.js";

/** Writes chunks synchronously and collects the frames the parser pushed. */
function feed(
  chunks: Uint8Array[],
  parser = new Td42xxParser(),
): { frames: Td42xxFrame[]; parser: Td42xxParser } {
  const frames: Td42xxFrame[] = [];
  parser.on("data", (f: Td42xxFrame) => frames.push(f));
  for (const c of chunks) parser.write(Buffer.from(c));
  return { frames, parser };
}

describe("Td42xxParser", () => {
  it("single frame", () => {
    const { frames } = feed([FX.meterCount3]);
    expect(frames).toEqual([{ cmd: 0x2b, data: Uint8Array.of(3, 0, 0, 0), dir: "meter" }]);
  });

  it("two frames in one chunk", () => {
    const { frames } = feed([Uint8Array.from([...FX.meterTime, ...FX.meterValue99Before])]);
    expect(frames.map((f) => f.cmd)).toEqual([0x25, 0x26]);
  });

  it("a frame split across chunks, down to one byte per chunk", () => {
    const { frames, parser } = feed([...FX.meterModel].map((b) => Uint8Array.of(b)));
    expect(frames.map((f) => f.cmd)).toEqual([0x24]);
    expect(parser.buffered).toBe(0);
  });

  it("garbage before the start byte is skipped and counted", () => {
    const { frames, parser } = feed([Uint8Array.of(0x00, 0xa5, 0x13), FX.meterCount3]);
    expect(frames).toHaveLength(1);
    expect(parser.droppedBytes).toBe(3);
  });

  it("a bad checksum drops that frame, not the next", () => {
    const bad = Uint8Array.from(FX.meterValue99Before);
    bad[7] = (bad[7]! + 1) & 0xff;
    const { frames, parser } = feed([bad, FX.meterCount3]);
    expect(frames.map((f) => f.cmd)).toEqual([0x2b]);
    expect(parser.badFrames).toBe(1);
  });

  it("filters by direction: the host side ignores its own echoed commands", () => {
    const { frames } = feed([FX.hostCount, FX.meterCount3], new Td42xxParser({ direction: "meter" }));
    expect(frames.map((f) => f.dir)).toEqual(["meter"]);
  });

  it("fuzz: any chunking of valid frames with noise yields every frame; buffer stays bounded", () => {
    const valid = [FX.meterCount3, FX.meterTime, FX.meterValue99Before, FX.meterModel];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...valid), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom(0x00, 0xa5, 0xff, 0x13), { maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        (frames, noise, cuts) => {
          // Noise without 0x51 between frames can never form a false frame.
          const stream = frames.flatMap((f) => [...noise, ...f]);
          const chunks: Uint8Array[] = [];
          for (let i = 0, k = 0; i < stream.length; k++) {
            const n = cuts[k % cuts.length]!;
            chunks.push(Uint8Array.from(stream.slice(i, i + n)));
            i += n;
          }
          const parser = new Td42xxParser();
          let maxBuffered = 0;
          const out: Td42xxFrame[] = [];
          parser.on("data", (f: Td42xxFrame) => out.push(f));
          for (const c of chunks) {
            parser.write(Buffer.from(c));
            maxBuffered = Math.max(maxBuffered, parser.buffered);
          }
          expect(out.map((f) => f.cmd)).toEqual(frames.map((f) => f[1]));
          expect(maxBuffered).toBeLessThan(8);
        },
      ),
    );
  });

  it("fuzz: random bytes never throw and never grow the buffer", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const parser = new Td42xxParser();
        parser.on("data", () => {});
        for (const c of chunks) {
          parser.write(Buffer.from(c));
          expect(parser.buffered).toBeLessThan(8);
        }
      }),
    );
  });
});
