/**
 * Line format of the file archive's JSONL segments, and the scan that rebuilds the id index
 * on open. Pure (Buffer in, facts out) so torn and corrupt tails are easy to test.
 *
 * Each line starts with a fixed prefix so the scan can index a record without parsing it:
 *   {"id":"<36-char uuid>","station":"<station>","receivedAt":"…","message":{…}}\n
 */
import type { ArchivedRecord } from "./store.js";

const PREFIX = '{"id":"';
const ID_LEN = 36;
const STATION_KEY = '","station":"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NL = 0x0a;

export interface LineLoc {
  id: string;
  station: string;
  offset: number;
  length: number;
}

export interface SegmentScan {
  lines: LineLoc[];
  /** Bytes up to and including the last newline; anything after it is a torn write. */
  validBytes: number;
  /** Complete lines that do not look like a record (disk damage); skipped, never truncated. */
  corrupt: number;
}

const STATION = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function encodeLine(r: ArchivedRecord): Buffer {
  const id = r.message.record.id;
  // The scan relies on these shapes; the receiver has validated them already.
  if (!UUID.test(id) || !STATION.test(r.message.stationId))
    throw new TypeError(
      `cannot archive record ${JSON.stringify(id)} of station ${JSON.stringify(r.message.stationId)}`,
    );
  const body = JSON.stringify({ receivedAt: r.receivedAt, message: r.message });
  return Buffer.from(`${PREFIX}${id}${STATION_KEY}${r.message.stationId}",${body.slice(1)}\n`, "utf8");
}

export function decodeLine(line: Buffer | string): ArchivedRecord {
  const o = JSON.parse(line.toString()) as ArchivedRecord & { id: string; station: string };
  return { message: o.message, receivedAt: o.receivedAt };
}

/** Indexes one line without parsing it; null when it is not a record line. */
function locate(buf: Buffer, start: number, end: number): LineLoc | null {
  // end is the index of the newline; the line must close its JSON object.
  if (end - start < PREFIX.length + ID_LEN + STATION_KEY.length + 3 || buf[end - 1] !== 0x7d) return null;
  if (buf.toString("latin1", start, start + PREFIX.length) !== PREFIX) return null;
  // Blocks zero-filled by a power cut can end in a newline from a later write.
  const nul = buf.indexOf(0, start);
  if (nul !== -1 && nul < end) return null;
  const id = buf.toString("latin1", start + PREFIX.length, start + PREFIX.length + ID_LEN);
  if (!UUID.test(id)) return null;
  const s0 = start + PREFIX.length + ID_LEN;
  if (buf.toString("latin1", s0, s0 + STATION_KEY.length) !== STATION_KEY) return null;
  const sEnd = buf.indexOf('"', s0 + STATION_KEY.length, "latin1");
  if (sEnd === -1 || sEnd > end) return null;
  const station = buf.toString("utf8", s0 + STATION_KEY.length, sEnd);
  return { id, station, offset: start, length: end + 1 - start };
}

export function scanSegment(buf: Buffer): SegmentScan {
  const lines: LineLoc[] = [];
  let corrupt = 0;
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(NL, start);
    if (nl === -1) break;
    if (nl > start) {
      const loc = locate(buf, start, nl);
      if (loc) lines.push(loc);
      else corrupt++;
    }
    start = nl + 1;
  }
  return { lines, validBytes: start, corrupt };
}

export function segmentName(n: number): string {
  return `seg-${String(n).padStart(8, "0")}.jsonl`;
}

export function segmentNumber(name: string): number | null {
  const m = /^seg-(\d{8})\.jsonl$/.exec(name);
  return m ? Number(m[1]) : null;
}
