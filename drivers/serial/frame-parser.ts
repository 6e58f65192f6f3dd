/**
 * Base for byte-stream frame parsers: a Transform that turns raw serial chunks into frames.
 * The subclass supplies `scan`, a pure function that looks at the front of the buffer. The base
 * guarantees the invariants every driver needs: it never throws on bad input, never loops
 * without consuming, and never keeps more than `maxBuffer` bytes between chunks.
 */
import { Transform, type TransformCallback } from "node:stream";

export interface BadFrame {
  /** Stable reason, e.g. "bad-checksum", "garbage", "length-out-of-range", "overflow". */
  reason: string;
  /** The dropped bytes (at most a small prefix, for logs). */
  bytes: Buffer;
}

export type ScanResult<F> =
  /** A complete, valid frame starts at offset 0 and is `consumed` bytes long. */
  | { kind: "frame"; frame: F; consumed: number }
  /** The buffer holds a plausible frame prefix (or nothing); wait for more bytes. */
  | { kind: "need-more" }
  /** Drop `consumed` (>= 1) bytes from the front; `bad` says why when it was a rejected frame. */
  | { kind: "skip"; consumed: number; bad?: BadFrame };

export interface ParserStats {
  frames: number;
  badFrames: number;
  droppedBytes: number;
}

export abstract class FrameParser<F> extends Transform {
  #buf: Buffer = Buffer.alloc(0);
  readonly stats: ParserStats = { frames: 0, badFrames: 0, droppedBytes: 0 };

  constructor(readonly maxBuffer: number) {
    super({ readableObjectMode: true });
  }

  /** Pure: inspect `buf` from offset 0. Must never throw. */
  protected abstract scan(buf: Buffer): ScanResult<F>;

  get buffered(): number {
    return this.#buf.length;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    // Feed in slices so even a huge chunk never makes the buffer exceed twice the bound.
    for (let off = 0; off < chunk.length; off += this.maxBuffer) {
      const slice = chunk.subarray(off, off + this.maxBuffer);
      this.#buf = this.#buf.length === 0 ? Buffer.from(slice) : Buffer.concat([this.#buf, slice]);
      this.#drain(false);
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.resync();
    cb();
  }

  /**
   * Gives up on a pending partial frame: drops bytes one at a time until the rest parses or is
   * gone. Called at end of stream and by a facade after a request timed out, so a bogus length
   * field in line noise cannot hide the frames behind it for ever.
   */
  resync(): void {
    this.#drain(true);
  }

  #drain(force: boolean): void {
    let buf = this.#buf;
    while (buf.length > 0) {
      let r: ScanResult<F>;
      try {
        r = this.scan(buf);
      } catch {
        // A scan bug must not take the serial link down; treat it as one garbage byte.
        r = { kind: "skip", consumed: 1, bad: { reason: "scan-error", bytes: buf.subarray(0, 1) } };
      }
      if (r.kind === "need-more") {
        if (!force && buf.length <= this.maxBuffer) break;
        r = {
          kind: "skip",
          consumed: 1,
          bad: { reason: force ? "incomplete" : "overflow", bytes: buf.subarray(0, 1) },
        };
      }
      if (r.kind === "frame") {
        this.stats.frames++;
        buf = buf.subarray(r.consumed);
        this.push(r.frame);
        continue;
      }
      const n = Math.max(1, Math.min(r.consumed, buf.length));
      this.stats.droppedBytes += n;
      if (r.bad) {
        this.stats.badFrames++;
        this.emit("badFrame", { reason: r.bad.reason, bytes: Buffer.from(r.bad.bytes.subarray(0, 32)) });
      }
      buf = buf.subarray(n);
    }
    // Copy so the retained remainder does not pin a large chunk in memory.
    this.#buf = Buffer.from(buf);
  }
}
