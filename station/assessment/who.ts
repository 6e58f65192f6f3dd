/** Matching people against the pack's groups, targets and visit counts. */
import type { PolicyPack, Who } from "./policy-schema.js";

export function matchesWho(who: Who, categories: readonly string[], age: number): boolean {
  if (who.anyCategory && !who.anyCategory.some((c) => categories.includes(c))) return false;
  if (who.allCategories && !who.allCategories.every((c) => categories.includes(c))) return false;
  if (who.minAge !== undefined && age < who.minAge) return false;
  return true;
}

export function matchesAny(list: readonly Who[], categories: readonly string[], age: number): boolean {
  return list.some((w) => matchesWho(w, categories, age));
}

/** The BP the person should stay below: the first matching rule, else the default. */
export function bpTarget(
  pack: PolicyPack,
  categories: readonly string[],
  age: number,
): { sbp: number; dbp: number } {
  const t = pack.thresholds.bpTargets;
  const rule = t.rules.find((r) => matchesAny(r.who, categories, age));
  return rule ? { sbp: rule.sbp, dbp: rule.dbp } : t.default;
}

/** A person under chronic follow-up (hypertension, diabetes, or what the county lists). */
export function isChronicPatient(pack: PolicyPack, categories: readonly string[]): boolean {
  return pack.followUp.chronic.conditions.some((c) => categories.includes(c));
}

/** Minimum chronic follow-ups a year: the national 4 plus any county extras the person qualifies for. */
export function chronicVisitsPerYear(pack: PolicyPack, categories: readonly string[]): number {
  const c = pack.followUp.chronic;
  return (
    c.perYear + c.extra.filter((e) => categories.includes(e.category)).reduce((a, e) => a + e.perYear, 0)
  );
}

/** Days between chronic follow-ups so that `perYear` visits fit in a year. */
export function chronicIntervalDays(pack: PolicyPack, categories: readonly string[]): number {
  return Math.floor(365 / chronicVisitsPerYear(pack, categories));
}
