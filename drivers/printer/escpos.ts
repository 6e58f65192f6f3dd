/**
 * ESC/POS byte encoder for receipt slips. Chinese text goes out as GBK inside Chinese mode
 * (FS & … FS .); QR codes use GS ( k in the model → size → EC → store → print order.
 */
import iconv from "iconv-lite";
import { StationError } from "../../station/util/errors.js";
import type { Slip } from "../types.js";

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export type Align = "left" | "center" | "right";
export type QrEc = "L" | "M" | "Q" | "H";
const EC_BYTE: Record<QrEc, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };
const ALIGN_BYTE: Record<Align, number> = { left: 0, center: 1, right: 2 };
/** QR model 2 holds at most 7089 bytes at level L. */
export const QR_MAX_BYTES = 7089;

/** Keeps text from smuggling control bytes (ESC, GS, DLE …) into the printer's command stream. */
function printable(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f ? " " : ch;
  }
  return out;
}

/**
 * GBK bytes for printing. The half-width ¥ (U+00A5) is not in GBK and would become a 4-byte
 * GB18030 sequence that prints as garbage, so it is sent as the full-width ￥ (A3 A4).
 */
export function gbk(text: string): Buffer {
  return iconv.encode(printable(text).replaceAll("\u00a5", "\uffe5"), "GBK");
}

export function qrCode(data: string, opts: { moduleSize?: number; ec?: QrEc } = {}): Buffer {
  const bytes = Buffer.from(data, "utf8");
  const size = opts.moduleSize ?? 6;
  if (bytes.length === 0 || bytes.length > QR_MAX_BYTES)
    throw new StationError("qr-too-long", `QR data must be 1..${QR_MAX_BYTES} bytes, got ${bytes.length}`);
  if (!Number.isInteger(size) || size < 1 || size > 16)
    throw new StationError("qr-bad-size", `QR module size must be 1..16, got ${size}`);
  const storeLen = bytes.length + 3; // pL + 256·pH counts cn, fn, m and the data
  return Buffer.concat([
    Buffer.from([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]), // model 2
    Buffer.from([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, size]), // module size
    Buffer.from([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, EC_BYTE[opts.ec ?? "M"]]), // error correction
    Buffer.from([GS, 0x28, 0x6b, storeLen & 0xff, storeLen >> 8, 0x31, 0x50, 0x30]), // store …
    bytes, // … the data
    Buffer.from([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]), // print
  ]);
}

export class EscPosBuilder {
  readonly #parts: Buffer[] = [];

  raw(bytes: ArrayLike<number> | Buffer): this {
    this.#parts.push(Buffer.from(bytes as ArrayLike<number>));
    return this;
  }
  /** ESC @: clears modes left over from a previous job. */
  init(): this {
    return this.raw([ESC, 0x40]);
  }
  chinese(on: boolean): this {
    return this.raw(on ? [FS, 0x26] : [FS, 0x2e]);
  }
  align(a: Align): this {
    return this.raw([ESC, 0x61, ALIGN_BYTE[a]]);
  }
  bold(on: boolean): this {
    return this.raw([ESC, 0x45, on ? 1 : 0]);
  }
  /** GS ! n: 0x11 is double width and double height. */
  size(s: "normal" | "large"): this {
    return this.raw([GS, 0x21, s === "large" ? 0x11 : 0x00]);
  }
  text(t: string): this {
    return this.raw(gbk(t));
  }
  line(t = ""): this {
    return this.text(t).raw([LF]);
  }
  feed(lines: number): this {
    return this.raw([ESC, 0x64, Math.max(0, Math.min(255, lines))]);
  }
  qr(data: string, opts?: { moduleSize?: number; ec?: QrEc }): this {
    return this.raw(qrCode(data, opts));
  }
  /** GS V 66 n: feed to the cutter and make a partial cut. */
  cut(): this {
    return this.raw([GS, 0x56, 0x42, 0x00]);
  }
  build(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

export interface SlipEncodeOptions {
  qrModuleSize?: number;
  qrEc?: QrEc;
  /** Blank lines before the cut so the last line clears the cutter. */
  feedLines?: number;
}

export function encodeSlip(slip: Slip, opts: SlipEncodeOptions = {}): Buffer {
  const b = new EscPosBuilder().init().chinese(true);
  b.align("center").size("large").bold(true).line(slip.title).bold(false).size("normal");
  for (const l of slip.lines) {
    b.align(l.align ?? "left")
      .size(l.size ?? "normal")
      .bold(l.bold ?? false)
      .line(l.text);
    // Reset after each line so one styled line cannot leak into the next.
    if (l.bold) b.bold(false);
    if (l.size === "large") b.size("normal");
  }
  if (slip.qr)
    b.align("center")
      .qr(slip.qr, { moduleSize: opts.qrModuleSize ?? 6, ec: opts.qrEc ?? "M" })
      .line();
  return b
    .align("left")
    .feed(opts.feedLines ?? 3)
    .chinese(false)
    .cut()
    .build();
}
