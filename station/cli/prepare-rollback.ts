/**
 * `health-station prepare-rollback [--config FILE]`: folds the save journal and the person-index
 * delta into the files a release older than docs/adr/0009 reads, so a technician can go back to
 * it without check-ups vanishing from people's histories. Not done at every stop: folding
 * rewrites index buckets, which at a nightly stop would cost ~9× the record per check-up on the
 * SD card (docs/benchmarks.md). The service must be stopped first. Exit codes: 0 folded;
 * 1 store error or the station still running; 2 bad arguments.
 */
import { connect } from "node:net";
import { parseArgs } from "node:util";
import { loadConfig, resolvePath } from "../config/load.js";
import { createFileStore } from "../storage/file-store.js";
import type { CliIo } from "./export-person.js";

const USAGE = `usage: health-station prepare-rollback [--config station.json]
  Stop the service first (systemctl stop health-station). Folds the station's save journal and
  person-index delta so an older release reads every record; the current release still reads it.`;

/** True when something answers on the station's own HTTP port: the service is still running. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host, port });
    const end = (up: boolean) => {
      s.destroy();
      done(up);
    };
    s.once("connect", () => end(true));
    s.once("error", () => end(false));
    s.setTimeout(2000, () => end(false));
  });
}

export async function runPrepareRollback(argv: string[], io: CliIo): Promise<number> {
  let values: { config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (e) {
    io.stderr(`health-station prepare-rollback: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const loaded = loadConfig(values.config ?? null);
    const { host, port } = loaded.config.server;
    if (port > 0 && (await listening(host === "0.0.0.0" ? "127.0.0.1" : host, port))) {
      io.stderr(
        `health-station prepare-rollback: the station is running on ${host}:${port}; stop it first (systemctl stop health-station)\n`,
      );
      return 1;
    }
    const dataDir = resolvePath(loaded.baseDir, loaded.config.dataDir);
    const store = createFileStore({ dir: dataDir, personDeltaFoldAtClose: true });
    await store.open();
    await store.close();
    io.stderr(
      `${dataDir}: save journal and person-index delta folded; an older release reads every record\n`,
    );
    return 0;
  } catch (e) {
    io.stderr(`health-station prepare-rollback: ${(e as Error).message}\n`);
    return 1;
  }
}
