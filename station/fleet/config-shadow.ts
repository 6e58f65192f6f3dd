/**
 * Versioned configuration from the county, shadow style (docs/fleet.md). The county's desired
 * settings are merged over the station's own file and checked by the station's own schema; only
 * county-settable keys are accepted (never the station id, broker, data folder or devices). The
 * result is applied durably (fleet/config-applied.json, atomic) before anything changes, so a
 * station killed while applying comes back on either the old or the new version, whole. A
 * version below the applied one is refused; the same one again is re-reported, not re-applied.
 */
import { join } from "node:path";
import { StationConfig } from "../config/schema.js";
import { formatIssues } from "../domain/schema.js";
import { ConfigDesired } from "../mqtt/fleet-contract.js";
import { readJsonSync, writeDurableSync } from "./durable-sync.js";

/** Dotted paths the county may set, and whether each takes effect without a restart. */
const SETTABLE: { path: string; live: boolean }[] = [
  { path: "station.clinicName", live: true },
  { path: "station.doctor", live: true },
  { path: "station.timezone", live: false },
  { path: "server", live: false },
  { path: "workflow", live: true },
  { path: "fleet", live: true },
  { path: "log", live: false },
  { path: "upload.window", live: false },
  { path: "upload.ackTimeoutSeconds", live: false },
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Paths of the leaves of a settings object ("workflow.inactivitySeconds"). */
export function leafPaths(o: Obj, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    isObj(v) && Object.keys(v).length > 0 ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const rule = (path: string) => SETTABLE.find((r) => path === r.path || path.startsWith(`${r.path}.`));

export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(base[k]) ? deepMerge(base[k], v) : v;
  return out;
}

const get = (o: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((cur, k) => (isObj(cur) ? cur[k] : undefined), o);

export type ConfigCheck =
  | { ok: true; desired: ConfigDesired; config: StationConfig; live: string[]; pendingRestart: string[] }
  | { ok: false; version: number | null; errors: string[] };

/** Checks a desired-config message against the running config (pure). */
export function checkDesired(raw: unknown, fileConfig: StationConfig, running: StationConfig): ConfigCheck {
  const env = ConfigDesired.safeParse(raw);
  const rawVersion = isObj(raw) && typeof raw.version === "number" ? raw.version : null;
  if (!env.success) return { ok: false, version: rawVersion, errors: formatIssues(env.error) };
  const d = env.data;
  const paths = leafPaths(d.settings);
  const forbidden = paths.filter((p) => !rule(p));
  if (forbidden.length > 0)
    return {
      ok: false,
      version: d.version,
      errors: forbidden.map((p) => `settings.${p}: not settable by the county`),
    };
  const merged = StationConfig.safeParse(deepMerge(fileConfig as unknown as Obj, d.settings));
  if (!merged.success)
    return { ok: false, version: d.version, errors: formatIssues(merged.error).map((l) => `settings.${l}`) };
  const changed = paths.filter(
    (p) => JSON.stringify(get(merged.data, p)) !== JSON.stringify(get(running, p)),
  );
  return {
    ok: true,
    desired: d,
    config: merged.data,
    live: changed.filter((p) => rule(p)!.live),
    pendingRestart: changed.filter((p) => !rule(p)!.live),
  };
}

export interface AppliedConfig {
  version: number;
  settings: Obj;
  appliedAt: string;
}

export class AppliedConfigFile {
  readonly path: string;
  constructor(fleetDir: string) {
    this.path = join(fleetDir, "config-applied.json");
  }

  read(): AppliedConfig | null {
    try {
      const raw = readJsonSync(this.path);
      if (
        isObj(raw) &&
        typeof raw.version === "number" &&
        isObj(raw.settings) &&
        typeof raw.appliedAt === "string"
      )
        return raw as unknown as AppliedConfig;
    } catch {}
    return null;
  }

  write(a: AppliedConfig): void {
    writeDurableSync(this.path, `${JSON.stringify(a)}\n`);
  }
}

/**
 * At start-up: the file's config with the county's last applied settings over it. If the two no
 * longer validate together (the file was edited), the file alone runs and the reason is returned.
 */
export function withAppliedConfig(
  fileConfig: StationConfig,
  fleetDir: string,
): { config: StationConfig; version: number | null; problem: string | null } {
  const applied = new AppliedConfigFile(fleetDir).read();
  if (!applied) return { config: fileConfig, version: null, problem: null };
  const merged = StationConfig.safeParse(deepMerge(fileConfig as unknown as Obj, applied.settings));
  if (!merged.success)
    return { config: fileConfig, version: null, problem: formatIssues(merged.error).join("; ") };
  return { config: merged.data, version: applied.version, problem: null };
}
