/**
 * Real-time status (DLE EOT n). Every answer is one byte with bit 1 and bit 4 set and bits 0
 * and 7 clear, which is how the parser tells status bytes from line noise.
 *   n=1 printer status: bit 3 offline
 *   n=2 offline cause:  bit 2 cover open, bit 5 stopped at paper end, bit 6 error
 *   n=4 paper sensor:   bits 2–3 paper near end, bits 5–6 paper end
 */
import { FrameParser, type ScanResult } from "../serial/frame-parser.js";
import { DLE, EOT } from "./escpos.js";

export type StatusQuery = 1 | 2 | 3 | 4;
export const dleEot = (n: StatusQuery): Buffer => Buffer.from([DLE, EOT, n]);
export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

export class StatusByteParser extends FrameParser<number> {
  constructor() {
    super(16);
  }
  protected scan(buf: Buffer): ScanResult<number> {
    const b = buf[0]!;
    return isStatusByte(b)
      ? { kind: "frame", frame: b, consumed: 1 }
      : { kind: "skip", consumed: 1, bad: { reason: "not-a-status-byte", bytes: buf.subarray(0, 1) } };
  }
}

export interface PrinterCondition {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
}

export function interpretStatus(printer: number, offlineCause: number, paper: number): PrinterCondition {
  return {
    offline: (printer & 0x08) !== 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (offlineCause & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offlineCause & 0x40) !== 0,
  };
}

export const PRINTER_FAULTS = {
  "cover-open": { zh: "打印机盖未关好", en: "printer cover is open" },
  "paper-out": { zh: "打印纸用完，请更换纸卷", en: "printer is out of paper" },
  "printer-offline": { zh: "打印机离线", en: "printer is offline" },
  "printer-no-response": { zh: "打印机无响应", en: "printer does not answer status requests" },
} as const;
export type PrinterFaultCode = keyof typeof PRINTER_FAULTS;

/** The one condition a person should fix first; undefined when the printer can print. */
export function conditionFault(c: PrinterCondition): PrinterFaultCode | undefined {
  if (c.coverOpen) return "cover-open";
  if (c.paperOut) return "paper-out";
  if (c.offline || c.error) return "printer-offline";
  return undefined;
}
