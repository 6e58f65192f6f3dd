import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeFrame, PREAMBLE } from "../../../drivers/idcard/codec.js";
import { IdCardFrameParser } from "../../../drivers/idcard/parser.js";

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

/** Splits `buf` at the given cut points. */
function chunk(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

function feed(chunks: Buffer[]): { frames: Buffer[]; maxBuffered: number; parser: IdCardFrameParser } {
  const parser = new IdCardFrameParser();
  const frames: Buffer[] = [];
  parser.on("data", (f: Buffer) => frames.push(f));
  let maxBuffered = 0;
  for (const c of chunks) {
    parser.write(c);
    maxBuffered = Math.max(maxBuffered, parser.buffered);
  }
  parser.resync(); // what end-of-stream does
  return { frames, maxBuffered, parser };
}

function countPreambles(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(PREAMBLE); i >= 0; i = buf.indexOf(PREAMBLE, i + 1)) n++;
  return n;
}

describe("IdCardFrameParser fuzz", () => {
  it("random bytes never throw and never exceed the buffer bound", () => {
    fc.assert(
      fc.property(bytes(6000), fc.array(fc.nat(), { maxLength: 8 }), (buf, cuts) => {
        const { maxBuffered, parser } = feed(chunk(buf, cuts));
        expect(maxBuffered).toBeLessThanOrEqual(parser.maxBuffer);
        expect(parser.buffered).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("valid frames embedded in garbage (with partial preambles) are all found, in order", () => {
    // A complete preamble in the noise may legitimately claim the bytes after it (parser.test.ts
    // covers that case deterministically), so here noise holds at most partial preambles.
    const partial = fc.integer({ min: 1, max: PREAMBLE.length - 1 }).map((k) => PREAMBLE.subarray(0, k));
    const noise = fc.oneof(bytes(40), partial);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(noise, { maxLength: 3 }), bytes(300)), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const payloads = parts.map(([, p]) => Buffer.concat([Buffer.from([0, 0, 0x90]), p]));
          const stream = Buffer.concat(parts.flatMap(([n], i) => [...n, encodeFrame(payloads[i]!)]));
          fc.pre(countPreambles(stream) === payloads.length);
          const found = feed(chunk(stream, cuts)).frames.map((f) => f.toString("hex"));
          expect(found).toEqual(payloads.map((p) => p.toString("hex")));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("mutated valid frames never throw and stay bounded", () => {
    fc.assert(
      fc.property(
        bytes(200),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        (p, muts) => {
          const f = Buffer.concat([
            encodeFrame(Buffer.concat([Buffer.from([0, 0, 0x90]), p])),
            encodeFrame(Buffer.from([0, 0, 0x9f])),
          ]);
          for (const [pos, val] of muts) f[pos % f.length] = val;
          const { maxBuffered, parser } = feed([f]);
          expect(maxBuffered).toBeLessThanOrEqual(parser.maxBuffer);
        },
      ),
      { numRuns: 300 },
    );
  });
});
