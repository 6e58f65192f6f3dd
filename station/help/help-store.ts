/**
 * Durable help requests: a villager pressed 求助 (on screen or the physical button). Each request
 * is kept, with the screen and step it came from, until a doctor clears it; a restart or power
 * cut must not lose one, so the list lives in one file written by the durable lowdb adapter.
 * start() reads the file; stop() waits for the last write. The constructor does nothing.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { v7 as uuidv7 } from "uuid";
import { DurableJSONFile } from "../storage/durable-adapter.js";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";

export interface HelpRequest {
  id: string;
  /** Wall time, ISO 8601. */
  at: string;
  /** Workflow step the villager was on (e.g. "bp"). */
  step: string;
  /** The screen shown (step:phase, or a kiosk-only screen such as "device-missing"). */
  screen: string;
  /** The check-up under way, if any: the doctor can find the person from it. */
  recordId: string | null;
  source: "screen" | "button";
}

interface HelpFile {
  version: 1;
  requests: HelpRequest[];
}

export interface HelpStoreOptions {
  /** Folder the file lives in (the station's data dir). */
  dir: string;
  now?: () => number;
  logger?: Logger;
  /** Called after every durable change with the requests still waiting. */
  onChange?: (waiting: readonly HelpRequest[]) => void;
}

/** A waiting list longer than this is a stuck button, not villagers: the oldest are kept. */
const MAX_WAITING = 200;

export class HelpStore {
  #file: DurableJSONFile<HelpFile> | null = null;
  #requests: HelpRequest[] = [];

  constructor(private readonly o: HelpStoreOptions) {}

  async start(): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    this.#file = new DurableJSONFile<HelpFile>(join(this.o.dir, "help-requests.json"), {
      logger: this.o.logger ?? silentLogger,
    });
    const data = await this.#file.read();
    this.#requests = data?.version === 1 && Array.isArray(data.requests) ? data.requests : [];
    this.o.onChange?.(this.waiting());
  }

  async stop(): Promise<void> {
    // Writes are queued in the adapter; a read behind them resolves once they are on disk.
    await this.#file?.read().catch(() => null);
    this.#file = null;
  }

  waiting(): readonly HelpRequest[] {
    return [...this.#requests];
  }

  /** Resolves once the request is on disk. */
  async add(req: Omit<HelpRequest, "id" | "at">): Promise<HelpRequest> {
    const now = (this.o.now ?? Date.now)();
    const full: HelpRequest = { id: uuidv7({ msecs: now }), at: new Date(now).toISOString(), ...req };
    if (this.#requests.length >= MAX_WAITING) return this.#requests.at(-1)!;
    await this.#save([...this.#requests, full]);
    return full;
  }

  /** A doctor dealt with it. False when there was no such request. */
  async clear(id: string): Promise<boolean> {
    if (!this.#requests.some((r) => r.id === id)) return false;
    await this.#save(this.#requests.filter((r) => r.id !== id));
    return true;
  }

  async #save(next: HelpRequest[]): Promise<void> {
    if (!this.#file) throw new Error("help store not started");
    await this.#file.write({ version: 1, requests: next });
    this.#requests = next;
    this.o.onChange?.(this.waiting());
  }
}
