/**
 * Validates county policy packs and keeps the last good one in force. A pack with any error is
 * rejected as a whole, with every problem listed as `path: message`, so a county can fix them
 * all in one round instead of one per attempt.
 */
import { formatIssues } from "../domain/schema.js";
import { POLICY_FORMAT, PolicyPack } from "./policy-schema.js";

export type PackResult = { ok: true; pack: PolicyPack } | { ok: false; errors: string[] };

/** Numbered migrations: each takes a raw pack of format N to N+1. None yet; format 1 is the first. */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let cur = raw;
  while (typeof cur.formatVersion === "number" && cur.formatVersion < POLICY_FORMAT) {
    const step = MIGRATIONS[cur.formatVersion];
    if (!step) break;
    cur = { ...step(cur), formatVersion: cur.formatVersion + 1 };
  }
  return cur;
}

export function parsePolicyPack(raw: unknown): PackResult {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, errors: ["(root): expected a JSON object"] };
  const r = PolicyPack.safeParse(migrate(raw as Record<string, unknown>));
  return r.success ? { ok: true, pack: r.data } : { ok: false, errors: formatIssues(r.error) };
}

/** Holds the pack in force. `load` swaps in a new pack only when it is entirely valid. */
export class PolicyHolder {
  #current: PolicyPack;

  constructor(initial: PolicyPack) {
    this.#current = initial;
  }

  get current(): PolicyPack {
    return this.#current;
  }

  load(raw: unknown): PackResult {
    const r = parsePolicyPack(raw);
    if (r.ok) this.#current = r.pack;
    return r;
  }
}
