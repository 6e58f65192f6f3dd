/** The roster data pack: the same JSON as a roster file (station/roster/roster.ts), checked whole. */
import { formatIssues } from "../domain/schema.js";
import { createRoster, type Roster, RosterFile } from "../roster/roster.js";
import type { SwappableRoster } from "../roster/swappable.js";
import type { PackCheck, PackKind } from "./packs.js";

export function checkRosterPack(bytes: Buffer): PackCheck<Roster> {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    return { ok: false, errors: [`(root): not JSON: ${(err as Error).message}`] };
  }
  const r = RosterFile.safeParse(raw);
  if (!r.success) return { ok: false, errors: formatIssues(r.error) };
  try {
    return { ok: true, value: createRoster(r.data) };
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
}

export function rosterPack(
  target: SwappableRoster,
  onSwap?: (r: Roster, version: number) => void,
): PackKind<Roster> {
  return {
    check: checkRosterPack,
    apply: (roster, version) => {
      target.swap(roster);
      onSwap?.(roster, version);
    },
  };
}
