/**
 * The MQTT contract between stations and the county archive (docs/mqtt-api.md). One zod source
 * for the station, the Node-RED receiver and the published JSON Schema files (docs/schemas/).
 * Only MQTT 3.1.1 features are used on the delivery path, so any broker works.
 *
 * Topic tree, keyed by county and station:
 *   hs/v1/{county}/{station}/record   station → archive   QoS 1, not retained
 *   hs/v1/{county}/{station}/ack      archive → station   QoS 1, not retained
 *   hs/v1/{county}/{station}/status   station presence    QoS 1, retained, also the Last Will
 *                                     (PresenceMessage in presence.ts)
 *   hs/v1/{county}/{station}/audit    station → county    QoS 1, not retained (the doctor's audit log)
 *   hs/v1/{county}/{station}/outcome  station → county    QoS 1, not retained (the doctor's list outcomes)
 * Archive receivers share the load with `$share/archive/hs/v1/{county}/+/record`.
 */
import { z } from "zod";
import { openEnum } from "../domain/open-enum.js";
import { CheckupRecordV1, CheckupRecordV2, CheckupRecordV3 } from "../domain/schema.js";

export const TOPIC_ROOT = "hs/v1";
export const MESSAGE_VERSION = 1;
export const ARCHIVE_SHARE_GROUP = "archive";

const SEGMENT = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const topics = {
  record: (county: string, station: string) => `${TOPIC_ROOT}/${county}/${station}/record`,
  ack: (county: string, station: string) => `${TOPIC_ROOT}/${county}/${station}/ack`,
  /** The doctor's audit log, station → county (AuditMessage in station/doctor/audit-message.ts). */
  audit: (county: string, station: string) => `${TOPIC_ROOT}/${county}/${station}/audit`,
  /** The doctor's list outcomes, station → county (OutcomeMessage in station/doctor-lists/outcome-message.ts). */
  outcome: (county: string, station: string) => `${TOPIC_ROOT}/${county}/${station}/outcome`,
  /** What a county's archive receivers subscribe to (shared subscription: each record goes to one). */
  archiveRecords: (county: string, group = ARCHIVE_SHARE_GROUP) =>
    `$share/${group}/${TOPIC_ROOT}/${county}/+/record`,
};

/** Splits a record/ack topic; null when it is not one of ours (never throws on garbage). */
export function parseTopic(
  topic: string,
): { county: string; station: string; kind: "record" | "ack" } | null {
  const p = topic.split("/");
  if (p.length !== 5 || `${p[0]}/${p[1]}` !== TOPIC_ROOT) return null;
  const [, , county, station, kind] = p as [string, string, string, string, string];
  if (!SEGMENT.test(county) || !SEGMENT.test(station) || (kind !== "record" && kind !== "ack")) return null;
  return { county, station, kind };
}

/** A LOINC-coded observation derived from the record's readings (docs/mqtt-api.md has the FHIR R4 mapping). */
export const Observation = z.object({
  /** Which reading of record.readings it comes from. */
  readingIndex: z.number().int().min(0),
  code: z.object({ system: z.literal("http://loinc.org"), code: z.string(), display: z.string() }),
  components: z
    .array(
      z.object({
        code: z.object({ system: z.literal("http://loinc.org"), code: z.string(), display: z.string() }),
        value: z.number(),
        /** UCUM unit code, e.g. "mm[Hg]", "/min", "mmol/L". */
        unit: z.string(),
      }),
    )
    .min(1),
  effective: z.string().datetime({ offset: true }),
  method: openEnum(["device", "manual"]),
});
export type Observation = z.infer<typeof Observation>;

function recordMessage<V extends number, R extends z.ZodType>(v: V, record: R) {
  // Field order kept as in v1, so the published v1 schema file stays byte-identical.
  return z.object({
    v: z.literal(v),
    type: z.literal("checkup-record"),
    county: z.string().regex(SEGMENT),
    stationId: z.string().regex(SEGMENT),
    sentAt: z.string().datetime({ offset: true }),
    record,
    observations: z.array(Observation),
  });
}
/** v1 carries a v1 record; v2 a v2 record (the doctor's additions). Receivers accept all versions here. */
export const RecordMessageV1 = recordMessage(MESSAGE_VERSION, CheckupRecordV1);
export const RecordMessageV2 = recordMessage(2, CheckupRecordV2);
/** v3: a doctor's correction of a rejected record (record.correction names the one it supersedes). */
export const RecordMessageV3 = recordMessage(3, CheckupRecordV3);
export const RecordMessage = z.discriminatedUnion("v", [RecordMessageV1, RecordMessageV2, RecordMessageV3]);
export type RecordMessage = z.infer<typeof RecordMessage>;

export const ACK_STATUSES = ["stored", "duplicate", "rejected"] as const;

export const AckMessage = z.object({
  v: z.literal(MESSAGE_VERSION),
  type: z.literal("ack"),
  /** Several records may be acknowledged in one message (the archive batches under load). */
  acks: z
    .array(
      z.object({
        /** A record id (UUIDv7); bounded so a forged ack cannot make the station hold a huge string. */
        id: z.string().max(64),
        status: openEnum(ACK_STATUSES),
        /** Why a record was rejected, for the village doctor (plain English + a code). */
        reason: z.string().max(500).optional(),
        code: z.string().max(64).optional(),
      }),
    )
    .min(1)
    .max(1000),
  /**
   * The archive's own clock when it received the batch it answers. The station compares it with
   * its clock (a Pi without a real-time clock can boot years off) and trusts it as a time floor.
   */
  at: z.string().datetime({ offset: true }),
});
export type AckMessage = z.infer<typeof AckMessage>;

export const QOS = { record: 1, ack: 1 } as const;
