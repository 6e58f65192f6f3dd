/** Bodies of the doctor's console requests (station/doctor/routes.ts), validated with zod. */
import { z } from "zod";
import { DANGER_SYMPTOMS } from "../assessment/codes.js";
import { ID_ENTRY_REASONS, MANUAL_READING_REASONS } from "../domain/followup.js";
import { SAMPLE_TYPES } from "../domain/schema.js";

export const SignInRequest = z
  .object({
    doctorId: z.string().max(64),
    pin: z.string().max(16),
    via: z.enum(["name", "card"]).default("name"),
  })
  .strict();

export const CardWaitRequest = z.object({ on: z.boolean() }).strict();

export const AssistedRequest = z
  .object({ on: z.boolean(), sampleType: z.enum(SAMPLE_TYPES).nullable().default(null) })
  .strict();

export const ManualIdRequest = z
  .object({
    idNumber: z.string().min(1).max(32),
    name: z.string().max(30).optional(),
    reason: z.enum(ID_ENTRY_REASONS),
  })
  .strict();

export const SymptomsRequest = z.object({ codes: z.array(z.enum(DANGER_SYMPTOMS)).max(20) }).strict();

export const ManualReadingRequest = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("bp"),
      systolic: z.number().int(),
      diastolic: z.number().int(),
      pulse: z.number().int().nullable().default(null),
      reason: z.enum(MANUAL_READING_REASONS),
    })
    .strict(),
  z
    .object({
      kind: z.literal("glucose"),
      mmolL: z.number(),
      sampleType: z.enum(SAMPLE_TYPES),
      reason: z.enum(MANUAL_READING_REASONS),
    })
    .strict(),
]);

export const AuditListRequest = z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict();
