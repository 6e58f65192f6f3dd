/**
 * The county policy data pack: the same JSON as a policy pack file (station/assessment), checked
 * whole by its own schema (every error listed); in force for the next assessment once installed.
 */
import { PolicyHolder, parsePolicyPack } from "../assessment/policy-holder.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { PackCheck, PackKind } from "./packs.js";

export function checkPolicyPack(bytes: Buffer): PackCheck<PolicyPack> {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    return { ok: false, errors: [`(root): not JSON: ${(err as Error).message}`] };
  }
  const r = parsePolicyPack(raw);
  return r.ok ? { ok: true, value: r.pack } : { ok: false, errors: r.errors };
}

export function policyPack(holder: PolicyHolder): PackKind<PolicyPack> {
  return { check: checkPolicyPack, apply: (pack) => void holder.load(pack) };
}

export { PolicyHolder };
