/**
 * Applies the county's desired configuration as it arrives (config-shadow.ts checks it): durable
 * first, then the live part, then the report. Every outcome is answered on the answer topic with
 * id "config:{version}": applied, pending-restart (with the keys), or rejected (with every error).
 * The retained desired message is delivered again on every connect, so config that arrived while
 * the station was offline is applied when it reconnects, and one applied already is re-reported.
 */
import type { StationConfig } from "../config/schema.js";
import type { Answer } from "../mqtt/fleet-contract.js";
import type { Logger } from "../util/logger.js";
import { AppliedConfigFile, checkDesired } from "./config-shadow.js";

type AnswerBody = Omit<Answer, "v" | "type" | "at">;

export interface ConfigApplierOptions {
  fleetDir: string;
  /** The station's own file, as loaded (the base the county's settings go over). */
  fileConfig: StationConfig;
  running: () => StationConfig;
  /** The version in force at start (from fleet/config-applied.json), or null. */
  appliedVersion: number | null;
  /** Puts the live keys of `config` into effect. */
  applyLive: (config: StationConfig, paths: string[]) => void;
  answer: (a: AnswerBody) => void;
  nowMs: () => number;
  logger: Logger;
}

export class ConfigApplier {
  #version: number | null;
  #last: AnswerBody | null = null;
  readonly #file: AppliedConfigFile;

  constructor(private readonly o: ConfigApplierOptions) {
    this.#version = o.appliedVersion;
    this.#file = new AppliedConfigFile(o.fleetDir);
  }

  get version(): number | null {
    return this.#version;
  }

  handle(payload: Buffer): "applied" | "unchanged" | "rejected" {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString("utf8"));
    } catch {
      this.#reject(null, ["(root): not JSON"]);
      return "rejected";
    }
    const version =
      typeof (raw as { version?: unknown })?.version === "number"
        ? (raw as { version: number }).version
        : null;
    if (version !== null && this.#version !== null && version < this.#version) {
      this.#reject(version, [`version ${version} is stale: ${this.#version} is applied`]);
      return "rejected";
    }
    if (version !== null && version === this.#version) {
      // Re-delivered (retained, after a reconnect): report again, change nothing.
      this.o.answer(
        this.#last ?? { id: `config:${version}`, about: "config", status: "applied", result: { version } },
      );
      return "unchanged";
    }
    const c = checkDesired(raw, this.o.fileConfig, this.o.running());
    if (!c.ok) {
      this.#reject(c.version, c.errors);
      return "rejected";
    }
    const v = c.desired.version;
    try {
      this.#file.write({
        version: v,
        settings: c.desired.settings,
        appliedAt: new Date(this.o.nowMs()).toISOString(),
      });
    } catch (err) {
      this.#reject(v, [`not saved: ${(err as Error).message}`], "failed");
      return "rejected";
    }
    this.#version = v;
    this.o.applyLive(c.config, c.live);
    const a: AnswerBody = {
      id: `config:${v}`,
      about: "config",
      status: c.pendingRestart.length > 0 ? "pending-restart" : "applied",
      result: { version: v, live: c.live, pendingRestart: c.pendingRestart },
    };
    this.#last = a;
    this.o.logger.info(
      `config ${v} ${a.status}${c.pendingRestart.length ? ` (${c.pendingRestart.join(", ")})` : ""}`,
    );
    this.o.answer(a);
    return "applied";
  }

  #reject(version: number | null, errors: string[], status: "rejected" | "failed" = "rejected"): void {
    this.o.logger.warn(`config ${version ?? "?"} ${status}: ${errors.join("; ")}`);
    this.o.answer({
      id: `config:${version ?? "?"}`,
      about: "config",
      status,
      reason: errors[0] ?? status,
      errors,
      result: { applied: this.#version },
    });
  }
}
