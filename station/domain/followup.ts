/**
 * What a signed-in doctor adds to a record (record contract v2): the assisted check-up's
 * details, and the follow-up form of the national specification (高血压/2型糖尿病患者随访服务记录表,
 * care-notes.md). Only the parts a village station can fill are here; the township hospital
 * keeps the rest.
 */
import { z } from "zod";
import { VisitClass } from "../assessment/visit-class.js";
import { openEnum } from "./open-enum.js";

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/** Why the doctor typed the ID number instead of reading the card. */
export const ID_ENTRY_REASONS = ["card-forgotten", "card-broken"] as const;
/** Why a reading was typed instead of read from the device. */
export const MANUAL_READING_REASONS = ["device-fault", "device-missing", "other-device"] as const;

export const AssistedInfo = z.object({
  doctorId: z.string().min(1).max(64),
  idEntryReason: openEnum(ID_ENTRY_REASONS).nullable(),
  /** Danger-sign codes the doctor recorded (assessment/codes.ts DANGER_SYMPTOMS); they feed the referral. */
  dangerSymptoms: z.array(z.string().max(64)).max(32),
  /** Which readings were typed by the doctor, and why. */
  manualReadings: z
    .array(z.object({ readingIndex: z.number().int().min(0), reason: openEnum(MANUAL_READING_REASONS) }))
    .max(8),
});
export type AssistedInfo = z.infer<typeof AssistedInfo>;

export const FOLLOW_UP_PROGRAMMES = ["hypertension", "diabetes"] as const;
export const FOLLOW_UP_MODES = ["clinic", "home", "phone"] as const; // 门诊 / 家庭 / 电话
/** The hypertension form's symptom checklist (9 items) plus the diabetes form's extras. */
export const FOLLOW_UP_SYMPTOMS = [
  "none", // 无症状
  "headache-dizziness", // 头痛头晕
  "nausea-vomiting", // 恶心呕吐
  "tinnitus", // 眼花耳鸣
  "dyspnoea", // 呼吸困难
  "palpitations-chest-tightness", // 心悸胸闷
  "nosebleed", // 鼻衄出血不止
  "limb-numbness", // 四肢发麻
  "lower-limb-oedema", // 下肢水肿
  "polydipsia", // 多饮 (diabetes)
  "polyphagia", // 多食 (diabetes)
  "polyuria", // 多尿 (diabetes)
  "blurred-vision", // 视力模糊 (diabetes)
  "infection", // 感染 (diabetes)
  "weight-loss", // 体重下降 (diabetes)
  "other",
] as const;
export const ADHERENCE = ["regular", "intermittent", "none"] as const; // 规律 / 间断 / 不服药

export const Medicine = z.object({
  name: z.string().min(1).max(40),
  /** As written on the form, e.g. "5mg". */
  dose: z.string().min(1).max(20),
  timesPerDay: z.number().int().min(1).max(6),
});

export const FollowUpForm = z.object({
  programmes: z.array(openEnum(FOLLOW_UP_PROGRAMMES)).min(1),
  /** The check-up whose readings this visit used. */
  checkupRecordId: z.string().max(64).nullable(),
  visitDate: IsoDate,
  mode: openEnum(FOLLOW_UP_MODES),
  symptoms: z.array(openEnum(FOLLOW_UP_SYMPTOMS)).max(16),
  otherSymptom: z.string().max(60).optional(),
  adherence: openEnum(ADHERENCE),
  adverseReaction: z.string().max(60).nullable(),
  medicines: z.array(Medicine).max(8),
  /** From the readings (控制满意/控制不满意) unless the doctor chose 不良反应 or 并发症. */
  visitClass: VisitClass,
  /** What the readings said; null when nothing the programmes use was measured. */
  visitClassComputed: VisitClass.nullable(),
  referral: z.object({ reason: z.string().max(80), institution: z.string().max(60) }).nullable(),
  nextVisit: IsoDate,
  doctorId: z.string().min(1).max(64),
});
export type FollowUpForm = z.infer<typeof FollowUpForm>;
