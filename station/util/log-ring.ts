/**
 * The last N log lines in memory, for the county's "logs" command (docs/fleet.md). Lines are
 * scrubbed as they are kept: resident ID numbers, mobile numbers and every run of Chinese
 * characters (names, addresses) are replaced, so nothing personal leaves the station. Technician
 * log text is English; the Chinese lost is only ever user-facing text or personal data.
 */
import type { Level, Sink } from "./logger.js";

const ID_NUMBER = /\b\d{17}[\dXx]\b|\b\d{15}\b/g;
const MOBILE = /\b1[3-9]\d{9}\b/g;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]+/g;

export function scrub(text: string): string {
  return text.replace(ID_NUMBER, "[id]").replace(MOBILE, "[phone]").replace(CJK, "[…]");
}

export class LogRing {
  readonly #lines: string[] = [];
  constructor(readonly capacity = 500) {}

  readonly sink: Sink = (level: Level, ns: string, msg: string, extra?: unknown) => {
    const more = extra === undefined ? "" : ` ${extra instanceof Error ? extra.message : String(extra)}`;
    // Bounded lines too: the answer carrying them must stay far below the packet limit.
    this.#lines.push(
      scrub(`${new Date().toISOString()} ${level.toUpperCase()} [${ns}] ${msg}${more}`).slice(0, 400),
    );
    if (this.#lines.length > this.capacity) this.#lines.shift();
  };

  last(n: number): string[] {
    return this.#lines.slice(-Math.max(0, Math.min(n, this.capacity)));
  }
}

export function teeSink(...sinks: Sink[]): Sink {
  return (level, ns, msg, extra) => {
    for (const s of sinks) s(level, ns, msg, extra);
  };
}
