/**
 * GA/T 467 SAM serial frames: AA AA AA 96 69 | LEN_H LEN_L | payload | CHK.
 * LEN (big-endian) counts every byte after the length field, CHK included.
 * CHK is the XOR of the two LEN bytes and the payload.
 */
import { StationError } from "../../station/util/errors.js";
import type { ScanResult } from "../serial/frame-parser.js";

export const PREAMBLE = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
const HEADER = PREAMBLE.length + 2;
/** Smallest LEN: a 2-byte command payload plus CHK. */
export const MIN_LEN = 3;
/** Largest LEN we accept: a text+photo+fingerprint read is about 2.3 KB. */
export const MAX_LEN = 4096;
export const MAX_FRAME = HEADER + MAX_LEN;

export const COMMANDS = {
  reset: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  samId: [0x12, 0xff],
  find: [0x20, 0x01],
  select: [0x20, 0x02],
  read: [0x30, 0x01],
} as const;
export type CommandName = keyof typeof COMMANDS;

export function commandName(cmd: number, para: number): CommandName | undefined {
  for (const [name, [c, p]] of Object.entries(COMMANDS))
    if (c === cmd && p === para) return name as CommandName;
  return undefined;
}

/** XOR over bytes [start, end). */
export function xorChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

export function encodeFrame(payload: Uint8Array): Buffer {
  const len = payload.length + 1;
  if (len > MAX_LEN)
    throw new StationError("frame-too-long", `payload of ${payload.length} bytes exceeds ${MAX_LEN - 1}`);
  const out = Buffer.alloc(HEADER + len);
  PREAMBLE.copy(out, 0);
  out.writeUInt16BE(len, PREAMBLE.length);
  out.set(payload, HEADER);
  out[out.length - 1] = xorChecksum(out, PREAMBLE.length, out.length - 1);
  return out;
}

export function encodeCommand(name: CommandName, data: Uint8Array = Buffer.alloc(0)): Buffer {
  return encodeFrame(Buffer.concat([Buffer.from(COMMANDS[name]), data]));
}

export interface Response {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Buffer;
}

export function encodeResponse(sw3: number, data: Uint8Array = Buffer.alloc(0), sw1 = 0, sw2 = 0): Buffer {
  return encodeFrame(Buffer.concat([Buffer.from([sw1, sw2, sw3]), data]));
}

export function parseResponse(payload: Buffer): Response {
  if (payload.length < 3)
    throw new StationError(
      "frame-invalid",
      `response payload has ${payload.length} bytes; SW1 SW2 SW3 need 3`,
    );
  return { sw1: payload[0]!, sw2: payload[1]!, sw3: payload[2]!, data: payload.subarray(3) };
}

/** Pure scanner used by the parser: finds the preamble, checks length and checksum. */
export function scanFrame(buf: Buffer): ScanResult<Buffer> {
  const at = buf.indexOf(PREAMBLE);
  if (at < 0) {
    // Keep a tail that could be the start of a preamble split across chunks.
    let keep = 0;
    for (let k = Math.min(PREAMBLE.length - 1, buf.length); k > 0; k--) {
      if (buf.subarray(buf.length - k).equals(PREAMBLE.subarray(0, k))) {
        keep = k;
        break;
      }
    }
    const drop = buf.length - keep;
    return drop > 0
      ? { kind: "skip", consumed: drop, bad: { reason: "garbage", bytes: buf.subarray(0, drop) } }
      : { kind: "need-more" };
  }
  if (at > 0) return { kind: "skip", consumed: at, bad: { reason: "garbage", bytes: buf.subarray(0, at) } };
  if (buf.length < HEADER) return { kind: "need-more" };
  const len = buf.readUInt16BE(PREAMBLE.length);
  // Drop only the first byte on a bad frame: a real frame may start inside the bogus one.
  if (len < MIN_LEN || len > MAX_LEN)
    return {
      kind: "skip",
      consumed: 1,
      bad: { reason: "length-out-of-range", bytes: buf.subarray(0, HEADER) },
    };
  const total = HEADER + len;
  if (buf.length < total) return { kind: "need-more" };
  if (xorChecksum(buf, PREAMBLE.length, total - 1) !== buf[total - 1])
    return { kind: "skip", consumed: 1, bad: { reason: "bad-checksum", bytes: buf.subarray(0, total) } };
  return { kind: "frame", frame: Buffer.from(buf.subarray(HEADER, total - 1)), consumed: total };
}

/** Strict decoder for one complete frame (CLI, diagnostics): throws with a clear reason. */
export function decodeFrame(frame: Buffer): Buffer {
  if (frame.length < HEADER + MIN_LEN)
    throw new StationError(
      "frame-invalid",
      `frame has ${frame.length} bytes; the minimum is ${HEADER + MIN_LEN}`,
    );
  if (!frame.subarray(0, PREAMBLE.length).equals(PREAMBLE))
    throw new StationError("frame-invalid", "frame does not start with the preamble AA AA AA 96 69");
  const len = frame.readUInt16BE(PREAMBLE.length);
  if (HEADER + len !== frame.length)
    throw new StationError(
      "frame-invalid",
      `length field says ${len} bytes after it, but ${frame.length - HEADER} are present`,
    );
  const want = xorChecksum(frame, PREAMBLE.length, frame.length - 1);
  const got = frame[frame.length - 1]!;
  if (want !== got)
    throw new StationError(
      "frame-invalid",
      `bad checksum: frame has 0x${got.toString(16).padStart(2, "0")}, computed 0x${want.toString(16).padStart(2, "0")}`,
    );
  return Buffer.from(frame.subarray(HEADER, frame.length - 1));
}
