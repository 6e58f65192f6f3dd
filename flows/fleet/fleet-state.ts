/**
 * The county's fleet state, the one source of truth both county front ends use: the standalone
 * monitor (monitor.ts, `npm start` and `npm run fleet-monitor`) and the Node-RED fleet nodes
 * (flows/nodes/fleet-nodes.ts, `npm run county`). It folds every station message into the
 * presence and alarm books, keeps the answers and the rollouts, and makes the messages the county
 * sends (desired config, pack chunks, rebirth and alarm-acknowledge commands). No I/O: the caller
 * owns the MQTT connection and the store.
 */
import { randomUUID } from "node:crypto";
import {
  Answer,
  COUNTY_ADMIN,
  FLEET_VERSION,
  fleetTopics,
  parseFleetTopic,
} from "../../station/mqtt/fleet-contract.js";
import { presenceTopic } from "../../station/mqtt/presence.js";
import { AlarmBook, type CountyAlarm, SeqWatch } from "./alarm-book.js";
import { packChunks } from "./packs.js";
import { PresenceBook, type StationPresence } from "./presence.js";

/** A message for the county's MQTT connection (the shape a Node-RED `mqtt out` takes). */
export interface Outgoing {
  topic: string;
  payload: string;
  qos: 1;
  retain: boolean;
}

export type RolloutStatus = "applied" | "rejected" | "pending";

export interface RolloutRow {
  stationId: string;
  status: RolloutStatus;
  /** The station's own word: applied, pending-restart, refused, progress …; null before any answer. */
  answer: string | null;
  detail: string;
  at: string | null;
}

export interface Rollout {
  id: string;
  kind: "config" | "pack";
  stations: string[];
  startedAt: string;
}

const MAX_ROLLOUTS = 20;

export class FleetState {
  readonly presence = new PresenceBook();
  readonly alarms = new AlarmBook();
  readonly #seqs = new SeqWatch();
  /** answer id → station → its last answer. */
  readonly answers = new Map<string, Map<string, Answer>>();
  readonly #rollouts: Rollout[] = [];
  /** Set by every message that changes what is saved; cleared by the saver. */
  dirty = false;

  constructor(
    readonly county: string,
    /** A station silent this long is the county's own "offline" alarm. */
    readonly offlineAlarmMs = 600_000,
    readonly admin = COUNTY_ADMIN,
  ) {}

  /** What the county subscribes to (one filter per kind: the ACL grants these and no more). */
  subscriptions(): string[] {
    const c = this.county;
    return [
      presenceTopic(c, "+"),
      fleetTopics.health(c, "+"),
      fleetTopics.alarms(c, "+"),
      fleetTopics.answer(c, "+"),
    ];
  }

  /** One message heard from the broker; returns what to send back (a rebirth on a seq gap). */
  hear(topic: string, payload: Buffer | string, nowMs: number): Outgoing[] {
    const t = parseFleetTopic(topic);
    if (!t || t.county !== this.county || t.sub !== undefined) return [];
    const station = t.station;
    this.dirty = true;
    if (t.kind === "status") {
      const r = this.presence.apply(station, payload, nowMs);
      if (r.kind === "birth" || r.kind === "rebirth") this.#seqs.birth(station, r.station.bdSeq);
      return [];
    }
    this.presence.seen(station, nowMs);
    let json: unknown;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      return [];
    }
    if (t.kind === "alarms") this.alarms.apply(station, payload);
    if (t.kind === "answer") {
      const a = Answer.safeParse(json);
      if (a.success) {
        let byStation = this.answers.get(a.data.id);
        if (!byStation) {
          byStation = new Map();
          this.answers.set(a.data.id, byStation);
        }
        byStation.set(station, a.data);
      }
    }
    if (t.kind === "health" || t.kind === "alarms") {
      const m = json as { bdSeq?: unknown; seq?: unknown };
      if (
        typeof m.bdSeq === "number" &&
        typeof m.seq === "number" &&
        this.#seqs.see(station, m.bdSeq, m.seq) === "gap"
      )
        return [this.command(station, "rebirth", {}, nowMs)];
    }
    return [];
  }

  /** Every station, sorted by id, one page of them (server-side paging: a province has thousands). */
  page(offset: number, limit: number): { total: number; stations: StationPresence[] } {
    const sorted = this.presence.all().sort((a, b) => a.stationId.localeCompare(b.stationId));
    return { total: sorted.length, stations: sorted.slice(offset, offset + limit) };
  }

  summary(nowMs: number): { stations: number; online: number; alarms: number } {
    const all = this.presence.all();
    return {
      stations: all.length,
      online: all.filter((s) => s.online).length,
      alarms: this.alarmList(nowMs).length,
    };
  }

  alarmList(nowMs: number): CountyAlarm[] {
    return this.alarms.list(this.presence.all(), this.offlineAlarmMs, nowMs);
  }

  command(station: string, name: string, args: Record<string, unknown>, nowMs: number): Outgoing {
    return {
      topic: fleetTopics.cmd(this.county, station),
      payload: JSON.stringify({
        v: FLEET_VERSION,
        type: "command",
        id: randomUUID(),
        name,
        args,
        expiresAt: new Date(nowMs + 10 * 60_000).toISOString(),
      }),
      qos: 1,
      retain: false,
    };
  }

  /**
   * Acknowledges one alarm occurrence in the book and tells the station (command `ack-alarm`,
   * written to its audit log). The county's own offline alarm has nobody to tell.
   */
  acknowledge(a: { stationId: string; id: string; raisedAt: string }, by: string, nowMs: number): Outgoing[] {
    this.alarms.acknowledge(a.stationId, a.id, a.raisedAt, by, nowMs);
    this.dirty = true;
    if (a.id === "offline") return [];
    return [this.command(a.stationId, "ack-alarm", { alarmId: a.id, raisedAt: a.raisedAt, by }, nowMs)];
  }

  /** Desired config, retained, on each station's config topic; the rollout is tracked by its answer id. */
  configRollout(stations: string[], version: number, settings: Record<string, unknown>, nowMs: number) {
    const payload = JSON.stringify({
      v: FLEET_VERSION,
      type: "config-desired",
      version,
      settings,
      issuedAt: new Date(nowMs).toISOString(),
      issuedBy: this.admin,
    });
    const id = `config:${version}`;
    this.#track({ id, kind: "config", stations, startedAt: new Date(nowMs).toISOString() });
    const out: Outgoing[] = stations.map((s) => ({
      topic: fleetTopics.config(this.county, s),
      payload,
      qos: 1,
      retain: true,
    }));
    return { id, messages: out };
  }

  packRollout(stations: string[], name: string, version: number, bytes: Buffer, nowMs: number) {
    const chunks = packChunks(name, version, bytes);
    const id = `pack:${name}:${version}`;
    this.#track({ id, kind: "pack", stations, startedAt: new Date(nowMs).toISOString() });
    const out: Outgoing[] = stations.flatMap((s) =>
      chunks.map((c) => ({
        topic: fleetTopics.pack(this.county, s, name),
        payload: c,
        qos: 1 as const,
        retain: false,
      })),
    );
    return { id, chunks: chunks.length, messages: out };
  }

  rollouts(): readonly Rollout[] {
    return this.#rollouts;
  }

  /** Per station of a rollout: applied, rejected, or still pending (no final answer yet). */
  progress(id: string): {
    rollout: Rollout | null;
    rows: RolloutRow[];
    counts: Record<RolloutStatus, number>;
  } {
    const rollout = this.#rollouts.find((r) => r.id === id) ?? null;
    const byStation = this.answers.get(id) ?? new Map<string, Answer>();
    const stations = rollout?.stations ?? [...byStation.keys()].sort();
    const counts: Record<RolloutStatus, number> = { applied: 0, rejected: 0, pending: 0 };
    const rows = stations.map((stationId): RolloutRow => {
      const a = byStation.get(stationId);
      const status: RolloutStatus = !a
        ? "pending"
        : a.status === "applied" || a.status === "pending-restart"
          ? "applied"
          : a.status === "progress"
            ? "pending"
            : "rejected";
      counts[status]++;
      const detail = a
        ? [a.reason, ...(a.errors ?? [])].filter(Boolean).join("; ") ||
          (a.status === "progress" ? JSON.stringify(a.result ?? "") : "")
        : "";
      return { stationId, status, answer: a?.status ?? null, detail, at: a?.at ?? null };
    });
    return { rollout, rows, counts };
  }

  #track(r: Rollout): void {
    const i = this.#rollouts.findIndex((x) => x.id === r.id);
    if (i >= 0) this.#rollouts.splice(i, 1);
    this.#rollouts.unshift(r);
    this.#rollouts.length = Math.min(this.#rollouts.length, MAX_ROLLOUTS);
    // A resend is a new attempt: earlier answers to the same id would show it done already.
    const prev = this.answers.get(r.id);
    if (prev) for (const s of r.stations) prev.delete(s);
  }
}
