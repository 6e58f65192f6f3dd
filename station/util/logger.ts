/** Namespaced logger with lazy messages, injected everywhere (never a global). */
export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string | (() => string), extra?: unknown): void;
  info(msg: string | (() => string), extra?: unknown): void;
  warn(msg: string | (() => string), extra?: unknown): void;
  error(msg: string | (() => string), extra?: unknown): void;
  child(ns: string): Logger;
}

export type Sink = (level: Level, ns: string, msg: string, extra?: unknown) => void;

export const stderrSink: Sink = (level, ns, msg, extra) => {
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${ns}] ${msg}`;
  if (extra === undefined) console.error(line);
  else console.error(line, extra instanceof Error ? extra.message : extra);
};

export function createLogger(ns = "station", minLevel: Level = "info", sink: Sink = stderrSink): Logger {
  const log =
    (level: Level) =>
    (msg: string | (() => string), extra?: unknown): void => {
      if (ORDER[level] < ORDER[minLevel]) return;
      sink(level, ns, typeof msg === "function" ? msg() : msg, extra);
    };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (sub) => createLogger(`${ns}:${sub}`, minLevel, sink),
  };
}

export const silentLogger: Logger = createLogger("silent", "error", () => {});
