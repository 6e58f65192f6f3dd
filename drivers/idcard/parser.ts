/** Transform: raw bytes from the SAM link → frame payloads (Buffer), resynchronising on the preamble. */
import { FrameParser, type ScanResult } from "../serial/frame-parser.js";
import { MAX_FRAME, scanFrame } from "./codec.js";

export class IdCardFrameParser extends FrameParser<Buffer> {
  constructor() {
    super(MAX_FRAME);
  }
  protected scan(buf: Buffer): ScanResult<Buffer> {
    return scanFrame(buf);
  }
}
