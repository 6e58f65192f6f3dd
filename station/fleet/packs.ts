/**
 * Receives data packs from the county (fleet-contract.ts PackChunk) on …/{station}/pack/{name}:
 * chunks are collected in memory per pack; when all are in, the size and SHA-256 are checked,
 * the pack's own validator reads it, and only then is it installed durably (pack-store.ts) and
 * put into effect. A pack cut off halfway changes nothing: the previous one stays in force, and
 * a newer version replaces the partial one. Progress and every refusal are answered as
 * "pack:{name}:{version}".
 */
import { type Answer, PACK_MAX_BYTES, PackChunk } from "../mqtt/fleet-contract.js";
import type { Logger } from "../util/logger.js";
import { PackStore, sha256Hex } from "./pack-store.js";

type AnswerBody = Omit<Answer, "v" | "type" | "at">;
export type PackCheck<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface PackKind<T = unknown> {
  /** Reads and validates a pack's bytes completely. */
  check(bytes: Buffer): PackCheck<T>;
  /** Puts a valid pack into effect (after it is installed on disk). */
  apply(value: T, version: number): void;
  /**
   * What to keep on disk instead of the bytes as sent, and how to read it back at start: a pack
   * that carries ID numbers on the wire keeps them only as person-index keys at rest.
   */
  atRest?: { encode(value: T): Buffer; read(bytes: Buffer): PackCheck<T> };
}

interface Staging {
  version: number;
  sha256: string;
  size: number;
  parts: (Buffer | undefined)[];
  received: number;
  reported: number;
}

export class PackReceiver {
  readonly #store: PackStore;
  readonly #staging = new Map<string, Staging>();
  readonly #versions = new Map<string, number>();

  constructor(
    private readonly o: {
      fleetDir: string;
      kinds: Record<string, PackKind<unknown>>;
      answer: (a: AnswerBody) => void;
      logger: Logger;
      /** After a pack is installed (the birth's pack versions change). */
      onInstalled?: (name: string, version: number) => void;
    },
  ) {
    this.#store = new PackStore(o.fleetDir);
  }

  /** Loads the installed packs at start and puts them into effect; returns their versions. */
  loadInstalled(): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    for (const [name, kind] of Object.entries(this.o.kinds)) {
      const k = kind as PackKind<unknown>;
      const got = this.#store.load(name, (b) => {
        const c = k.atRest ? k.atRest.read(b) : k.check(b);
        return c.ok ? c.value : null;
      });
      if (got) {
        k.apply(got.value, got.version);
        this.#versions.set(name, got.version);
      }
      out[name] = got?.version ?? null;
    }
    return out;
  }

  versions(): Record<string, string | null> {
    return Object.fromEntries(
      Object.keys(this.o.kinds).map((n) => [n, this.#versions.has(n) ? String(this.#versions.get(n)) : null]),
    );
  }

  /** Staged (partial) packs, for the health view. */
  partial(): { pack: string; version: number; received: number; count: number }[] {
    return [...this.#staging].map(([pack, s]) => ({
      pack,
      version: s.version,
      received: s.received,
      count: s.parts.length,
    }));
  }

  /** False when the chunk was refused (and answered so). */
  handle(topicPack: string, payload: Buffer): boolean {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString("utf8"));
    } catch {
      return this.#refuse(topicPack, "?", ["(root): not JSON"]);
    }
    const p = PackChunk.safeParse(raw);
    if (!p.success) {
      const v = (raw as { version?: unknown })?.version;
      return this.#refuse(
        topicPack,
        typeof v === "number" ? v : "?",
        p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      );
    }
    const c = p.data;
    if (c.pack !== topicPack)
      return this.#refuse(topicPack, c.version, [`pack ${c.pack} sent on the ${topicPack} topic`]);
    const kind = this.o.kinds[c.pack] as PackKind<unknown> | undefined;
    if (!kind) return this.#refuse(c.pack, c.version, [`unknown pack ${c.pack}`]);
    if (c.index >= c.count) return this.#refuse(c.pack, c.version, [`chunk ${c.index} of ${c.count}`]);
    const current = this.#versions.get(c.pack);
    if (current !== undefined && c.version < current)
      return this.#refuse(c.pack, c.version, [`version ${c.version} is stale: ${current} is in force`]);
    if (current === c.version) {
      // Sent again (the county did not hear the answer): say so once, on the last chunk.
      if (c.index === c.count - 1)
        this.o.answer({ id: `pack:${c.pack}:${c.version}`, about: "pack", status: "applied" });
      return true;
    }
    let s = this.#staging.get(c.pack);
    if (s && c.version < s.version)
      return this.#refuse(c.pack, c.version, [
        `version ${c.version} is older than ${s.version} being received`,
      ]);
    // A newer version, or the same one cut differently (the county resent it): start over with it.
    const restart =
      s &&
      (c.version > s.version || c.sha256 !== s.sha256 || c.count !== s.parts.length || c.size !== s.size);
    if (!s || restart) {
      if (s)
        this.o.logger.warn(
          `pack ${c.pack} ${s.version} abandoned at ${s.received}/${s.parts.length}: ${c.version} arrives`,
        );
      s = {
        version: c.version,
        sha256: c.sha256,
        size: c.size,
        parts: new Array(c.count),
        received: 0,
        reported: 0,
      };
      this.#staging.set(c.pack, s);
    }
    if (!s.parts[c.index]) {
      const bytes = Buffer.from(c.data, "base64");
      const held = s.parts.reduce((n, b) => n + (b?.length ?? 0), 0);
      if (held + bytes.length > Math.min(s.size, PACK_MAX_BYTES)) {
        this.#staging.delete(c.pack);
        return this.#refuse(c.pack, c.version, [`chunks exceed the announced size ${s.size}`]);
      }
      s.parts[c.index] = bytes;
      s.received++;
    }
    const quarter = Math.floor((s.received * 4) / s.parts.length);
    if (s.received < s.parts.length && quarter > s.reported) {
      s.reported = quarter;
      this.o.answer({
        id: `pack:${c.pack}:${c.version}`,
        about: "pack",
        status: "progress",
        result: { received: s.received, count: s.parts.length },
      });
    }
    return s.received === s.parts.length ? this.#complete(c.pack, kind, s) : true;
  }

  #complete(name: string, kind: PackKind<unknown>, s: Staging): boolean {
    this.#staging.delete(name);
    const bytes = Buffer.concat(s.parts as Buffer[]);
    if (bytes.length !== s.size)
      return this.#refuse(name, s.version, [`${bytes.length} bytes, ${s.size} announced`]);
    const hash = sha256Hex(bytes);
    if (hash !== s.sha256)
      return this.#refuse(name, s.version, [`content hash ${hash} does not match ${s.sha256}`]);
    const checked = kind.check(bytes);
    if (!checked.ok) return this.#refuse(name, s.version, checked.errors);
    try {
      const stored = kind.atRest ? kind.atRest.encode(checked.value) : bytes;
      this.#store.install(name, s.version, kind.atRest ? sha256Hex(stored) : s.sha256, stored);
    } catch (err) {
      return this.#refuse(name, s.version, [`not saved: ${(err as Error).message}`], "failed");
    }
    kind.apply(checked.value, s.version);
    this.#versions.set(name, s.version);
    this.o.logger.info(`pack ${name} ${s.version} in force (${bytes.length} bytes)`);
    this.o.answer({
      id: `pack:${name}:${s.version}`,
      about: "pack",
      status: "applied",
      result: { size: bytes.length },
    });
    this.o.onInstalled?.(name, s.version);
    return true;
  }

  #refuse(
    name: string,
    version: number | "?",
    errors: string[],
    status: "rejected" | "failed" = "rejected",
  ): false {
    this.o.logger.warn(`pack ${name} ${version} ${status}: ${errors.slice(0, 3).join("; ")}`);
    this.o.answer({
      id: `pack:${name}:${version}`,
      about: "pack",
      status,
      reason: errors[0] ?? status,
      errors: errors.slice(0, 50),
      result: { inForce: this.#versions.get(name) ?? null },
    });
    return false;
  }
}
