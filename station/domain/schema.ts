/**
 * The station's domain model. One zod source gives both the TypeScript types and the runtime
 * validation used at every boundary (UI actions, storage reads, MQTT payloads).
 */
import { z } from "zod";
import { AssistedInfo, FollowUpForm } from "./followup.js";
import { parseIdNumber } from "./id-number.js";
import { openEnum } from "./open-enum.js";

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
export const IsoDateTime = z.string().datetime({ offset: true });

export const IdNumber = z.string().superRefine((v, ctx) => {
  const r = parseIdNumber(v);
  if (!r.ok) ctx.addIssue({ code: "custom", message: `invalid resident ID number (${r.error})` });
});

export const SEXES = ["male", "female"] as const;
export const PERSON_SOURCES = ["card", "manual"] as const;

export const CardInfo = z.object({
  issuer: z.string().max(64).optional(),
  validFrom: IsoDate.optional(),
  /** null = 长期 (no expiry). */
  validTo: IsoDate.nullable().optional(),
  nation: z.string().max(16).optional(),
  address: z.string().max(128).optional(),
});
export type CardInfo = z.infer<typeof CardInfo>;

export const Person = z
  .object({
    idNumber: IdNumber,
    name: z.string().min(1).max(30),
    sex: openEnum(SEXES),
    birthDate: IsoDate,
    source: openEnum(PERSON_SOURCES),
    card: CardInfo.optional(),
  })
  .superRefine((p, ctx) => {
    // The card's printed birth date and sex must agree with the ID number itself; a mismatch
    // means a misread or a forged card, and the record must not be filed under that number.
    const r = parseIdNumber(p.idNumber);
    if (!r.ok) return;
    if (r.value.birthDate !== p.birthDate)
      ctx.addIssue({ code: "custom", path: ["birthDate"], message: "birth date does not match ID number" });
    if (p.sex !== r.value.sex)
      ctx.addIssue({ code: "custom", path: ["sex"], message: "sex does not match ID number" });
  });
export type Person = z.infer<typeof Person>;

export const READING_SOURCES = ["device", "manual"] as const;
export const DeviceRef = z.object({
  kind: openEnum(["card-reader", "bp", "glucose", "printer"]),
  model: z.string().max(64),
  serial: z.string().max(64).optional(),
  transport: openEnum(["serial", "ble", "sim", "manual"]).optional(),
});
export type DeviceRef = z.infer<typeof DeviceRef>;

/** Bluetooth BPM status bits (0x2A35) plus station-side conditions. */
export const BP_STATUS_FLAGS = [
  "body-movement",
  "cuff-loose",
  "irregular-pulse",
  "pulse-high",
  "pulse-low",
  "improper-position",
] as const;

export const BpReading = z.object({
  kind: z.literal("bp"),
  systolic: z.number().finite(),
  diastolic: z.number().finite(),
  mean: z.number().finite().nullable().optional(),
  pulse: z.number().finite().nullable().optional(),
  unit: openEnum(["mmHg", "kPa"]),
  statusFlags: z.array(openEnum(BP_STATUS_FLAGS)).default([]),
  takenAt: IsoDateTime,
  source: openEnum(READING_SOURCES),
  device: DeviceRef.optional(),
});
export type BpReading = z.infer<typeof BpReading>;

export const SAMPLE_TYPES = ["fasting", "random", "postprandial"] as const;
export type SampleType = (typeof SAMPLE_TYPES)[number];

export const GlucoseReading = z.object({
  kind: z.literal("glucose"),
  mmolL: z.number().finite(),
  sampleType: openEnum(SAMPLE_TYPES),
  takenAt: IsoDateTime,
  source: openEnum(READING_SOURCES),
  device: DeviceRef.optional(),
});
export type GlucoseReading = z.infer<typeof GlucoseReading>;

export const Reading = z.discriminatedUnion("kind", [BpReading, GlucoseReading]);
export type Reading = z.infer<typeof Reading>;

export const BP_CLASSES = [
  "normal",
  "high-normal",
  "grade1",
  "grade2",
  "grade3",
  "isolated-systolic",
] as const;
export type BpClass = (typeof BP_CLASSES)[number];
export const GLUCOSE_CLASSES = ["hypoglycaemia", "normal", "impaired-fasting", "diabetes-range"] as const;
export type GlucoseClass = (typeof GLUCOSE_CLASSES)[number];

/** What station/assessment produces for one check-up; stored with the record. */
export const Assessment = z.object({
  bp: z
    .object({
      class: openEnum(BP_CLASSES),
      systolic: z.number(),
      diastolic: z.number(),
      readingsAveraged: z.number().int().min(1),
    })
    .nullable(),
  glucose: z
    .object({
      class: openEnum(GLUCOSE_CLASSES),
      mmolL: z.number(),
      sampleType: openEnum(SAMPLE_TYPES),
    })
    .nullable(),
  referral: z.object({
    urgent: z.boolean(),
    reasons: z.array(z.string()),
  }),
  adviceKeys: z.array(z.string()),
  followUpDue: IsoDate.nullable(),
  policyVersion: z.string(),
});
export type Assessment = z.infer<typeof Assessment>;

export const Consent = z.object({
  given: z.boolean(),
  at: IsoDateTime,
  method: openEnum(["touch", "doctor"]),
});

export const Operator = z.union([
  z.object({ kind: z.literal("self") }),
  z.object({ kind: z.literal("doctor"), doctorId: z.string().min(1).max(64) }),
]);
export type Operator = z.infer<typeof Operator>;

export const SYNC_STATUSES = ["pending", "acked", "rejected"] as const;
export const SyncState = z.object({
  status: openEnum(SYNC_STATUSES),
  attempts: z.number().int().min(0).default(0),
  lastAttemptAt: IsoDateTime.nullable().default(null),
  ackedAt: IsoDateTime.nullable().default(null),
  rejectReason: z.string().nullable().default(null),
});
export type SyncState = z.infer<typeof SyncState>;

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const RecordFields = z.object({
  id: z.string().regex(UUID_V7, "expected a UUIDv7"),
  stationId: z.string().min(1).max(64),
  /** Monotonic per station, survives restarts: orders records even when the wall clock jumps. */
  seq: z.number().int().min(1),
  createdAt: IsoDateTime,
  /** The wall clock looked wrong when the record was made (before build date, or behind the last record). */
  clockSuspect: z.boolean().default(false),
  person: Person,
  readings: z.array(Reading),
  assessment: Assessment.nullable(),
  consent: Consent,
  operator: Operator,
  sync: SyncState,
});

/** Records made before the doctor's console; still read and uploaded as they are. */
export const CheckupRecordV1 = z.object({ schemaVersion: z.literal(1), ...RecordFields.shape });
/** v2 adds what a signed-in doctor recorded (docs/mqtt-api.md "Record versions"). */
export const CheckupRecordV2 = z.object({
  schemaVersion: z.literal(2),
  ...RecordFields.shape,
  assisted: AssistedInfo.nullable().default(null),
  followUp: FollowUpForm.nullable().default(null),
});
/** Why a doctor corrected a record the archive rejected (v3). */
export const CORRECTION_REASONS = ["typing-error", "wrong-card", "device-error", "other"] as const;
/** What a correction changed: "idNumber", "name", or "readings.<index>". */
export const CorrectionInfo = z.object({
  /** The rejected record this one replaces; it stays on the station, marked superseded. */
  supersedes: z.string().regex(UUID_V7, "expected a UUIDv7"),
  doctorId: z.string().min(1).max(64),
  reason: openEnum(CORRECTION_REASONS),
  /** The archive's rejection code of the superseded record (null when it gave none). */
  rejectCode: z.string().max(64).nullable(),
  changed: z.array(z.string().max(32)).min(1).max(16),
});
export type CorrectionInfo = z.infer<typeof CorrectionInfo>;
/** v3 is a doctor's correction of a rejected record: a new record naming the one it supersedes. */
export const CheckupRecordV3 = z.object({
  ...CheckupRecordV2.shape,
  schemaVersion: z.literal(3),
  correction: CorrectionInfo,
});
export const CheckupRecord = z.discriminatedUnion("schemaVersion", [
  CheckupRecordV1,
  CheckupRecordV2,
  CheckupRecordV3,
]);
export type CheckupRecord = z.infer<typeof CheckupRecord>;
export const RECORD_SCHEMA_VERSION = 2;

export const ROSTER_CATEGORIES = [
  "registered-poor", // 建档立卡贫困人口
  "subsistence", // 低保
  "destitute", // 特困
  "poor-disabled",
  "age65",
  "hypertension",
  "diabetes",
] as const;

export const RosterEntry = z.object({
  idNumber: IdNumber,
  name: z.string().min(1).max(30),
  village: z.string().max(64),
  categories: z.array(openEnum(ROSTER_CATEGORIES)),
  doctor: z.object({ name: z.string(), phone: z.string() }).nullable().default(null),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** Formats zod issues as `path: message` lines, the form every boundary reports. */
export function formatIssues(err: z.ZodError): string[] {
  return err.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}
