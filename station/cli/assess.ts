/**
 * `health-station assess`: lets a clinician check what the station would say for given readings
 * under a policy pack, before the pack goes to the villages. Prints one JSON object.
 * Exit codes: 0 result printed; 1 policy pack unreadable or invalid; 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { isIsoDate } from "../assessment/dates.js";
import { assess, loadDefaultPolicy } from "../assessment/index.js";
import { loadPolicyFile } from "../assessment/load-policy.js";
import type { PolicyPack } from "../assessment/policy-schema.js";
import type { GlucoseReading } from "../domain/schema.js";
import { StationError } from "../util/errors.js";

export interface AssessIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Local date YYYY-MM-DD. */
  today: string;
}

const USAGE = `usage: health-station assess [--policy FILE] --sbp N --dbp N [--pulse N]
       [--glucose N --sample fasting|random|postprandial] [--age N]
       [--category NAME]... [--symptom CODE]...
  Readings in mmHg and mmol/L. Without --policy the bundled sample pack (示范县, fictional) is used.`;

const SAMPLES = ["fasting", "random", "postprandial"];

function num(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n))
    throw new StationError("usage", `--${name} must be a number, got "${v}"`);
  if (n < min || n > max)
    throw new StationError("usage", `--${name} must be between ${min} and ${max}, got ${v}`);
  return n;
}

export async function runAssess(argv: string[], io: AssessIo): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    io.stderr(`health-station assess: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  if (!isIsoDate(io.today)) {
    io.stderr(`health-station assess: today "${io.today}" is not a YYYY-MM-DD date\n`);
    return 2;
  }
  let pack: PolicyPack;
  try {
    pack = args.policy ? loadPolicyFile(args.policy) : loadDefaultPolicy();
  } catch (e) {
    io.stderr(`health-station assess: ${(e as Error).message}\n`);
    return 1;
  }

  const takenAt = `${io.today}T00:00:00Z`;
  const glucose: GlucoseReading | null =
    args.glucose === undefined
      ? null
      : { kind: "glucose", mmolL: args.glucose, sampleType: args.sample!, takenAt, source: "manual" };
  const r = assess(
    {
      bpReadings: [
        {
          kind: "bp",
          systolic: args.sbp,
          diastolic: args.dbp,
          pulse: args.pulse ?? null,
          unit: "mmHg",
          statusFlags: [],
          takenAt,
          source: "manual",
        },
      ],
      glucose,
      // Whole years back from today: ageOn() then gives exactly --age.
      person: { birthDate: yearsBefore(io.today, args.age), categories: args.categories },
      symptoms: args.symptoms,
      today: io.today,
    },
    pack,
  );
  const a = r.assessment;
  const out = {
    policyVersion: a.policyVersion,
    bp: a.bp && { ...a.bp, grade: r.bpGrade },
    glucose: a.glucose,
    referral: a.referral,
    adviceKeys: a.adviceKeys,
    followUpDue: a.followUpDue,
    faults: r.faults,
    villagerAction: r.villagerAction,
    doctorAlert: r.doctorAlert,
  };
  io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

function yearsBefore(today: string, years: number): string {
  const y = Number(today.slice(0, 4)) - years;
  const md = today.slice(5);
  // 29 Feb has no counterpart in most years; the day before keeps the age exact.
  return md === "02-29" && !isIsoDate(`${y}-02-29`) ? `${y}-02-28` : `${String(y).padStart(4, "0")}-${md}`;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      policy: { type: "string" },
      sbp: { type: "string" },
      dbp: { type: "string" },
      pulse: { type: "string" },
      glucose: { type: "string" },
      sample: { type: "string" },
      age: { type: "string" },
      category: { type: "string", multiple: true },
      symptom: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (positionals.length) throw new StationError("usage", `unexpected argument "${positionals[0]}"`);
  if (values.help) return { help: true as const, sbp: 0, dbp: 0, age: 40, categories: [], symptoms: [] };
  if (values.sbp === undefined || values.dbp === undefined)
    throw new StationError("usage", "--sbp and --dbp are required");
  // Wide bounds: implausible readings are accepted here so the clinician sees the station's fault handling.
  const sbp = num("sbp", values.sbp, 0, 500)!;
  const dbp = num("dbp", values.dbp, 0, 500)!;
  const glucose = num("glucose", values.glucose, 0, 100);
  if ((glucose === undefined) !== (values.sample === undefined))
    throw new StationError("usage", "--glucose and --sample go together");
  if (values.sample !== undefined && !SAMPLES.includes(values.sample))
    throw new StationError("usage", `--sample must be one of ${SAMPLES.join(", ")}, got "${values.sample}"`);
  const age = num("age", values.age, 0, 120);
  if (age !== undefined && !Number.isInteger(age))
    throw new StationError("usage", `--age must be a whole number, got ${values.age}`);
  return {
    help: false as const,
    policy: values.policy,
    sbp,
    dbp,
    pulse: num("pulse", values.pulse, 0, 400),
    glucose,
    sample: values.sample,
    // Age only matters for age-based targets and entitlements; 40 selects none of them.
    age: age ?? 40,
    categories: values.category ?? [],
    symptoms: values.symptom ?? [],
  };
}
