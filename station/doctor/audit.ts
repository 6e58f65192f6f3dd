/**
 * The doctor's audit log: every sign-in, failed PIN, person viewed, record corrected, outcome
 * and export, one JSON line each, appended and fsynced before the action is answered. It holds
 * ids only: doctor ids, record ids and an opaque person key, never a name or an ID number.
 * `AuditUpload` (audit-upload.ts) sends it to the county.
 * Unlike the record shards, this file is appended in place (an fsynced append per event is
 * cheaper than rewriting the log). The data-format migration's hard-link snapshot
 * (station/data-format/migrate.ts) is taken and dropped before any module opens the folder, so
 * no append can reach a snapshot.
 */
import { createHash } from "node:crypto";
import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import { openEnum } from "../domain/open-enum.js";

export const AUDIT_TYPES = [
  "sign-in",
  "sign-in-failed",
  "sign-in-locked",
  "sign-out",
  "manual-id",
  "consent-verbal",
  "manual-reading",
  "danger-symptoms",
  "follow-up",
  "person-viewed",
  "record-corrected",
  "help-cleared",
  // From the lists module (station/doctor-lists), through app.doctor.audit():
  "outcome-recorded",
  "coverage-printed",
  "coverage-exported",
] as const;

/** Looks like a resident ID number (15 or 18 characters): never allowed into the log. */
const ID_LIKE = /\d{14}[\dXx]{1,4}/;
const Detail = z.record(
  z.string().max(32),
  z.union([
    z
      .string()
      .max(80)
      .refine((s) => !ID_LIKE.test(s), "no ID numbers in the audit log"),
    z.number(),
    z.boolean(),
  ]),
);

/** What a caller passes to audit(); the log adds id, seq, time and station. */
export const AuditInput = z
  .object({
    type: openEnum(AUDIT_TYPES),
    /** The signed-in doctor, or the one a failed sign-in was for. */
    doctorId: z.string().max(64).nullable(),
    recordId: z.string().max(64).optional(),
    /** personKey(idNumber): lets the county join events about one person without the number. */
    personKey: z.string().max(64).optional(),
    detail: Detail.optional(),
  })
  .strict();
export type AuditInput = z.input<typeof AuditInput>;

export const AuditEvent = AuditInput.extend({
  v: z.literal(1),
  id: z.string(),
  seq: z.number().int().min(1),
  at: z.string().datetime({ offset: true }),
  stationId: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Opaque, stable key for a person: a hash of the station's county and the ID number. */
export function personKey(county: string, idNumber: string): string {
  return createHash("sha256").update(`${county}\n${idNumber}`).digest("base64url").slice(0, 22);
}

export interface AuditLogOptions {
  dir: string;
  stationId: string;
  now: () => number;
}

export class AuditLog {
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #listeners: Array<(e: AuditEvent) => void> = [];
  readonly file: string;

  constructor(private readonly o: AuditLogOptions) {
    this.file = join(o.dir, "audit.jsonl");
  }

  async open(): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    const events = await this.read();
    this.#seq = events.at(-1)?.seq ?? 0;
    // A power cut mid-append leaves a torn last line; end it so the next event starts clean.
    const text = await readFile(this.file, "utf8").catch(() => "");
    if (text && !text.endsWith("\n")) await appendFile(this.file, "\n");
  }

  onAppend(fn: (e: AuditEvent) => void): () => void {
    this.#listeners.push(fn);
    return () => {
      this.#listeners = this.#listeners.filter((f) => f !== fn);
    };
  }

  /** Appends and fsyncs; resolves only once the event is on disk. Refuses names and ID numbers. */
  audit(input: AuditInput): Promise<AuditEvent> {
    const parsed = AuditInput.parse(input);
    const run = this.#queue.then(async () => {
      const ms = this.o.now();
      const event: AuditEvent = {
        v: 1,
        id: uuidv7({ msecs: ms }),
        seq: this.#seq + 1,
        at: new Date(ms).toISOString(),
        stationId: this.o.stationId,
        ...parsed,
      };
      const fh = await open(this.file, "a");
      try {
        await fh.write(`${JSON.stringify(event)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.#seq = event.seq;
      for (const fn of this.#listeners) fn(event);
      return event;
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Every event, oldest first. A torn last line (power cut mid-append) is skipped. */
  async read(afterSeq = 0): Promise<AuditEvent[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const out: AuditEvent[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const e = AuditEvent.parse(JSON.parse(line));
        if (e.seq > afterSeq) out.push(e);
      } catch {}
    }
    return out;
  }
}
