/**
 * Stream parser for TD-42xx frames: resyncs on 0x51, validates direction and checksum,
 * drops bad frames without throwing, reassembles frames split across chunks and splits
 * merged ones. Emits Td42xxFrame objects. Its buffer never holds more than 7 bytes.
 */
import { Transform, type TransformCallback } from "node:stream";
import { scanTd42xxFrames, type Td42xxFrame } from "./td42xx-codec.js";

export interface Td42xxParserOptions {
  /** Keep only frames in this direction (the host wants "meter", a simulator "host"). */
  direction?: "host" | "meter";
}

export class Td42xxParser extends Transform {
  #rest: Uint8Array = new Uint8Array();
  readonly #direction: "host" | "meter" | undefined;
  /** Diagnostics: bytes skipped and candidates rejected since creation. */
  droppedBytes = 0;
  badFrames = 0;

  constructor(options: Td42xxParserOptions = {}) {
    super({ readableObjectMode: true });
    this.#direction = options.direction;
  }

  get buffered(): number {
    return this.#rest.length;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = new Uint8Array(this.#rest.length + chunk.length);
    buf.set(this.#rest, 0);
    buf.set(chunk, this.#rest.length);
    const r = scanTd42xxFrames(buf);
    this.#rest = r.rest;
    this.droppedBytes += r.droppedBytes;
    this.badFrames += r.badFrames;
    for (const f of r.frames)
      if (!this.#direction || f.dir === this.#direction) this.push(f satisfies Td42xxFrame);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.droppedBytes += this.#rest.length;
    this.#rest = new Uint8Array();
    done();
  }
}
