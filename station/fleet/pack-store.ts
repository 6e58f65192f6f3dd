/**
 * Data packs on disk (fleet/packs/{name}/): each version's bytes in `{version}.pack`, and
 * `current.json` naming the version in force and the one before it. A new pack is written
 * whole and durably first; switching is the atomic rename of `current.json`; only the current
 * and the previous (last good) versions are kept. At start a current pack that no longer
 * validates gives way to the previous one.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readJsonSync, writeDurableSync } from "./durable-sync.js";

export interface PackPointer {
  version: number;
  sha256: string;
  previous: { version: number; sha256: string } | null;
}

export const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

export class PackStore {
  constructor(private readonly fleetDir: string) {}

  #dir(name: string): string {
    return join(this.fleetDir, "packs", name);
  }

  pointer(name: string): PackPointer | null {
    try {
      const p = readJsonSync(join(this.#dir(name), "current.json")) as PackPointer | null;
      return p && typeof p.version === "number" ? p : null;
    } catch {
      return null;
    }
  }

  /** Bytes of a stored version, or null if missing or not matching its hash. */
  read(name: string, version: number, sha256: string): Buffer | null {
    try {
      const b = readFileSync(join(this.#dir(name), `${version}.pack`));
      return sha256Hex(b) === sha256 ? b : null;
    } catch {
      return null;
    }
  }

  /** Durable write of the new version, then the atomic switch; older versions are removed. */
  install(name: string, version: number, sha256: string, bytes: Buffer): void {
    const dir = this.#dir(name);
    writeDurableSync(join(dir, `${version}.pack`), bytes);
    const cur = this.pointer(name);
    const next: PackPointer = {
      version,
      sha256,
      previous:
        cur && cur.version !== version
          ? { version: cur.version, sha256: cur.sha256 }
          : (cur?.previous ?? null),
    };
    writeDurableSync(join(dir, "current.json"), `${JSON.stringify(next)}\n`);
    const keep = new Set([`${version}.pack`, `${next.previous?.version}.pack`, "current.json"]);
    for (const f of readdirSync(dir))
      if (!keep.has(f) && !f.includes(".tmp-")) rmSync(join(dir, f), { force: true });
  }

  /**
   * The pack to run at start: the current one if it reads back and `valid` accepts it, else the
   * previous one; null when neither (the station's own file then applies).
   */
  load<T>(name: string, valid: (b: Buffer) => T | null): { version: number; value: T } | null {
    const p = this.pointer(name);
    if (!p) return null;
    for (const c of [{ version: p.version, sha256: p.sha256 }, p.previous]) {
      if (!c) continue;
      const b = this.read(name, c.version, c.sha256);
      const v = b ? valid(b) : null;
      if (v !== null) return { version: c.version, value: v };
    }
    return null;
  }
}
