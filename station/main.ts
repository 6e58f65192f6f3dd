/**
 * Station entry point: `node dist/station/main.js [--config FILE]` (or HEALTH_STATION_CONFIG).
 * Prints `READY <url>` on stdout once it serves, and tells systemd when run as a notify unit.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { StationApp } from "./app.js";
import { loadConfig } from "./config/load.js";
import { StationError } from "./util/errors.js";
import { LogRing, teeSink } from "./util/log-ring.js";
import { createLogger, stderrSink } from "./util/logger.js";
import { projectRoot } from "./util/project-root.js";
import { systemdNotifier } from "./watchdog/sd-notify.js";

export const RESTART_EXIT_CODE = 75;

export async function runStation(argv: string[]): Promise<number> {
  // As the systemd unit's UMask=0077: whatever else the station writes (logs, the embedded
  // archive, temp files) is private too when started by hand (docs/security.md).
  process.umask(0o077);
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: "string", short: "c" } },
    strict: true,
  });
  const root = projectRoot();
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(values.config ?? process.env.HEALTH_STATION_CONFIG ?? null, root);
  } catch (e) {
    // Refuse to start on invalid config, listing every problem with its path.
    console.error(`health-station: ${(e as Error).message}`);
    return 78; // EX_CONFIG
  }
  // The county may ask for the last lines (scrubbed of personal data) with the "logs" command.
  const logRing = new LogRing(500);
  const logger = createLogger("station", loaded.config.log.level, teeSink(stderrSink, logRing.sink));
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string })
    .version;
  const notify = systemdNotifier(process.env, logger.child("systemd"));
  let restartRequested = false;
  let requestStop: ((why: string) => void) | null = null;
  const app = new StationApp({
    loaded,
    logger,
    projectRoot: root,
    version,
    notify,
    logRing,
    // The county's "restart" command: stop cleanly and exit; the service manager starts it again.
    onRestartRequested: () => {
      restartRequested = true;
      requestStop?.("restart command");
    },
  });
  let url: string;
  try {
    ({ url } = await app.start());
  } catch (e) {
    logger.error(
      e instanceof StationError ? `${e.code}: ${e.message}` : `start failed: ${(e as Error).stack}`,
    );
    await app.stop().catch(() => {});
    return 1;
  }
  logger.info(`serving ${url} (kiosk at ${url}/, simulator at ${url}/sim)`);
  process.stdout.write(`READY ${url}\n`);
  notify?.(`READY=1\nSTATUS=serving ${url}`);

  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      logger.info(`${sig}: shutting down`);
      resolve();
    };
    requestStop = stop;
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  notify?.("STOPPING=1");
  await app.stop();
  // 75 (EX_TEMPFAIL): systemd's Restart=always brings the station back (docs/deployment.md).
  return restartRequested ? RESTART_EXIT_CODE : 0;
}

const isEntry = process.argv[1] && /station[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isEntry) {
  runStation(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
