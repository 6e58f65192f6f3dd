/**
 * `health-station export --person <ID number> --out FILE [--config FILE]`: writes one person's
 * check-up records from the station's store as a JSON array in the record contract (CheckupRecord,
 * docs/mqtt-api.md), oldest first. Reads the store folder without opening it as a store, so it is
 * safe beside a running station. Exit codes: 0 written; 1 store or output error; 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { type LoadedConfig, loadConfig, resolvePath } from "../config/load.js";
import { parseIdNumber } from "../domain/id-number.js";
import { readPersonRecords } from "../storage/read-only.js";
import { writeFileAtomic } from "../util/atomic-file.js";

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = `usage: health-station export --person <ID number> --out FILE [--config station.json]
  Writes that person's check-up records as a JSON array (the record contract), oldest first.`;

export async function runExport(argv: string[], io: CliIo): Promise<number> {
  let values: { person?: string; out?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        person: { type: "string" },
        out: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    io.stderr(`health-station export: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!values.person || !values.out) {
    io.stderr(`health-station export: --person and --out are required\n${USAGE}\n`);
    return 2;
  }
  const id = parseIdNumber(values.person);
  if (!id.ok) {
    io.stderr(`health-station export: invalid ID number (${id.error})\n`);
    return 2;
  }
  try {
    const loaded: LoadedConfig = loadConfig(values.config ?? null);
    const dataDir = resolvePath(loaded.baseDir, loaded.config.dataDir);
    const records = (await readPersonRecords(dataDir, values.person)).reverse();
    await writeFileAtomic(resolvePath(process.cwd(), values.out), `${JSON.stringify(records, null, 1)}\n`);
    io.stderr(`${records.length} record(s) written to ${values.out}\n`);
    return 0;
  } catch (e) {
    io.stderr(`health-station export: ${(e as Error).message}\n`);
    return 1;
  }
}
