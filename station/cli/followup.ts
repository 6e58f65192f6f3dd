/**
 * `health-station followup --records FILE --as-of YYYY-MM-DD [--policy FILE] [--roster FILE]
 * [--category NAME]...`: reads one person's records (as `export` writes them) and prints a JSON
 * array with one entry per programme that applies (station/assessment/programmes.ts).
 * Records carry no roster categories, so they come from the roster (the bundled demo roster by
 * default), from --category, and from the programmes named on follow-up forms in the records.
 * Exit codes: 0 printed; 1 unreadable file or policy; 2 bad arguments or records.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { isIsoDate } from "../assessment/dates.js";
import { loadDefaultPolicy } from "../assessment/index.js";
import { loadPolicyFile } from "../assessment/load-policy.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import { visitFromRecord } from "../assessment/programme-visit.js";
import { CHRONIC_PROGRAMMES, programmeEntries } from "../assessment/programmes.js";
import { resolvePath } from "../config/load.js";
import { CheckupRecord, formatIssues } from "../domain/schema.js";
import { loadRoster } from "../roster/roster.js";
import { projectRoot } from "../util/project-root.js";
import type { CliIo } from "./export-person.js";

const USAGE = `usage: health-station followup --records FILE --as-of YYYY-MM-DD [--policy FILE]
       [--roster FILE] [--category NAME]...
  Prints one JSON entry per programme that applies: annual-checkup, hypertension, diabetes, referral.`;

export async function runFollowup(argv: string[], io: CliIo): Promise<number> {
  let v: {
    records?: string;
    "as-of"?: string;
    policy?: string;
    roster?: string;
    category?: string[];
    help?: boolean;
  };
  try {
    ({ values: v } = parseArgs({
      args: argv,
      options: {
        records: { type: "string" },
        "as-of": { type: "string" },
        policy: { type: "string" },
        roster: { type: "string" },
        category: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    io.stderr(`health-station followup: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (v.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const asOf = v["as-of"];
  if (!v.records || !asOf) {
    io.stderr(`health-station followup: --records and --as-of are required\n${USAGE}\n`);
    return 2;
  }
  if (!isIsoDate(asOf)) {
    io.stderr(`health-station followup: --as-of "${asOf}" is not a YYYY-MM-DD date\n`);
    return 2;
  }
  let pack: PolicyPack;
  let raw: unknown;
  try {
    pack = v.policy ? loadPolicyFile(v.policy) : loadDefaultPolicy();
    raw = JSON.parse(readFileSync(v.records, "utf8"));
  } catch (e) {
    io.stderr(`health-station followup: ${(e as Error).message}\n`);
    return 1;
  }
  const parsed = z.array(CheckupRecord).safeParse(raw);
  if (!parsed.success) {
    io.stderr(
      `health-station followup: ${v.records} is not an array of records:\n  ${formatIssues(parsed.error).slice(0, 10).join("\n  ")}\n`,
    );
    return 2;
  }
  const records = parsed.data;
  const people = new Set(records.map((r) => r.person.idNumber));
  if (people.size !== 1) {
    io.stderr(`health-station followup: the records must be of exactly one person (found ${people.size})\n`);
    return 2;
  }
  const person = records[0]!.person;
  const categories = new Set(v.category ?? []);
  try {
    const roster = loadRoster(v.roster ?? resolvePath(projectRoot(), "station/data/demo-roster.json"));
    for (const c of roster.get(person.idNumber)?.categories ?? []) categories.add(c);
  } catch (e) {
    io.stderr(`health-station followup: ${(e as Error).message}\n`);
    return 1;
  }
  const visits = records.map((r) => visitFromRecord(r));
  for (const vis of visits)
    for (const p of vis.formClass ? (vis.formProgrammes ?? []) : [])
      if ((CHRONIC_PROGRAMMES as readonly string[]).includes(p)) categories.add(p);
  const entries = programmeEntries(
    { birthDate: person.birthDate, categories: [...categories] },
    visits,
    pack,
    asOf,
  );
  io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  return 0;
}
