/**
 * Byte helpers shared by the GATT codecs: a bounds-checked little-endian reader, a writer,
 * and the result type every decoder returns instead of throwing.
 */
import { StationError } from "../../station/util/errors.js";

export interface DecodeError {
  /** Stable machine-readable reason, e.g. "truncated", "reserved-flags". */
  code: string;
  message: string;
}
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

export const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
export const fail = <T = never>(code: string, message: string): Decoded<T> => ({
  ok: false,
  error: { code, message },
});

/** Thrown only inside ByteReader users and caught by `decodeWith`; never escapes a decoder. */
class Truncated extends Error {}

export class ByteReader {
  #pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  get remaining(): number {
    return this.bytes.length - this.#pos;
  }
  get position(): number {
    return this.#pos;
  }
  #take(n: number): number {
    if (this.#pos + n > this.bytes.length) throw new Truncated(`need ${n} byte(s) at offset ${this.#pos}`);
    const at = this.#pos;
    this.#pos += n;
    return at;
  }
  u8(): number {
    return this.bytes[this.#take(1)]!;
  }
  u16(): number {
    const at = this.#take(2);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }
  i16(): number {
    const v = this.u16();
    return v >= 0x8000 ? v - 0x10000 : v;
  }
}

/** Runs a decoder body, turning a short read into a typed "truncated" error. */
export function decodeWith<T>(what: string, body: () => Decoded<T>): Decoded<T> {
  try {
    return body();
  } catch (e) {
    if (e instanceof Truncated) return fail("truncated", `${what}: truncated (${e.message})`);
    throw e;
  }
}

export class ByteWriter {
  readonly #out: number[] = [];
  u8(v: number): this {
    this.#out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    this.#out.push(v & 0xff, (v >> 8) & 0xff);
    return this;
  }
  i16(v: number): this {
    return this.u16(v < 0 ? v + 0x10000 : v);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.#out);
  }
}

/** Parses "51 26 00 ..." / "5126..." / "0x51,0x26" into bytes; throws StationError on bad input. */
export function parseHex(hex: string): Uint8Array {
  const clean = hex.replace(/0x/gi, "").replace(/[\s,:-]/g, "");
  if (clean.length === 0) throw new StationError("bad-hex", "no bytes given");
  if (!/^[0-9a-f]*$/i.test(clean)) throw new StationError("bad-hex", `not hexadecimal: "${hex}"`);
  if (clean.length % 2 !== 0) throw new StationError("bad-hex", `odd number of hex digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** Unwraps a decoder result for the CLI: a typed error becomes a StationError. */
export function unwrapOrThrow<T>(what: string, r: Decoded<T>): T {
  if (r.ok) return r.value;
  throw new StationError(`decode-${r.error.code}`, `${what}: ${r.error.message}`);
}
