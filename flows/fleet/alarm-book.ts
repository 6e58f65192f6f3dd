/**
 * The county's alarm list (pure; docs/fleet.md). Each station's retained alarms message is its
 * whole active set, so the book replaces the station's set with it (never accumulates): an alarm
 * the station cleared disappears, one it still holds stays. Acknowledgement is the county's own
 * note on an alarm occurrence (station, alarm id and raisedAt), kept until that occurrence ends.
 * "Offline too long" is the county's own alarm, from the presence book and a county-set limit.
 */
import { type Alarm, AlarmsMessage } from "../../station/mqtt/fleet-reports.js";
import type { StationPresence } from "./presence.js";

export interface CountyAlarm extends Alarm {
  stationId: string;
  source: "station" | "county";
  acked: { by: string; at: string } | null;
}

const key = (stationId: string, a: Pick<Alarm, "id" | "raisedAt">) => `${stationId}|${a.id}|${a.raisedAt}`;

export class AlarmBook {
  readonly #byStation = new Map<string, { bdSeq: number; seq: number; active: Alarm[] }>();
  readonly #acks = new Map<string, { by: string; at: string }>();

  /** A message from hs/v1/{county}/{station}/alarms. Older than the last one applied: ignored. */
  apply(topicStation: string, payload: Buffer | string): { ok: true } | { ok: false; reason: string } {
    let parsed: ReturnType<typeof AlarmsMessage.safeParse>;
    try {
      parsed = AlarmsMessage.safeParse(JSON.parse(payload.toString()));
    } catch {
      return { ok: false, reason: "not JSON" };
    }
    if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? "invalid" };
    const m = parsed.data;
    if (m.stationId !== topicStation) return { ok: false, reason: "station mismatch" };
    const prev = this.#byStation.get(m.stationId);
    if (prev && (m.bdSeq < prev.bdSeq || (m.bdSeq === prev.bdSeq && m.seq < prev.seq)))
      return { ok: false, reason: "stale" };
    this.#byStation.set(m.stationId, { bdSeq: m.bdSeq, seq: m.seq, active: m.active });
    // Acks of occurrences that ended are dropped with them.
    const live = new Set(m.active.map((a) => key(m.stationId, a)));
    for (const k of [...this.#acks.keys()])
      if (k.startsWith(`${m.stationId}|`) && !live.has(k)) this.#acks.delete(k);
    return { ok: true };
  }

  /** Notes an acknowledgement of one occurrence (its raisedAt) of a station's or the county's alarm. */
  acknowledge(stationId: string, alarmId: string, raisedAt: string, by: string, atMs: number): void {
    this.#acks.set(key(stationId, { id: alarmId, raisedAt }), { by, at: new Date(atMs).toISOString() });
  }

  /** Every alarm holding now: the stations' own, plus "offline" for stations silent too long. */
  list(presence: StationPresence[], offlineAfterMs: number, nowMs: number): CountyAlarm[] {
    const out: CountyAlarm[] = [];
    for (const [stationId, s] of this.#byStation)
      for (const a of s.active)
        out.push({ ...a, stationId, source: "station", acked: this.#acks.get(key(stationId, a)) ?? null });
    for (const p of presence) {
      const silentMs = nowMs - Date.parse(p.lastSeenAt);
      if (!p.online && silentMs >= offlineAfterMs) {
        const a: Alarm = {
          id: "offline",
          kind: "offline",
          severity: "major",
          raisedAt: new Date(Date.parse(p.lastSeenAt) + offlineAfterMs).toISOString(),
          detail: `offline (${p.offlineReason ?? "unknown"}), last seen ${p.lastSeenAt}`,
        };
        out.push({
          ...a,
          stationId: p.stationId,
          source: "county",
          acked: this.#acks.get(key(p.stationId, a)) ?? null,
        });
      }
    }
    return out;
  }
}

/** Sequence check per station across health and alarms: a gap means a lost message, so ask for a rebirth. */
export class SeqWatch {
  readonly #last = new Map<string, { bdSeq: number; seq: number }>();

  /** A birth or rebirth: the station's seq restarts at 0. */
  birth(stationId: string, bdSeq: number): void {
    this.#last.set(stationId, { bdSeq, seq: -1 });
  }

  see(stationId: string, bdSeq: number, seq: number): "ok" | "gap" | "stale" {
    const prev = this.#last.get(stationId);
    if (prev && bdSeq < prev.bdSeq) return "stale";
    this.#last.set(stationId, { bdSeq, seq });
    if (!prev || bdSeq > prev.bdSeq) return seq === 0 ? "ok" : "gap";
    if (seq <= prev.seq) return "stale";
    return seq === prev.seq + 1 ? "ok" : "gap";
  }
}
