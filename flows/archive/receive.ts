/**
 * What the county archive does with one MQTT message, as a pure function (no I/O):
 * store it, reject it with a code and a plain reason the station shows the village doctor,
 * or drop it when it cannot be attributed to a record (nothing to acknowledge).
 * Never throws, whatever the bytes.
 */
import { ID_NUMBER_REASON, type IdNumberError, parseIdNumber } from "../../station/domain/id-number.js";
import { formatIssues } from "../../station/domain/schema.js";
import { parseTopic, RecordMessage } from "../../station/mqtt/contract.js";
import { decideEvents, type EventDecision } from "./receive-events.js";
import { formatAjvErrors, type Validators } from "./schemas.js";

export const MAX_PAYLOAD_BYTES = 256 * 1024;

export type RejectCode =
  | "too-large"
  | "invalid-json"
  | "schema"
  | "topic-mismatch"
  | "id-number"
  | "record-invalid";
export type DropCode = "bad-topic" | "no-record-id" | "internal";

export type Decision =
  | { kind: "store"; county: string; station: string; message: RecordMessage }
  | { kind: "reject"; county: string; station: string; id: string; code: RejectCode; reason: string }
  | { kind: "drop"; code: DropCode; reason: string; topic: string; size: number }
  // The doctor's audit log and list outcomes (receive-events.ts).
  | Exclude<EventDecision, { kind: "drop" }>;

export interface DecideContext {
  validators: Validators;
  /** YYYY-MM-DD at the archive, in the county's time zone: a birth date after it is impossible. */
  today: string;
}

// Chinese first (the village doctor reads it), English after; the code is for software.
const REASONS: Record<RejectCode, string> = {
  "too-large": "记录过大，档案拒收 / Record is larger than the archive accepts",
  "invalid-json": "记录不是有效的 JSON / Record is not valid JSON",
  schema: "记录格式不符合接口规范 / Record does not match the message schema",
  "topic-mismatch":
    "记录的县或站点与发送主题不一致 / County or station in the record does not match its topic",
  "id-number": "身份证号码无效 / Resident ID number is not valid",
  "record-invalid": "记录内容前后矛盾 / Record contents are inconsistent",
};

const idNumberDetail = (e: IdNumberError): string => `${ID_NUMBER_REASON[e].zh} / ${ID_NUMBER_REASON[e].en}`;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const ID_IN_TEXT = new RegExp(`"id"\\s*:\\s*"(${UUID})"`);
const SCAN_BYTES = 64 * 1024;

function reason(code: RejectCode, detail?: string): string {
  const text = detail ? `${REASONS[code]}: ${detail}` : REASONS[code];
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

function toBytes(payload: unknown): Buffer | null {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array)
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (typeof payload === "string") return Buffer.from(payload, "utf8");
  return null;
}

/** The record id of a parsed payload, if it has a plausible one. */
function idOf(json: unknown): string | null {
  const rec = (json as { record?: { id?: unknown } } | null)?.record;
  const id = typeof rec === "object" && rec !== null ? rec.id : undefined;
  return typeof id === "string" && id.length > 0 && id.length <= 64 ? id : null;
}

/** Best effort for payloads we will not parse: the first UUID-valued "id" in the head. */
function idInText(bytes: Buffer): string | null {
  return ID_IN_TEXT.exec(bytes.subarray(0, SCAN_BYTES).toString("utf8"))?.[1] ?? null;
}

export function decide(topic: unknown, payload: unknown, ctx: DecideContext): Decision {
  try {
    return decideUnsafe(typeof topic === "string" ? topic : "", payload, ctx);
  } catch (err) {
    // A bug here must cost one message, never the receiver.
    const size = toBytes(payload)?.length ?? 0;
    return { kind: "drop", code: "internal", reason: String(err), topic: String(topic), size };
  }
}

function decideUnsafe(topic: string, payload: unknown, ctx: DecideContext): Decision {
  const bytes = toBytes(payload);
  const size = bytes?.length ?? 0;
  const ev = decideEvents(topic, bytes, payload, MAX_PAYLOAD_BYTES, ctx.validators);
  if (ev) return ev;
  const t = parseTopic(topic);
  if (t?.kind !== "record")
    return { kind: "drop", code: "bad-topic", reason: "not a record topic", topic, size };
  const { county, station } = t;
  const drop = (why: string): Decision => ({ kind: "drop", code: "no-record-id", reason: why, topic, size });
  const reject = (id: string, code: RejectCode, detail?: string): Decision => ({
    kind: "reject",
    county,
    station,
    id,
    code,
    reason: reason(code, detail),
  });

  let json: unknown;
  if (bytes) {
    if (bytes.length > MAX_PAYLOAD_BYTES) {
      const id = idInText(bytes);
      return id
        ? reject(id, "too-large", `${bytes.length} > ${MAX_PAYLOAD_BYTES} bytes`)
        : drop(`payload of ${bytes.length} bytes without a record id`);
    }
    try {
      json = JSON.parse(bytes.toString("utf8"));
    } catch {
      const id = idInText(bytes);
      return id ? reject(id, "invalid-json") : drop("payload is not JSON and names no record id");
    }
  } else {
    json = payload; // already parsed upstream (an mqtt-in node set to parse JSON)
  }

  const id = idOf(json);
  if (!id) return drop("payload has no record.id");
  // Each message version has its own published schema; an unknown version fails v1's `v` const.
  const v = (json as { v?: unknown }).v;
  const validate =
    v === 2 ? ctx.validators.recordV2 : v === 3 ? ctx.validators.recordV3 : ctx.validators.record;
  if (!validate(json)) return reject(id, "schema", formatAjvErrors(validate.errors));

  const msg = json as {
    county: string;
    stationId: string;
    record: { stationId: string; person: { idNumber: string } };
  };
  if (msg.county !== county || msg.stationId !== station || msg.record.stationId !== station)
    return reject(
      id,
      "topic-mismatch",
      `topic ${county}/${station}, payload ${msg.county}/${msg.stationId}, record ${msg.record.stationId}`,
    );

  const idNumber = parseIdNumber(msg.record.person.idNumber, ctx.today);
  if (!idNumber.ok) return reject(id, "id-number", idNumberDetail(idNumber.error));

  // The domain model's own rules (e.g. birth date and sex must agree with the ID number).
  const parsed = RecordMessage.safeParse(json);
  if (!parsed.success) return reject(id, "record-invalid", formatIssues(parsed.error).slice(0, 3).join("; "));
  return { kind: "store", county, station, message: parsed.data };
}
