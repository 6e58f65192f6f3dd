/**
 * Offline decoding of one captured SAM frame, for `health-station decode idcard-frame <hex>`:
 * a technician pastes bytes from a serial capture and sees what the reader said.
 */
import { StationError } from "../../station/util/errors.js";
import { checkCard, localDate, splitReadData } from "./card.js";
import { commandName, decodeFrame, parseResponse } from "./codec.js";
import { describeSw3 } from "./sw3.js";
import { decodeTextBlock } from "./text.js";

export type DecodedIdCardFrame =
  | { kind: "command"; command: string; cmd: number; para: number }
  | {
      kind: "response";
      sw1: number;
      sw2: number;
      sw3: number;
      status: { code: string; ok: boolean; zh: string; en: string };
      dataBytes: number;
      /** Present for a successful read: the decoded text block and the station's checks. */
      card?: Record<string, unknown>;
      photoBytes?: number;
      checks?: { ok: boolean; fault?: { code: string; message: string } };
      error?: { code: string; message: string };
    };

export function parseHex(hex: string): Buffer {
  const clean = hex.replace(/0x/gi, "").replace(/[\s:,-]/g, "");
  if (clean.length === 0 || clean.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(clean))
    throw new StationError(
      "bad-input",
      '需要十六进制字节串 / expected hex bytes, e.g. "AA AA AA 96 69 00 03 20 01 22"',
    );
  return Buffer.from(clean, "hex");
}

export function decodeIdCardFrame(
  input: string | Buffer,
  today = localDate(new Date(), "Asia/Shanghai"),
): DecodedIdCardFrame {
  const payload = decodeFrame(typeof input === "string" ? parseHex(input) : input);
  // Commands are CMD PARA (two bytes); responses start with SW1 SW2 SW3.
  if (payload.length === 2) {
    const [cmd, para] = [payload[0]!, payload[1]!];
    return { kind: "command", command: commandName(cmd, para) ?? "unknown", cmd, para };
  }
  const r = parseResponse(payload);
  const { code, ok, zh, en } = describeSw3(r.sw3);
  const out: DecodedIdCardFrame = {
    kind: "response",
    sw1: r.sw1,
    sw2: r.sw2,
    sw3: r.sw3,
    status: { code, ok, zh, en },
    dataBytes: r.data.length,
  };
  // Only a read answer carries text+photo lengths and the 256-byte text block.
  if (code !== "ok" || r.data.length < 4 + 256) return out;
  try {
    const split = splitReadData(r.data);
    const text = decodeTextBlock(split.text);
    const check = checkCard(text, today);
    return {
      ...out,
      card: { ...text },
      photoBytes: split.photoBytes,
      checks: check.ok
        ? { ok: true }
        : { ok: false, fault: { code: check.fault.code, message: check.fault.message } },
    };
  } catch (err) {
    if (err instanceof StationError) return { ...out, error: { code: err.code, message: err.message } };
    throw err;
  }
}

/** Entry point for the CLI dispatcher: JSON-able output, or a StationError with a clear message. */
export function decodeIdcardHex(hex: string): unknown {
  return decodeIdCardFrame(hex);
}
