/**
 * Dead-letter file for messages that name no record (nothing to acknowledge): one JSON line
 * each, with a short base64 sample for diagnosis, never the whole payload (it may be huge).
 * Appends are serialised; a failing disk is logged by the caller, never thrown into the flow.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Drop } from "./receiver-core.js";

const SAMPLE_BYTES = 256;

export interface DeadLetterEntry {
  at: string;
  code: string;
  reason: string;
  topic: string;
  size: number;
  sampleBase64: string;
}

export function deadLetterEntry(drop: Drop, payload: unknown, at: Date): DeadLetterEntry {
  let sample = "";
  if (Buffer.isBuffer(payload)) sample = payload.subarray(0, SAMPLE_BYTES).toString("base64");
  else if (typeof payload === "string")
    sample = Buffer.from(payload.slice(0, SAMPLE_BYTES)).toString("base64");
  return {
    at: at.toISOString(),
    code: drop.code,
    reason: drop.reason,
    topic: drop.topic.slice(0, 256),
    size: drop.size,
    sampleBase64: sample,
  };
}

export class DeadLetterFile {
  count = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Queues one entry; the returned promise never rejects. */
  write(entry: DeadLetterEntry): Promise<void> {
    this.count++;
    this.#chain = this.#chain
      .then(async () => {
        // Dead letters can hold a whole record: as private as the archive itself.
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        await appendFile(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      })
      .catch(this.onError);
    return this.#chain;
  }
}
