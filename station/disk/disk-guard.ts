/**
 * Keeps a disk reserve: when the data folder's file system has less free space than the
 * county-set reserve, no new check-up starts (the card tap is answered "storage almost full,
 * ask the doctor"), so a full disk never makes a finished check-up's save fail. A check-up
 * already under way still saves into the reserve. Checked every `checkSeconds` and after saves.
 */
import { statfs } from "node:fs/promises";
import type { DiskStatusView } from "../protocol.js";
import { TypedEmitter } from "../util/emitter.js";
import type { Logger } from "../util/logger.js";
import type { Fault } from "../workflow/types.js";
import { DISK_LOW_FAULT } from "./fault.js";

export interface DiskGuardOptions {
  dir: string;
  reserveMb: number;
  checkSeconds: number;
  logger: Logger;
  /** Free and total bytes of the file system holding `dir`; injected by tests. */
  measure?: (dir: string) => Promise<{ free: number; total: number }>;
  now?: () => number;
}

const MB = 1024 * 1024;

async function measureFs(dir: string): Promise<{ free: number; total: number }> {
  const s = await statfs(dir);
  // bavail: what an unprivileged process (the service user) may still write.
  return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}

export class DiskGuard extends TypedEmitter<{ status: [DiskStatusView] }> {
  #status: DiskStatusView | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly o: DiskGuardOptions) {
    super();
  }

  get status(): DiskStatusView | null {
    return this.#status;
  }

  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), this.o.checkSeconds * 1000);
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The fault that stops a new check-up, or null when there is room. */
  admit(): Fault | null {
    return this.#status?.low ? DISK_LOW_FAULT : null;
  }

  async check(): Promise<DiskStatusView | null> {
    let m: { free: number; total: number };
    try {
      m = await (this.o.measure ?? measureFs)(this.o.dir);
    } catch (e) {
      // Cannot measure (an odd file system): keep the last answer rather than block the clinic.
      this.o.logger.warn(`disk: cannot read free space of ${this.o.dir}: ${(e as Error).message}`);
      return this.#status;
    }
    const next: DiskStatusView = {
      freeMb: Math.floor(m.free / MB),
      totalMb: Math.floor(m.total / MB),
      reserveMb: this.o.reserveMb,
      low: m.free < this.o.reserveMb * MB,
      checkedAt: new Date((this.o.now ?? Date.now)()).toISOString(),
    };
    const prev = this.#status;
    this.#status = next;
    if (prev?.low !== next.low)
      this.o.logger[next.low ? "error" : "info"](
        next.low
          ? `disk: ${next.freeMb} MB free, below the ${next.reserveMb} MB reserve: new check-ups are stopped`
          : `disk: ${next.freeMb} MB free: new check-ups allowed`,
      );
    if (!prev || prev.low !== next.low || prev.freeMb !== next.freeMb) this.emit("status", next);
    return next;
  }
}
