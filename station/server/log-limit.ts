/**
 * Bounded error logging for the HTTP server. A client that hangs up mid-request is normal on a
 * kiosk (a reload, a flaky Wi-Fi tablet) and, done on purpose, would otherwise write one ERROR
 * line per request until the SD card fills. Aborts log at debug; unexpected errors log at most
 * `perWindow` lines per window, then one line saying how many were suppressed.
 */
import type { Logger } from "../util/logger.js";

export interface LimitedLog {
  aborted(what: string): void;
  error(what: string, err: unknown): void;
}

export function limitedLog(
  logger: Logger,
  o: { perWindow?: number; windowMs?: number; now?: () => number } = {},
): LimitedLog {
  const perWindow = o.perWindow ?? 10;
  const windowMs = o.windowMs ?? 60_000;
  const now = o.now ?? Date.now;
  let windowStart = -Infinity;
  let written = 0;
  let suppressed = 0;
  return {
    aborted: (what) => logger.debug(`${what}: client went away`),
    error(what, err) {
      const t = now();
      if (t - windowStart >= windowMs) {
        if (suppressed > 0) logger.warn(`${suppressed} more request errors were not logged`);
        windowStart = t;
        written = 0;
        suppressed = 0;
      }
      if (written < perWindow) {
        written++;
        logger.error(what, err);
      } else suppressed++;
    },
  };
}

/** True when the error only means the client closed the connection. */
export function isClientAbort(err: unknown, destroyed: boolean): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    destroyed ||
    code === "ECONNRESET" ||
    code === "ERR_STREAM_PREMATURE_CLOSE" ||
    (err instanceof Error && err.message === "aborted")
  );
}
