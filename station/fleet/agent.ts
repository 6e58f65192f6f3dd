/**
 * The station's side of county fleet management (docs/fleet.md). It rides on the uploader's one
 * MQTT connection (the broker makes the username the client id, so a station has exactly one):
 * it gives that link a restart-proof bdSeq and the birth details, hears the station's command
 * topic, and answers on its answer topic. Built before the uploader (whose link needs `presence`
 * and `topics`), attached to it after.
 */
import { join } from "node:path";
import { answerPayload, fleetTopics } from "../mqtt/fleet-contract.js";
import type { PresenceSource } from "../mqtt/presence.js";
import type { RecordStore } from "../storage/types.js";
import type { Logger } from "../util/logger.js";
import { BdSeqFile } from "./bdseq.js";
import { type BirthFacts, buildBirth } from "./birth.js";
import { CommandHandler, type CommandRun } from "./commands.js";
import type { FleetLink } from "./link.js";

export interface FleetAgentOptions {
  county: string;
  stationId: string;
  /** The station's dataDir; the agent keeps its state in `fleet/` below it. */
  dataDir: string;
  store: RecordStore;
  facts: Omit<BirthFacts, "oldestPendingAt" | "dataDir">;
  logger: Logger;
  /** How often the cached oldest-unsent time is refreshed. Default 30 s. */
  backlogRefreshMs?: number;
}

export class FleetAgent {
  readonly presence: PresenceSource;
  readonly #o: FleetAgentOptions;
  readonly #bdSeq: BdSeqFile;
  readonly #commands: CommandHandler;
  readonly #cmdTopic: string;
  #link: FleetLink | null = null;
  #oldestAt: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #onMessage = (topic: string, payload: Buffer) => this.#message(topic, payload);

  constructor(o: FleetAgentOptions) {
    this.#o = o;
    const dir = join(o.dataDir, "fleet");
    this.#bdSeq = new BdSeqFile(dir, o.facts.nowMs);
    this.#cmdTopic = fleetTopics.cmd(o.county, o.stationId);
    this.presence = {
      nextBdSeq: () => this.#bdSeq.next(),
      birth: () => buildBirth({ ...o.facts, dataDir: o.dataDir, oldestPendingAt: () => this.#oldestAt }),
    };
    const run: Partial<Record<string, CommandRun>> = {
      rebirth: () =>
        this.#link?.rebirth() ? { status: "done" } : { status: "failed", reason: "not connected" },
      "retry-uploads": () => {
        this.#link?.kick();
        return { status: "done", result: { pending: o.facts.backlogCount() } };
      },
    };
    this.#commands = new CommandHandler({
      run,
      answer: (a) => {
        const text = answerPayload(a, new Date(o.facts.nowMs()));
        if (!this.#link?.publish(fleetTopics.answer(o.county, o.stationId), text))
          o.logger.warn(`answer ${a.id} not sent: not connected`);
      },
      auditFile: join(dir, "audit.jsonl"),
      nowMs: o.facts.nowMs,
      logger: o.logger,
    });
  }

  /** Topics the link subscribes for the agent. */
  get topics(): string[] {
    return [this.#cmdTopic];
  }

  /** Reads the outbox's oldest record before the first birth, then keeps it fresh. */
  async start(): Promise<void> {
    await this.#refreshBacklog();
    this.#timer = setInterval(() => void this.#refreshBacklog(), this.#o.backlogRefreshMs ?? 30_000);
    this.#timer.unref();
  }

  attach(link: FleetLink): void {
    this.#link = link;
    link.on("message", this.#onMessage);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#link?.off("message", this.#onMessage);
    this.#link = null;
  }

  async #refreshBacklog(): Promise<void> {
    try {
      const [oldest] = await this.#o.store.pending(1);
      this.#oldestAt = oldest?.createdAt ?? null;
    } catch (err) {
      this.#o.logger.warn(`backlog age unknown: ${(err as Error).message}`);
    }
  }

  #message(topic: string, payload: Buffer): void {
    if (topic === this.#cmdTopic) void this.#commands.handle(payload);
  }
}
