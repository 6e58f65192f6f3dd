/**
 * Urgent referral, 国家基本公共卫生服务规范（第三版）: hypertension and type 2 diabetes follow-up
 * specifications — SBP ≥180 and/or DBP ≥110; glucose ≥16.7 or ≤3.9 mmol/L; any danger sign
 * (codes.ts DANGER_SYMPTOMS). The referral is then followed up within 2 weeks.
 * A county pack may lower the BP and high-glucose limits (refer earlier), never raise them.
 */
import { DANGER_SYMPTOMS } from "./codes.js";
import type { PolicyPack } from "./policy-schema.js";
import { fillText, type LocalText } from "./text.js";

export interface ReferralFinding {
  /** Stored code: a REFERRAL_REASONS entry or `symptom:<code>`. */
  reason: string;
  text: LocalText;
}

export function evaluateReferral(
  input: { sbp: number | null; dbp: number | null; glucose: number | null; symptoms: readonly string[] },
  pack: PolicyPack,
): { findings: ReferralFinding[]; unknownSymptoms: string[] } {
  const lim = pack.thresholds.referral;
  const r = pack.texts.reasons;
  const findings: ReferralFinding[] = [];
  if (input.sbp !== null && input.sbp >= lim.sbpAtLeast)
    findings.push({
      reason: "sbp-severe",
      text: fillText(r["sbp-severe"]!, { value: input.sbp, limit: lim.sbpAtLeast }),
    });
  if (input.dbp !== null && input.dbp >= lim.dbpAtLeast)
    findings.push({
      reason: "dbp-severe",
      text: fillText(r["dbp-severe"]!, { value: input.dbp, limit: lim.dbpAtLeast }),
    });
  if (input.glucose !== null && input.glucose >= lim.glucoseHighAtLeast)
    findings.push({
      reason: "glucose-severe-high",
      text: fillText(r["glucose-severe-high"]!, { value: input.glucose, limit: lim.glucoseHighAtLeast }),
    });
  if (input.glucose !== null && input.glucose <= lim.glucoseLowAtMost)
    findings.push({
      reason: "glucose-low",
      text: fillText(r["glucose-low"]!, { value: input.glucose, limit: lim.glucoseLowAtMost }),
    });
  const unknownSymptoms: string[] = [];
  for (const code of new Set(input.symptoms)) {
    // A code this build does not know still came from a doctor flagging danger: refer anyway.
    const known = (DANGER_SYMPTOMS as readonly string[]).includes(code);
    if (!known) unknownSymptoms.push(code);
    const text = known ? pack.texts.symptoms[code]! : fillText(r["symptom-unknown"]!, { code });
    findings.push({ reason: `symptom:${code}`, text });
  }
  return { findings, unknownSymptoms };
}
