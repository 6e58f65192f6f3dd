/**
 * The county policy pack: one versioned JSON document holding local entitlements, threshold
 * overrides, follow-up rules and every text the station reads to a villager. The zod schema is
 * the single source of truth for both validation and the TypeScript type.
 */
import { z } from "zod";
import { ACTIONS, ADVICE_KEYS, DANGER_SYMPTOMS, HOSPITAL_LEVELS, REFERRAL_REASONS } from "./codes.js";

/** Pack format this build reads; older formats are migrated in policy-holder.ts. */
export const POLICY_FORMAT = 1;

const Text = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export type LocalText = z.infer<typeof Text>;

const Ratio = z.number().min(0).max(1);
const MonthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "expected MM-DD")
  .refine((s) => s !== "02-29" && s !== "02-30" && s !== "02-31", "must be a day every year has");

/**
 * A group of people: every condition given must hold (at least one of the roster categories in
 * anyCategory, all of allCategories, age minAge or over). Fields taking a list of Who match
 * anyone in any of the groups.
 */
const Who = z
  .strictObject({
    anyCategory: z.array(z.string().min(1)).min(1).optional(),
    allCategories: z.array(z.string().min(1)).min(1).optional(),
    minAge: z.number().int().min(0).max(120).optional(),
  })
  .refine((w) => w.anyCategory || w.allCategories || w.minAge !== undefined, {
    message: "give anyCategory, allCategories or minAge (a group with no condition is everyone)",
  });
export type Who = z.infer<typeof Who>;
const WhoList = z.array(Who).min(1);

/** A text map that must hold an entry for every code in `keys`; extra entries are allowed. */
function textsFor(keys: readonly string[]) {
  return z.record(z.string(), Text).superRefine((rec, ctx) => {
    for (const k of keys)
      if (!(k in rec)) ctx.addIssue({ code: "custom", path: [k], message: "missing text (zh and en)" });
  });
}

const Disease = Text;

export const PolicyPack = z.strictObject({
  schema: z.literal("health-station/policy-pack"),
  formatVersion: z.literal(POLICY_FORMAT),
  /** Edition of this county's pack; stored with every assessment as `<county.code>/<version>`. */
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/, "letters, digits, . _ - (max 32)"),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD"),
  county: z.strictObject({
    code: z.string().regex(/^[0-9A-Za-z-]{1,16}$/, "letters, digits and - (max 16)"),
    name: Text,
    fictional: z.boolean(),
  }),
  sources: z.array(z.strictObject({ id: z.string().min(1), title: z.string().min(1), note: z.string() })),
  entitlements: z.strictObject({
    freeServices: z.array(
      z.strictObject({ id: z.string().min(1), who: WhoList, text: Text, source: z.string() }),
    ),
    inpatient: z.strictObject({
      who: WhoList,
      ratios: z.strictObject(
        Object.fromEntries(HOSPITAL_LEVELS.map((l) => [l, Ratio])) as Record<
          (typeof HOSPITAL_LEVELS)[number],
          typeof Ratio
        >,
      ),
      source: z.string(),
    }),
    outpatientChronic: z.strictObject({
      who: WhoList,
      ratio: Ratio,
      diseases: z.array(Disease).min(1),
      exceptions: z.array(z.strictObject({ ratio: Ratio, diseases: z.array(Disease).min(1) })),
      source: z.string(),
    }),
    majorDiseases: z.strictObject({
      who: WhoList,
      ratio: Ratio,
      categories: z.array(z.strictObject({ name: Text, diseases: z.array(Disease).min(1) })).min(1),
      source: z.string(),
    }),
  }),
  thresholds: z.strictObject({
    /** A county may refer earlier than the national rule, never later: the bounds enforce that. */
    referral: z.strictObject({
      sbpAtLeast: z.number().min(160).max(180),
      dbpAtLeast: z.number().min(100).max(110),
      glucoseHighAtLeast: z.number().min(13.9).max(16.7),
      glucoseLowAtMost: z.number().min(3.9).max(4.4),
    }),
    bpTargets: z.strictObject({
      default: z.strictObject({
        sbp: z.number().int().min(110).max(160),
        dbp: z.number().int().min(60).max(100),
      }),
      /** First matching rule wins; order them most specific first. */
      rules: z.array(
        z.strictObject({
          who: WhoList,
          sbp: z.number().int().min(110).max(160),
          dbp: z.number().int().min(60).max(100),
          note: z.string(),
        }),
      ),
    }),
  }),
  followUp: z.strictObject({
    referralDays: z.number().int().min(1).max(14),
    uncontrolledDays: z.number().int().min(1).max(90),
    recheckDays: z.number().int().min(1).max(90),
    /** How many days before its due date an item appears on the "due" list. */
    leadDays: z.number().int().min(0).max(60),
    chronic: z.strictObject({
      conditions: z.array(z.string().min(1)).min(1),
      perYear: z.number().int().min(1).max(24),
      extra: z.array(
        z.strictObject({
          category: z.string().min(1),
          perYear: z.number().int().min(1).max(24),
          source: z.string(),
        }),
      ),
    }),
    annualCheckup: z.strictObject({ who: WhoList, dueBy: MonthDay }),
  }),
  advice: textsFor(ADVICE_KEYS),
  texts: z.strictObject({
    actions: textsFor(ACTIONS),
    reasons: textsFor([...REFERRAL_REASONS, "symptom-unknown"]),
    symptoms: textsFor(DANGER_SYMPTOMS),
    levels: textsFor(HOSPITAL_LEVELS),
    phrases: textsFor([
      "separator",
      "alert-urgent",
      "ent-intro",
      "ent-level-item",
      "ent-inpatient",
      "ent-outpatient",
      "ent-outpatient-exception",
      "ent-major",
      "ent-none",
    ]),
  }),
});
export type PolicyPack = z.infer<typeof PolicyPack>;

export function policyVersion(pack: PolicyPack): string {
  return `${pack.county.code}/${pack.version}`;
}
