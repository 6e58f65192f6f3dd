/**
 * The county roster (建档立卡 and other served groups), loaded once at start-up and validated
 * completely. Lookups are by resident ID number.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatIssues, RosterEntry } from "../domain/schema.js";
import { StationError } from "../util/errors.js";

export const RosterFile = z.object({
  version: z.literal(1),
  county: z.string(),
  /** True for the demo roster: the UI shows a banner, and nothing in it is a real person. */
  synthetic: z.boolean().default(false),
  generatedAt: z.string().optional(),
  people: z.array(RosterEntry),
});
export type RosterFile = z.infer<typeof RosterFile>;

export interface Roster {
  readonly county: string;
  readonly synthetic: boolean;
  readonly size: number;
  get(idNumber: string): RosterEntry | null;
  all(): readonly RosterEntry[];
  search(q: string, limit: number): RosterEntry[];
}

export function createRoster(file: RosterFile): Roster {
  const byId = new Map<string, RosterEntry>();
  for (const p of file.people) {
    if (byId.has(p.idNumber))
      throw new StationError("roster-invalid", `roster lists ${p.idNumber.slice(0, 6)}… twice`);
    byId.set(p.idNumber, p);
  }
  return {
    county: file.county,
    synthetic: file.synthetic,
    size: byId.size,
    get: (id) => byId.get(id) ?? null,
    all: () => file.people,
    search(q, limit) {
      const needle = q.trim();
      const out: RosterEntry[] = [];
      for (const p of file.people) {
        if (out.length >= limit) break;
        if (!needle || p.name.includes(needle) || p.idNumber.includes(needle) || p.village.includes(needle))
          out.push(p);
      }
      return out;
    },
  };
}

export function loadRoster(path: string): Roster {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new StationError("roster-unreadable", `cannot read roster ${path}: ${(e as Error).message}`);
  }
  const r = RosterFile.safeParse(raw);
  if (!r.success) {
    const lines = formatIssues(r.error);
    throw new StationError(
      "roster-invalid",
      `roster ${path} has ${lines.length} error(s):\n  ${lines.slice(0, 20).join("\n  ")}`,
      lines,
    );
  }
  return createRoster(r.data);
}
