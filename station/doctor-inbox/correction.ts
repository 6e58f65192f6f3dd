/**
 * A doctor's correction of a record the county archive rejected (issue 10 §3), as a pure
 * function. A correction is never an edit: it is a new record (new id, record contract v3) that
 * names the rejected one in `correction.supersedes`, with the doctor as operator and a reason.
 * Only the values the rejection is about may change, and corrected readings pass the same
 * plausibility checks as a doctor's manual entry.
 */
import { z } from "zod";
import { checkBpReading } from "../assessment/bp.js";
import { glucosePlausible } from "../assessment/glucose.js";
import { ID_NUMBER_REASON, normaliseIdNumber, parseIdNumber } from "../domain/id-number.js";
import {
  type Assessment,
  type CheckupRecord,
  CheckupRecordV3,
  CORRECTION_REASONS,
  type Reading,
} from "../domain/schema.js";
import { parseRejectReason } from "../upload/status.js";
import { StationError } from "../util/errors.js";

export type CorrectableField = "idNumber" | "name" | "readings";

/**
 * Which values a rejection is about. "id-number": the archive refused the ID number alone.
 * "schema" and "record-invalid": the name or a reading can be at fault (a birth date or sex that
 * disagrees with the number is fixed through the number). Other codes (too large, not JSON, topic
 * mismatch) are not about a value: nothing a doctor types can fix them.
 */
export function correctableFields(code: string | null): CorrectableField[] {
  switch (code) {
    case "id-number":
      return ["idNumber"];
    case "schema":
      return ["name", "readings"];
    case "record-invalid":
    case null:
      return ["idNumber", "name", "readings"];
    default:
      return [];
  }
}

const ReadingFix = z.union([
  z
    .object({
      index: z.number().int().min(0).max(16),
      systolic: z.number().int(),
      diastolic: z.number().int(),
      pulse: z.number().int().nullable().default(null),
    })
    .strict(),
  z.object({ index: z.number().int().min(0).max(16), mmolL: z.number() }).strict(),
]);

export const CorrectionRequest = z
  .object({
    recordId: z.string().max(64),
    reason: z.enum(CORRECTION_REASONS),
    idNumber: z.string().min(1).max(32).optional(),
    name: z.string().min(1).max(30).optional(),
    readings: z.array(ReadingFix).max(8).optional(),
  })
  .strict();
export type CorrectionRequest = z.infer<typeof CorrectionRequest>;

export interface CorrectionContext {
  id: string;
  doctorId: string;
  stationId: string;
  seq: number;
  nowMs: number;
  /** The station's local date (YYYY-MM-DD) at nowMs. */
  today: string;
  clockSuspect: boolean;
  /** The assessment for the corrected readings and person (same policy as a check-up). */
  assess: (readings: readonly Reading[], person: CheckupRecord["person"]) => Assessment | null;
}

function refuse(code: string, zh: string, en: string): never {
  throw new StationError(code, `${zh} / ${en}`);
}

function fixReading(r: Reading, fix: z.infer<typeof ReadingFix>, takenAt: string): Reading {
  const manual = {
    source: "manual",
    device: { kind: r.kind, model: "manual", transport: "manual" },
  } as const;
  if (r.kind === "bp" && "systolic" in fix) {
    const next = {
      ...r,
      systolic: fix.systolic,
      diastolic: fix.diastolic,
      pulse: fix.pulse,
      unit: "mmHg",
      mean: null,
      ...manual,
    };
    const check = checkBpReading(next);
    if (!check.ok) refuse("reading-implausible", `读数不可能：${check.message}`, check.message);
    return { ...next, takenAt };
  }
  if (r.kind === "glucose" && "mmolL" in fix) {
    if (!glucosePlausible(fix.mmolL))
      refuse(
        "reading-implausible",
        `读数不可能：血糖 ${fix.mmolL} mmol/L`,
        `impossible reading: glucose ${fix.mmolL} mmol/L`,
      );
    return { ...r, mmolL: fix.mmolL, ...manual, takenAt };
  }
  return refuse("bad-request", "读数类型不符", `reading ${fix.index} is not of that kind`);
}

/** The new version of `original`; throws StationError when the request may not or need not change it. */
export function buildCorrection(
  original: CheckupRecord,
  req: CorrectionRequest,
  ctx: CorrectionContext,
): z.infer<typeof CheckupRecordV3> {
  if (original.sync.status !== "rejected")
    refuse("not-rejected", "这条记录没有被退回", "the archive did not reject this record");
  const rejectCode = parseRejectReason(original.sync.rejectReason ?? "").code;
  const allowed = correctableFields(rejectCode);
  const changed: string[] = [];
  const want = (f: CorrectableField) => {
    if (!allowed.includes(f))
      refuse(
        "correction-not-allowed",
        "退回原因与这项无关，不能改",
        `${f} is not what the rejection is about`,
      );
  };

  let person = original.person;
  if (req.idNumber !== undefined && normaliseIdNumber(req.idNumber) !== person.idNumber) {
    want("idNumber");
    // The station's local date, as at a card tap; a suspect clock does not judge the birth date.
    const p = parseIdNumber(req.idNumber, ctx.clockSuspect ? undefined : ctx.today);
    if (!p.ok) {
      const why = ID_NUMBER_REASON[p.error];
      refuse("id-number-invalid", `身份证号码无效：${why.zh}`, `invalid ID number: ${why.en}`);
    }
    // Birth date and sex come from the number: a record may never disagree with it. What the
    // card said (issuer, address) was about the old number, so it goes; the number is typed.
    const { card: _card, ...rest } = person;
    person = {
      ...rest,
      idNumber: p.value.idNumber,
      birthDate: p.value.birthDate,
      sex: p.value.sex,
      source: "manual",
    };
    changed.push("idNumber");
  }
  if (req.name !== undefined && req.name.trim() !== person.name) {
    want("name");
    person = { ...person, name: req.name.trim() };
    changed.push("name");
  }
  const readings = [...original.readings];
  for (const fix of req.readings ?? []) {
    const r = readings[fix.index];
    if (!r) refuse("bad-request", "没有这个读数", `no reading ${fix.index}`);
    const same =
      r.kind === "bp" && "systolic" in fix
        ? r.systolic === fix.systolic && r.diastolic === fix.diastolic && (r.pulse ?? null) === fix.pulse
        : r.kind === "glucose" && "mmolL" in fix && r.mmolL === fix.mmolL;
    if (same) continue;
    want("readings");
    readings[fix.index] = fixReading(r, fix, r.takenAt);
    changed.push(`readings.${fix.index}`);
  }
  if (!changed.length) refuse("nothing-changed", "没有改动", "nothing was changed");

  const createdAt = new Date(ctx.nowMs).toISOString();
  const v2 = original.schemaVersion === 1 ? null : original;
  const record = {
    schemaVersion: 3 as const,
    id: ctx.id,
    stationId: ctx.stationId,
    seq: ctx.seq,
    createdAt,
    clockSuspect: ctx.clockSuspect,
    person,
    readings,
    // A follow-up form has no assessment; a check-up's is made again from the corrected values.
    assessment: original.assessment ? ctx.assess(readings, person) : null,
    consent: original.consent,
    operator: { kind: "doctor" as const, doctorId: ctx.doctorId },
    assisted: v2?.assisted ?? null,
    followUp: v2?.followUp ?? null,
    correction: {
      supersedes: original.id,
      doctorId: ctx.doctorId,
      reason: req.reason,
      rejectCode,
      changed,
    },
    sync: { status: "pending", attempts: 0, lastAttemptAt: null, ackedAt: null, rejectReason: null },
  };
  // The same validation every stored record passes (e.g. birth date and sex against the number).
  const parsed = CheckupRecordV3.safeParse(record);
  if (!parsed.success)
    refuse("record-invalid", "更正后的记录无效", parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}
