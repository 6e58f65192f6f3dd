/**
 * Who may sign in at this station. The station's config names doctors; a doctors' list pack
 * from the county (station/fleet/doctors-pack.ts), once installed, replaces that list whole:
 * the county is the authority on who practises in its villages, and only a replacement lets it
 * take a doctor off (a merge could never remove one the config names). Listeners hear every
 * change, so a removed doctor's open session ends at once (sign-in.ts).
 */
import type { DoctorConfig } from "../config/schema.js";

export type DoctorSource = { kind: "config" } | { kind: "pack"; version: number };

export class DoctorList {
  #config: readonly DoctorConfig[];
  #pack: { doctors: readonly DoctorConfig[]; version: number } | null = null;
  readonly #listeners = new Set<() => void>();

  constructor(configDoctors: readonly DoctorConfig[]) {
    this.#config = configDoctors;
  }

  /** The doctors in force: the pack's when one is installed, else the config's. */
  all(): readonly DoctorConfig[] {
    return this.#pack?.doctors ?? this.#config;
  }

  find(id: string): DoctorConfig | undefined {
    return this.all().find((d) => d.id === id);
  }

  get source(): DoctorSource {
    return this.#pack ? { kind: "pack", version: this.#pack.version } : { kind: "config" };
  }

  /** The config's list (the demo's doctor is set here at start); a pack in force still wins. */
  setConfig(doctors: readonly DoctorConfig[]): void {
    this.#config = doctors;
    if (!this.#pack) this.#changed();
  }

  /** A county pack, validated whole before it gets here. */
  setPack(doctors: readonly DoctorConfig[], version: number): void {
    this.#pack = { doctors, version };
    this.#changed();
  }

  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(): void {
    for (const fn of this.#listeners) fn();
  }
}
