/**
 * What the county archive does with a doctor's audit-log or list-outcome message
 * (hs/v1/{county}/{station}/audit | outcome, docs/mqtt-api.md): store its events, refuse it with a
 * code and a reason acked against each event id it names, or drop it when it names none.
 * Pure, like receive.ts; checked against the published schema and then the zod contract (which
 * also refuses an ID number smuggled into an audit detail).
 */
import { AuditMessage } from "../../station/doctor/audit-message.js";
import { OutcomeMessage } from "../../station/doctor-lists/outcome-message.js";
import { formatIssues } from "../../station/domain/schema.js";
import { formatAjvErrors, type Validators } from "./schemas.js";
import type { ArchivedEvent, EventStream } from "./store.js";

export type EventRejectCode = "too-large" | "invalid-json" | "schema" | "topic-mismatch" | "event-invalid";

export type EventDecision =
  | {
      kind: "store-events";
      stream: EventStream;
      county: string;
      station: string;
      events: Array<Omit<ArchivedEvent, "receivedAt">>;
    }
  | {
      kind: "reject-events";
      stream: EventStream;
      county: string;
      station: string;
      ids: string[];
      code: EventRejectCode;
      reason: string;
    }
  | { kind: "drop"; code: "no-record-id"; reason: string; topic: string; size: number };

const REASONS: Record<EventRejectCode, string> = {
  "too-large": "消息过大，档案拒收 / Message is larger than the archive accepts",
  "invalid-json": "消息不是有效的 JSON / Message is not valid JSON",
  schema: "消息格式不符合接口规范 / Message does not match the message schema",
  "topic-mismatch": "消息的站点与发送主题不一致 / Station in the message does not match its topic",
  "event-invalid": "消息内容无效 / Message contents are not valid",
};

const SEGMENT = /^[a-z0-9][a-z0-9-]{1,62}$/;
const UUID_IN_TEXT = /"id"\s*:\s*"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;

/** `hs/v1/{county}/{station}/audit|outcome`, or null. */
export function parseEventTopic(
  topic: string,
): { county: string; station: string; stream: EventStream } | null {
  const p = topic.split("/");
  if (p.length !== 5 || p[0] !== "hs" || p[1] !== "v1") return null;
  const [, , county, station, kind] = p as [string, string, string, string, string];
  if (!SEGMENT.test(county) || !SEGMENT.test(station)) return null;
  return kind === "audit" || kind === "outcome" ? { county, station, stream: kind } : null;
}

function idsOf(json: unknown, stream: EventStream): string[] {
  const list = (json as Record<string, unknown> | null)?.[stream === "audit" ? "events" : "outcomes"];
  if (!Array.isArray(list)) return [];
  return list
    .map((e) => (e as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === "string" && id.length > 0 && id.length <= 64)
    .slice(0, 1000);
}

export function decideEvents(
  topic: string,
  bytes: Buffer | null,
  parsedPayload: unknown,
  maxBytes: number,
  validators: Validators,
): EventDecision | null {
  const t = parseEventTopic(topic);
  if (!t) return null;
  const size = bytes?.length ?? 0;
  const { county, station, stream } = t;
  const reject = (ids: string[], code: EventRejectCode, detail?: string): EventDecision => {
    if (ids.length === 0)
      return { kind: "drop", code: "no-record-id", reason: `${code}: no event id to answer`, topic, size };
    const text = detail ? `${REASONS[code]}: ${detail}` : REASONS[code];
    return { kind: "reject-events", stream, county, station, ids, code, reason: text.slice(0, 500) };
  };
  let json: unknown = parsedPayload;
  if (bytes) {
    const head = () =>
      [
        ...bytes
          .subarray(0, 64 * 1024)
          .toString("utf8")
          .matchAll(UUID_IN_TEXT),
      ].map((m) => m[1]!);
    if (bytes.length > maxBytes) return reject(head(), "too-large", `${bytes.length} > ${maxBytes} bytes`);
    try {
      json = JSON.parse(bytes.toString("utf8"));
    } catch {
      return reject(head(), "invalid-json");
    }
  }
  const ids = idsOf(json, stream);
  const validate = stream === "audit" ? validators.audit : validators.outcome;
  if (!validate(json)) return reject(ids, "schema", formatAjvErrors(validate.errors));
  const parsed = (stream === "audit" ? AuditMessage : OutcomeMessage).safeParse(json);
  if (!parsed.success) return reject(ids, "event-invalid", formatIssues(parsed.error).slice(0, 3).join("; "));
  const msg = parsed.data;
  const events: Array<Record<string, unknown> & { id: string }> = "events" in msg ? msg.events : msg.outcomes;
  const foreign = "events" in msg ? msg.events.find((e) => e.stationId !== station) : undefined;
  if (msg.stationId !== station || foreign)
    return reject(ids, "topic-mismatch", `topic ${station}, message ${msg.stationId}`);
  return {
    kind: "store-events",
    stream,
    county,
    station,
    events: events.map((e) => ({ stream, county, station, id: e.id, event: e })),
  };
}
