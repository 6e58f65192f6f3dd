/** What a station says about itself in its birth (station/mqtt/presence.ts Birth), gathered synchronously. */
import { statfsSync } from "node:fs";
import type { Birth } from "../mqtt/presence.js";
import { CLOCK_FLOOR } from "../workflow/record.js";

export interface BirthFacts {
  software: string;
  configVersion(): number | null;
  packs(): Record<string, string | null>;
  devices(): Record<string, string>;
  backlogCount(): number;
  /** Cached by the agent (reading the outbox is asynchronous). */
  oldestPendingAt(): string | null;
  dataDir: string;
  nowMs(): number;
  startedAtMs: number;
  /** The station's time guard, when there is one (see StationFacts.clock). */
  clock?(): { suspect: boolean; reason: string | null };
}

export function diskFreeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

export function buildBirth(f: BirthFacts): Birth {
  const now = f.nowMs();
  return {
    software: f.software,
    configVersion: f.configVersion(),
    packs: f.packs(),
    devices: f.devices(),
    backlog: { count: f.backlogCount(), oldestAt: f.oldestPendingAt() },
    diskFreeBytes: diskFreeBytes(f.dataDir),
    // Only the floor test here: "behind the last record" is judged per record (workflow/record.ts).
    clock: { suspect: f.clock ? f.clock().suspect : now < CLOCK_FLOOR, now: new Date(now).toISOString() },
    uptimeSeconds: Math.max(0, Math.round((now - f.startedAtMs) / 1000)),
  };
}
