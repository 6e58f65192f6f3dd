/**
 * Builds a per-person summaries pack from the county archive, for `npm run fleet -- pack --name
 * summaries` (or the monitor's POST /fleet/pack) to send:
 *   npm run fleet-summaries -- (--dir <archive dir> | --pg <url> | --config county.json)
 *     --county C --roster roster.json [--village V …] [--station S] [--max-visits N] --out pack.json
 * The roster is the station's roster file; --village keeps only those villages' people. The
 * file store is opened read-only (safe beside a running receiver). Prints people and visits.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { PACK_MAX_BYTES } from "../../station/mqtt/fleet-contract.js";
import { RosterFile } from "../../station/roster/roster.js";
import { storeFromArgs } from "../archive-cli.js";
import { buildSummariesPacks } from "./summaries-pack.js";

const USAGE =
  "usage: fleet-summaries (--dir D | --pg URL | --config F) --county C --roster F [--village V …] [--station S] [--max-visits N] --out F";

function flags(argv: string[], name: string): string[] {
  return argv.flatMap((a, i) => (a === name && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
}

export async function runSummariesCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const [county] = flags(argv, "--county");
  const [rosterFile] = flags(argv, "--roster");
  const [out] = flags(argv, "--out");
  if (!county || !rosterFile || !out) throw new Error(USAGE);
  const villages = new Set(flags(argv, "--village"));
  const roster = RosterFile.parse(JSON.parse(readFileSync(rosterFile, "utf8")));
  const people = roster.people
    .filter((p) => villages.size === 0 || villages.has(p.village))
    .map((p) => p.idNumber);
  const [station] = flags(argv, "--station");
  const [max] = flags(argv, "--max-visits");
  const store = storeFromArgs(argv, env);
  await store.open();
  try {
    const [built] = await buildSummariesPacks(store, {
      county,
      targets: [{ station: station ?? null, people }],
      ...(max ? { maxVisits: Number(max) } : {}),
    });
    // A station refuses a bigger pack: say so here, not after a rollout.
    if (built!.bytes.length > PACK_MAX_BYTES)
      throw new Error(
        `${built!.bytes.length} bytes is over the ${PACK_MAX_BYTES}-byte pack limit: lower --max-visits or split by --village`,
      );
    writeFileSync(out, built!.bytes, { mode: 0o600 });
    return `${out}: ${built!.pack.people.length} of ${people.length} people with visits, ${built!.visits} visits, ${built!.bytes.length} bytes`;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  runSummariesCli(process.argv.slice(2)).then(
    (line) => console.log(line),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
