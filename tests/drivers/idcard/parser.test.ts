import { describe, expect, it } from "vitest";
import { encodeResponse, MAX_FRAME } from "../../../drivers/idcard/codec.js";
import { IdCardFrameParser } from "../../../drivers/idcard/parser.js";
import type { BadFrame } from "../../../drivers/serial/frame-parser.js";
import { CARD_FOUND_RSP, FIND_FAILED_RSP, GARBAGE, OK_RSP, OK_RSP_BAD_CHK } from "./fixtures.js";

/** Feeds chunks, ends the stream, returns frames (hex) and bad-frame reasons. */
async function run(
  chunks: Buffer[],
): Promise<{ frames: string[]; bad: string[]; parser: IdCardFrameParser }> {
  const parser = new IdCardFrameParser();
  const frames: string[] = [];
  const bad: string[] = [];
  parser.on("data", (f: Buffer) => frames.push(f.toString("hex")));
  parser.on("badFrame", (b: BadFrame) => bad.push(b.reason));
  const done = new Promise((r) => parser.on("end", r));
  for (const c of chunks) parser.write(c);
  parser.end();
  await done;
  return { frames, bad, parser };
}

describe("IdCardFrameParser", () => {
  it("single frame", async () => {
    const { frames, bad } = await run([OK_RSP]);
    expect(frames).toEqual(["000090"]);
    expect(bad).toEqual([]);
  });

  it("two frames in one chunk", async () => {
    const { frames } = await run([Buffer.concat([CARD_FOUND_RSP, FIND_FAILED_RSP])]);
    expect(frames).toEqual(["00009f", "000080"]);
  });

  it("a frame split across chunks, even byte by byte", async () => {
    expect((await run([OK_RSP.subarray(0, 3), OK_RSP.subarray(3, 9), OK_RSP.subarray(9)])).frames).toEqual([
      "000090",
    ]);
    expect((await run([...OK_RSP].map((b) => Buffer.from([b])))).frames).toEqual(["000090"]);
  });

  it("garbage before the preamble is dropped and reported", async () => {
    const { frames, bad, parser } = await run([Buffer.concat([GARBAGE, OK_RSP])]);
    expect(frames).toEqual(["000090"]);
    expect(bad).toContain("garbage");
    expect(parser.stats.droppedBytes).toBe(GARBAGE.length);
  });

  it("a bad-checksum frame is dropped without throwing; the next good one is found", async () => {
    const { frames, bad, parser } = await run([OK_RSP_BAD_CHK, CARD_FOUND_RSP]);
    expect(frames).toEqual(["00009f"]);
    expect(bad[0]).toBe("bad-checksum");
    expect(parser.stats.badFrames).toBeGreaterThanOrEqual(1);
  });

  it("a preamble with a bogus length inside noise does not hide the frame behind it", async () => {
    // AA AA AA 96 69 01 00 claims 256 more bytes; the real frame follows at once.
    const bogus = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x01, 0x00]);
    const { frames } = await run([bogus, OK_RSP]);
    expect(frames).toEqual(["000090"]);
  });

  it("a full read response (text + photo) passes through", async () => {
    const data = Buffer.concat([Buffer.from([0x01, 0x00, 0x04, 0x00]), Buffer.alloc(256 + 1024, 0x20)]);
    const { frames } = await run([encodeResponse(0x90, data)]);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length / 2).toBe(3 + data.length);
  });

  it("keeps its buffer under the bound even when fed a huge chunk", async () => {
    const parser = new IdCardFrameParser();
    parser.on("data", () => {});
    // A valid header claiming the maximum length, then far more noise than the bound.
    parser.write(
      Buffer.concat([
        Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x10, 0x00]),
        Buffer.alloc(3 * MAX_FRAME, 0x11),
      ]),
    );
    expect(parser.buffered).toBeLessThanOrEqual(parser.maxBuffer);
  });
});
