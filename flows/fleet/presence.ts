/**
 * The county's view of station presence (pure; docs/fleet.md). Fed every message from
 * hs/v1/{county}/+/status, in arrival order, it keeps per station the highest bdSeq seen and
 * ignores anything older: a Will from an earlier connection that arrives after the new birth (a
 * half-open TCP link the broker notices late), or a stale retained message. A birth with the same
 * bdSeq is a rebirth and replaces the details; a death with the same bdSeq ends that connection.
 * "Last seen" (any message from the station) is kept apart from "online".
 */
import { type Birth, PresenceMessage } from "../../station/mqtt/presence.js";

export interface StationPresence {
  stationId: string;
  online: boolean;
  bdSeq: number;
  /** Why it is offline: "clean" (said goodbye), "lost" (the broker's Will), or null. */
  offlineReason: "clean" | "lost" | null;
  /** When the station declared its current state (its clock). */
  since: string;
  /** When the county last heard anything from it (the county's clock). */
  lastSeenAt: string;
  birth: Birth | null;
}

export type PresenceOutcome =
  | { kind: "birth" | "rebirth" | "death"; station: StationPresence }
  | { kind: "stale"; stationId: string; bdSeq: number; current: number }
  | { kind: "invalid"; reason: string };

export class PresenceBook {
  readonly #stations = new Map<string, StationPresence>();

  get size(): number {
    return this.#stations.size;
  }

  get(stationId: string): StationPresence | undefined {
    return this.#stations.get(stationId);
  }

  all(): StationPresence[] {
    return [...this.#stations.values()];
  }

  /** Restores saved state (the fleet store) before live messages arrive. */
  load(saved: StationPresence[]): void {
    for (const s of saved) this.#stations.set(s.stationId, s);
  }

  /** Anything else heard from a station (health, alarms, answers) counts as "seen". */
  seen(stationId: string, atMs: number): void {
    const s = this.#stations.get(stationId);
    if (s) s.lastSeenAt = new Date(atMs).toISOString();
  }

  apply(topicStation: string, payload: Buffer | string, receivedAtMs: number): PresenceOutcome {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString());
    } catch {
      return { kind: "invalid", reason: "not JSON" };
    }
    // v1 presence (no bdSeq) from stations not yet upgraded cannot be ordered: reported, not applied.
    const parsed = PresenceMessage.safeParse(raw);
    if (!parsed.success) return { kind: "invalid", reason: parsed.error.issues[0]?.message ?? "invalid" };
    const m = parsed.data;
    if (m.stationId !== topicStation)
      return { kind: "invalid", reason: `topic station ${topicStation} ≠ payload ${m.stationId}` };
    const prev = this.#stations.get(m.stationId);
    if (prev && m.bdSeq < prev.bdSeq)
      return { kind: "stale", stationId: m.stationId, bdSeq: m.bdSeq, current: prev.bdSeq };
    const lastSeenAt = new Date(receivedAtMs).toISOString();
    if (m.state === "online") {
      const station: StationPresence = {
        stationId: m.stationId,
        online: true,
        bdSeq: m.bdSeq,
        offlineReason: null,
        since: m.at,
        lastSeenAt,
        birth: m.birth ?? null,
      };
      this.#stations.set(m.stationId, station);
      return { kind: prev && prev.bdSeq === m.bdSeq && prev.online ? "rebirth" : "birth", station };
    }
    const station: StationPresence = {
      stationId: m.stationId,
      online: false,
      bdSeq: m.bdSeq,
      offlineReason: m.reason ?? "lost",
      // A Will's `at` is when its connection was made; the death itself is when the county heard it.
      since: m.reason === "clean" ? m.at : lastSeenAt,
      lastSeenAt,
      birth: prev?.birth ?? null,
    };
    this.#stations.set(m.stationId, station);
    return { kind: "death", station };
  }
}
