import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { formatIssues } from "../domain/schema.js";
import { StationError } from "../util/errors.js";
import { CONFIG_VERSION, StationConfig } from "./schema.js";

/** Numbered migrations: each takes the raw object of version N to N+1. */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

export function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let cur = { ...raw, version: raw.version ?? CONFIG_VERSION };
  while (typeof cur.version === "number" && cur.version < CONFIG_VERSION) {
    const step = MIGRATIONS[cur.version];
    if (!step) break;
    cur = { ...step(cur), version: cur.version + 1 };
  }
  return cur;
}

/** Validates a raw config object; throws one error listing every problem with its path. */
export function parseConfig(raw: unknown): StationConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new StationError("config-invalid", "config: (root): expected a JSON object");
  const r = StationConfig.safeParse(migrate(raw as Record<string, unknown>));
  if (!r.success) {
    const lines = formatIssues(r.error);
    throw new StationError(
      "config-invalid",
      `config has ${lines.length} error(s):\n  ${lines.join("\n  ")}`,
      lines,
    );
  }
  return r.data;
}

export interface LoadedConfig {
  config: StationConfig;
  /** Folder that relative paths in the config resolve against. */
  baseDir: string;
  path: string | null;
}

export function loadConfig(path: string | null, baseDirDefault = process.cwd()): LoadedConfig {
  if (!path) return { config: parseConfig({}), baseDir: baseDirDefault, path: null };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new StationError("config-unreadable", `cannot read config ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StationError("config-invalid", `config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return { config: parseConfig(raw), baseDir: dirname(resolve(path)), path: resolve(path) };
}

export function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}
