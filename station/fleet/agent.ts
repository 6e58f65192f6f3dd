/**
 * The station's side of county fleet management (docs/fleet.md). It rides on the uploader's one
 * MQTT connection (the broker makes the username the client id, so a station has exactly one):
 * it gives that link a restart-proof bdSeq and the birth details, checks health and alarm
 * conditions every few seconds and reports them, hears the station's command topic, and answers
 * on its answer topic. Built before the uploader (whose link needs `presence` and `topics`),
 * attached to it after.
 */
import { join } from "node:path";
import { answerPayload, FLEET_VERSION, fleetTopics } from "../mqtt/fleet-contract.js";
import type { AlarmsMessage, HealthMessage, HealthMetrics } from "../mqtt/fleet-reports.js";
import type { PresenceSource } from "../mqtt/presence.js";
import type { RecordStore } from "../storage/types.js";
import type { Logger } from "../util/logger.js";
import { CLOCK_FLOOR } from "../workflow/record.js";
import { type AlarmChange, type AlarmLimits, AlarmSet, conditions, type Observed } from "./alarms.js";
import { BdSeqFile } from "./bdseq.js";
import { buildBirth, diskFreeBytes } from "./birth.js";
import { CommandHandler, type CommandRun } from "./commands.js";
import { ConfigApplier, type ConfigApplierOptions } from "./config-apply.js";
import { HealthReporter } from "./health.js";
import type { FleetLink } from "./link.js";
import { type PackKind, PackReceiver } from "./packs.js";

export interface StationFacts {
  software: string;
  packs(): Record<string, string | null>;
  /** Device name → state ("connected", "disconnected", "error") and since when (ISO). */
  devices(): Record<string, { state: string; since: string }>;
  backlogCount(): number;
  rejectedCount(): number;
  savesFailing(): boolean;
  helpSinceMs(): number | null;
  nowMs(): number;
  startedAtMs: number;
  /**
   * The station's time guard (station/timekeeping): persisted floor, the archive's time, far
   * future. Without it only the release floor is checked.
   */
  clock?(): { suspect: boolean; reason: string | null };
}

export interface FleetSettings {
  healthPeriodSeconds: number;
  checkSeconds: number;
  alarms: AlarmLimits;
}

export interface FleetAgentOptions {
  county: string;
  stationId: string;
  /** The station's dataDir; the agent keeps its state in `fleet/` below it. */
  dataDir: string;
  store: RecordStore;
  facts: StationFacts;
  settings: FleetSettings;
  logger: Logger;
  /** Extra commands (restart, logs) supplied by the composition root. */
  commands?: Partial<Record<string, CommandRun>>;
  /** County configuration (shadow); without it the config topic is not heard. */
  config?: Pick<ConfigApplierOptions, "fileConfig" | "running" | "appliedVersion" | "applyLive">;
  /** Data packs the station takes, by name (roster, …); without any the pack topics are not heard. */
  packs?: Record<string, PackKind<unknown>>;
}

export class FleetAgent {
  readonly presence: PresenceSource;
  readonly #o: FleetAgentOptions;
  readonly #bdSeq: BdSeqFile;
  readonly #commands: CommandHandler;
  readonly #cmdTopic: string;
  readonly #configTopic: string;
  readonly #config: ConfigApplier | null;
  readonly #packs: PackReceiver | null;
  readonly #packPrefix: string;
  #settings: FleetSettings;
  readonly #alarms = new AlarmSet();
  #health: HealthReporter;
  #link: FleetLink | null = null;
  #oldestMs: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Per connection: restarts at 0 with each birth (Sparkplug), shared by health and alarms. */
  #seq = 0;
  #pendingChanges: AlarmChange[] = [];
  readonly #onMessage = (topic: string, payload: Buffer) => this.#message(topic, payload);
  readonly #onUp = () => {
    this.#afterBirth();
    this.#reportRefused();
  };
  /** Oversized packets refused while the link was up: reported once it is back. */
  #refused: string[] = [];
  readonly #onOversized = (detail: string) => {
    if (this.#refused.length < 20) this.#refused.push(detail);
  };
  #answer: ((a: Parameters<ConfigApplierOptions["answer"]>[0]) => void) | null = null;

  constructor(o: FleetAgentOptions) {
    this.#o = o;
    const dir = join(o.dataDir, "fleet");
    this.#bdSeq = new BdSeqFile(dir, o.facts.nowMs);
    this.#cmdTopic = fleetTopics.cmd(o.county, o.stationId);
    this.#configTopic = fleetTopics.config(o.county, o.stationId);
    this.#packPrefix = fleetTopics.pack(o.county, o.stationId, "");
    this.#settings = o.settings;
    this.#health = new HealthReporter(o.settings.healthPeriodSeconds * 1000);
    this.presence = {
      nextBdSeq: () => this.#bdSeq.next(),
      birth: () =>
        buildBirth({
          ...o.facts,
          configVersion: () => this.#config?.version ?? null,
          packs: () => ({ ...o.facts.packs(), ...this.#packs?.versions() }),
          devices: () => Object.fromEntries(Object.entries(o.facts.devices()).map(([k, v]) => [k, v.state])),
          dataDir: o.dataDir,
          oldestPendingAt: () => (this.#oldestMs === null ? null : new Date(this.#oldestMs).toISOString()),
        }),
    };
    const run: Partial<Record<string, CommandRun>> = {
      rebirth: () => {
        if (!this.#link?.rebirth()) return { status: "failed", reason: "not connected" };
        this.#afterBirth();
        return { status: "done" };
      },
      // The county acknowledged an alarm (county IT saw it): noted in the audit log by the handler;
      // the answer says whether the occurrence still holds here.
      "ack-alarm": (args) => {
        const held = this.#alarms.active.some((a) => a.id === args.alarmId && a.raisedAt === args.raisedAt);
        o.logger.info(
          `county acknowledged alarm ${String(args.alarmId).slice(0, 80)}${held ? "" : " (no longer held)"}`,
        );
        return { status: "done", result: { alarmId: args.alarmId, held } };
      },
      "retry-uploads": () => {
        this.#link?.kick();
        return { status: "done", result: { pending: o.facts.backlogCount() } };
      },
      ...o.commands,
    };
    const answer = (a: Parameters<ConfigApplierOptions["answer"]>[0]) => {
      const text = answerPayload(a, new Date(o.facts.nowMs()));
      if (!this.#link?.publish(fleetTopics.answer(o.county, o.stationId), text))
        o.logger.warn(`answer ${a.id} not sent: not connected`);
    };
    this.#answer = answer;
    this.#config = o.config
      ? new ConfigApplier({ ...o.config, fleetDir: dir, answer, nowMs: o.facts.nowMs, logger: o.logger })
      : null;
    this.#packs =
      o.packs && Object.keys(o.packs).length > 0
        ? new PackReceiver({
            fleetDir: dir,
            kinds: o.packs,
            answer,
            logger: o.logger,
            // The birth carries pack versions: the county sees the new one at once.
            onInstalled: () => {
              if (this.#link?.rebirth()) this.#afterBirth();
            },
          })
        : null;
    this.#commands = new CommandHandler({
      run,
      answer,
      auditFile: join(dir, "audit.jsonl"),
      nowMs: o.facts.nowMs,
      logger: o.logger,
    });
  }

  /** Topics the link subscribes for the agent. */
  get topics(): string[] {
    return [
      this.#cmdTopic,
      ...(this.#config ? [this.#configTopic] : []),
      ...(this.#packs ? [`${this.#packPrefix}+`] : []),
    ];
  }

  /** Puts the installed packs into effect (before the station serves); their versions by name. */
  loadPacks(): Record<string, number | null> {
    return this.#packs?.loadInstalled() ?? {};
  }

  get partialPacks() {
    return this.#packs?.partial() ?? [];
  }

  /** New health and alarm settings (the county changed them): in force from the next check. */
  updateSettings(s: FleetSettings): void {
    const periodChanged = s.healthPeriodSeconds !== this.#settings.healthPeriodSeconds;
    const checkChanged = s.checkSeconds !== this.#settings.checkSeconds;
    this.#settings = s;
    if (periodChanged) this.#health = new HealthReporter(s.healthPeriodSeconds * 1000);
    if (checkChanged && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = setInterval(() => void this.check(), s.checkSeconds * 1000);
      this.#timer.unref();
    }
  }

  get configVersion(): number | null {
    return this.#config?.version ?? null;
  }

  get activeAlarms() {
    return this.#alarms.active;
  }

  /** Reads the outbox's oldest record and evaluates alarms before the first birth, then keeps checking. */
  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), this.#settings.checkSeconds * 1000);
    this.#timer.unref();
  }

  attach(link: FleetLink): void {
    this.#link = link;
    link.on("message", this.#onMessage);
    link.on("up", this.#onUp);
    link.on("oversized", this.#onOversized);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#link?.off("message", this.#onMessage);
    this.#link?.off("up", this.#onUp);
    this.#link?.off("oversized", this.#onOversized);
    this.#link = null;
  }

  /** One round: refresh the backlog age, evaluate alarms, report what is due. */
  async check(): Promise<void> {
    try {
      const [oldest] = await this.#o.store.pending(1);
      this.#oldestMs = oldest ? Date.parse(oldest.createdAt) : null;
    } catch (err) {
      this.#o.logger.warn(`backlog age unknown: ${(err as Error).message}`);
    }
    const nowMs = this.#o.facts.nowMs();
    const obs = this.#observe(nowMs);
    const changes = this.#alarms.update(conditions(obs, this.#settings.alarms), nowMs);
    for (const c of changes) this.#o.logger.warn(`alarm ${c.id} ${c.event}`);
    this.#pendingChanges.push(...changes);
    if (this.#pendingChanges.length > 0) this.#sendAlarms();
    const metrics = this.#metrics(obs);
    const cause = this.#health.due(metrics, nowMs);
    if (cause) this.#sendHealth(metrics, cause, nowMs);
  }

  /** After every birth: seq restarts, and the county gets the alarm set and metrics at once. */
  #afterBirth(): void {
    this.#seq = 0;
    this.#health.reset();
    this.#sendAlarms();
    const nowMs = this.#o.facts.nowMs();
    const metrics = this.#metrics(this.#observe(nowMs));
    this.#sendHealth(metrics, "birth", nowMs);
  }

  #reportRefused(): void {
    for (const detail of this.#refused.splice(0))
      this.#answer?.({
        id: "?",
        about: "message",
        status: "refused",
        reason: `oversized, refused unread: ${detail}`,
      });
  }

  #observe(nowMs: number): Observed {
    const f = this.#o.facts;
    return {
      nowMs,
      devices: Object.fromEntries(
        Object.entries(f.devices()).map(([k, v]) => [
          k,
          { connected: v.state === "connected", sinceMs: Date.parse(v.since) },
        ]),
      ),
      backlogOldestMs: this.#oldestMs,
      diskFreeBytes: diskFreeBytes(this.#o.dataDir),
      ...(f.clock
        ? { clockSuspect: f.clock().suspect, clockReason: f.clock().reason }
        : { clockSuspect: nowMs < CLOCK_FLOOR }),
      savesFailing: f.savesFailing(),
      rejectedRecords: f.rejectedCount(),
      helpSinceMs: f.helpSinceMs(),
    };
  }

  #metrics(o: Observed): HealthMetrics {
    return {
      backlogCount: this.#o.facts.backlogCount(),
      backlogOldestAgeSeconds:
        o.backlogOldestMs === null ? null : Math.max(0, Math.floor((o.nowMs - o.backlogOldestMs) / 1000)),
      diskFreeBytes: o.diskFreeBytes,
      devicesDisconnected: Object.values(o.devices).filter((d) => !d.connected).length,
      rejectedRecords: o.rejectedRecords,
      rssBytes: process.memoryUsage.rss(),
      uptimeSeconds: Math.max(0, Math.round((o.nowMs - this.#o.facts.startedAtMs) / 1000)),
    };
  }

  #bdSeqNow(): number {
    return Math.max(0, this.#bdSeq.current ?? 0);
  }

  #sendHealth(metrics: HealthMetrics, cause: HealthMessage["cause"], nowMs: number): void {
    if (!this.#link) return;
    const msg: HealthMessage = {
      v: FLEET_VERSION,
      type: "health",
      stationId: this.#o.stationId,
      bdSeq: this.#bdSeqNow(),
      seq: this.#seq,
      at: new Date(nowMs).toISOString(),
      cause,
      metrics,
    };
    // Not connected: nothing is queued; the next birth brings a fresh report.
    if (this.#link.publish(fleetTopics.health(this.#o.county, this.#o.stationId), JSON.stringify(msg))) {
      this.#seq++;
      this.#health.sent(metrics, nowMs);
    }
  }

  #sendAlarms(): void {
    if (!this.#link) return;
    const msg: AlarmsMessage = {
      v: FLEET_VERSION,
      type: "alarms",
      stationId: this.#o.stationId,
      bdSeq: this.#bdSeqNow(),
      seq: this.#seq,
      at: new Date(this.#o.facts.nowMs()).toISOString(),
      active: this.#alarms.active,
      changes: this.#pendingChanges,
    };
    // Retained: a county that starts later, or reconnects, gets the set that holds now.
    if (
      this.#link.publish(fleetTopics.alarms(this.#o.county, this.#o.stationId), JSON.stringify(msg), true)
    ) {
      this.#seq++;
      this.#pendingChanges = [];
    }
  }

  #message(topic: string, payload: Buffer): void {
    if (topic === this.#cmdTopic) void this.#commands.handle(payload);
    else if (this.#packs && topic.startsWith(this.#packPrefix))
      this.#packs.handle(topic.slice(this.#packPrefix.length), payload);
    else if (
      topic === this.#configTopic &&
      this.#config?.handle(payload) === "applied" &&
      this.#link?.rebirth()
    )
      // The birth carries the config version: the county sees the new one at once.
      this.#afterBirth();
  }
}
