/**
 * TaiDoc TD-42xx (e.g. TD-4277, and FORA meters on the same "TaiDoc bus") serial frames:
 * fixed 8 bytes `51 cmd m0 m1 m2 m3 dir chk`, dir A3 host→meter, A5 meter→host,
 * chk = (sum of the first 7 bytes) & 0xFF.
 * Command set and message layouts: glucometerutils drivers/td42xx.py and td4277.py;
 * power-off 0x50: FORA/TaiDoc command tables (e.g. advmeds-bluetooth-lib TaiDocMeterVariable).
 * Pure: never throws on input bytes.
 */
import { type Decoded, fail, ok } from "../ble/bytes.js";
import type { WallTime } from "../ble/time.js";

export const TD_START = 0x51;
export const TD_DIR_HOST = 0xa3;
export const TD_DIR_METER = 0xa5;
export const TD_FRAME_LENGTH = 8;

export const TD_CMD = {
  connect: 0x22,
  readClock: 0x23,
  readModel: 0x24,
  recordTime: 0x25,
  recordValue: 0x26,
  readingCount: 0x2b,
  setClock: 0x33,
  powerOff: 0x50,
  clearMemory: 0x52,
} as const;

/** Replies a meter may give to the connect command (glucometerutils accepts these three). */
export const TD_CONNECT_REPLIES: readonly number[] = [0x22, 0x24, 0x54];

export interface Td42xxFrame {
  cmd: number;
  /** The 4 message bytes m0..m3. */
  data: Uint8Array;
  dir: "host" | "meter";
}

export function td42xxChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += bytes[i] ?? 0;
  return sum & 0xff;
}

export function encodeTd42xxFrame(
  cmd: number,
  data: ArrayLike<number> = [0, 0, 0, 0],
  dir: "host" | "meter" = "host",
): Uint8Array {
  const out = new Uint8Array(TD_FRAME_LENGTH);
  out[0] = TD_START;
  out[1] = cmd;
  for (let i = 0; i < 4; i++) out[2 + i] = data[i] ?? 0;
  out[6] = dir === "host" ? TD_DIR_HOST : TD_DIR_METER;
  out[7] = td42xxChecksum(out);
  return out;
}

export function decodeTd42xxFrame(bytes: Uint8Array): Decoded<Td42xxFrame> {
  if (bytes.length !== TD_FRAME_LENGTH)
    return fail("bad-length", `TD-42xx frames are 8 bytes, got ${bytes.length}`);
  if (bytes[0] !== TD_START) return fail("bad-start", `frame must start with 51, got ${hex2(bytes[0]!)}`);
  const d = bytes[6]!;
  if (d !== TD_DIR_HOST && d !== TD_DIR_METER) return fail("bad-direction", `direction byte ${hex2(d)}`);
  const want = td42xxChecksum(bytes);
  if (bytes[7] !== want) return fail("bad-checksum", `checksum ${hex2(bytes[7]!)}, computed ${hex2(want)}`);
  return ok({ cmd: bytes[1]!, data: bytes.slice(2, 6), dir: d === TD_DIR_HOST ? "host" : "meter" });
}

export interface ScanResult {
  frames: Td42xxFrame[];
  /** Bytes skipped while hunting for a valid frame (garbage, or starts of bad frames). */
  droppedBytes: number;
  /** Candidates that began with 51 but failed the direction or checksum test. */
  badFrames: number;
  /** An incomplete frame at the end (at most 7 bytes), to prepend to the next chunk. */
  rest: Uint8Array;
}

/**
 * Finds every valid frame in a buffer. A candidate that fails validation costs one byte,
 * not eight, so a real frame starting inside a corrupt one is still found.
 */
export function scanTd42xxFrames(buf: Uint8Array): ScanResult {
  const frames: Td42xxFrame[] = [];
  let droppedBytes = 0;
  let badFrames = 0;
  let i = 0;
  while (i < buf.length) {
    if (buf[i] !== TD_START) {
      droppedBytes++;
      i++;
      continue;
    }
    if (buf.length - i < TD_FRAME_LENGTH) break;
    const r = decodeTd42xxFrame(buf.subarray(i, i + TD_FRAME_LENGTH));
    if (r.ok) {
      frames.push(r.value);
      i += TD_FRAME_LENGTH;
    } else {
      badFrames++;
      droppedBytes++;
      i++;
    }
  }
  return { frames, droppedBytes, badFrames, rest: buf.slice(i) };
}

// ---- message payloads ----

/** Date word (LE): bits 15–9 year−2000, 8–5 month, 4–0 day; then minute, hour. No seconds. */
export function decodeTdDateTime(data: Uint8Array): WallTime {
  const word = (data[0] ?? 0) | ((data[1] ?? 0) << 8);
  return {
    year: 2000 + (word >> 9),
    month: (word >> 5) & 0x0f,
    day: word & 0x1f,
    hours: data[3] ?? 0,
    minutes: data[2] ?? 0,
    seconds: 0,
  };
}

export function encodeTdDateTime(t: WallTime): Uint8Array {
  const word = (((t.year - 2000) & 0x7f) << 9) | ((t.month & 0x0f) << 5) | (t.day & 0x1f);
  return Uint8Array.of(word & 0xff, word >> 8, t.minutes, t.hours);
}

/** Record selector for 0x25 / 0x26: index uint16 LE, then 00 00. */
export function tdSelectRecord(index: number): Uint8Array {
  return Uint8Array.of(index & 0xff, (index >> 8) & 0xff, 0, 0);
}

/** The model number is BCD in a uint16 LE: 77 42 → "TD-4277". */
export function decodeTdModel(data: Uint8Array): string {
  const word = (data[0] ?? 0) | ((data[1] ?? 0) << 8);
  return `TD-${word.toString(16).padStart(4, "0")}`;
}

export function decodeTdCount(data: Uint8Array): number {
  return (data[0] ?? 0) | ((data[1] ?? 0) << 8);
}

export type TdMeal = "none" | "before" | "after" | "unknown";

export interface TdRecordValue {
  mgdl: number;
  meal: TdMeal;
  mealRaw: number;
  /** m2: constant 06 on the TD-4277, undocumented; kept for diagnosis. */
  m2: number;
}

export function decodeTdRecordValue(data: Uint8Array): TdRecordValue {
  const mealRaw = data[3] ?? 0;
  const meal: TdMeal =
    mealRaw === 0x00 ? "none" : mealRaw === 0x40 ? "before" : mealRaw === 0x80 ? "after" : "unknown";
  return { mgdl: (data[0] ?? 0) | ((data[1] ?? 0) << 8), meal, mealRaw, m2: data[2] ?? 0 };
}

export function encodeTdRecordValue(mgdl: number, meal: "none" | "before" | "after", m2 = 0x06): Uint8Array {
  const flag = meal === "before" ? 0x40 : meal === "after" ? 0x80 : 0x00;
  return Uint8Array.of(mgdl & 0xff, (mgdl >> 8) & 0xff, m2, flag);
}

/**
 * Decision: "after meal" → postprandial; "before meal" → random (pre-meal is not the same as
 * an 8-hour fast; same rule as the BLE context's preprandial); no flag → unknown, so the
 * station asks the villager.
 */
export function tdMealToSampleType(meal: TdMeal): string {
  return meal === "after" ? "postprandial" : meal === "before" ? "random" : "unknown";
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}
