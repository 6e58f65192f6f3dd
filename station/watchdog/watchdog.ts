/**
 * Pings systemd's watchdog only while the station is healthy: the event loop keeps up, the store
 * answers, and device supervision answers. A hung loop sends nothing (no timer fires), a slow
 * one or a stuck store stops the pings, and systemd restarts the service after WatchdogSec.
 *
 * An unplugged device is deliberately not unhealthy: a restart cannot fix a cable, and the
 * drivers already retry by themselves. The device probe checks that supervision itself answers.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Logger } from "../util/logger.js";
import type { Notify } from "./sd-notify.js";

export interface HealthProbe {
  name: string;
  /** Resolves when healthy; rejects (or exceeds the probe timeout) when not. */
  check(): Promise<void> | void;
}

export interface WatchdogOptions {
  notify: Notify;
  intervalMs: number;
  probes: HealthProbe[];
  logger: Logger;
  /** The loop is unhealthy when it lagged more than this since the last ping (default 5 s). */
  maxLoopLagMs?: number;
  /** A probe that takes longer than this fails (default: half the interval). */
  probeTimeoutMs?: number;
  /** Worst loop delay (ms) since the last call; injected by tests. */
  loopLag?: () => number;
}

export class Watchdog {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  #failing: string | null = null;
  #stopped = true;
  pings = 0;

  constructor(private readonly o: WatchdogOptions) {}

  /** Why the last round did not ping, or null when it did. */
  get failing(): string | null {
    return this.#failing;
  }

  start(): void {
    this.#stopped = false;
    if (!this.o.loopLag) {
      this.#histogram = monitorEventLoopDelay({ resolution: 20 });
      this.#histogram.enable();
    }
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#histogram?.disable();
  }

  /** One round: check everything, ping only if all is well. Exposed for tests. */
  async round(): Promise<boolean> {
    const problem = (await this.#loopProblem()) ?? (await this.#probeProblem());
    if (problem !== this.#failing) {
      if (problem) this.o.logger.error(`watchdog: not pinging systemd: ${problem}`);
      else if (this.#failing) this.o.logger.info("watchdog: healthy again, pinging systemd");
    }
    this.#failing = problem;
    if (problem) return false;
    this.o.notify("WATCHDOG=1");
    this.pings++;
    return true;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.round().finally(() => this.#schedule());
    }, this.o.intervalMs);
    this.#timer.unref?.();
  }

  #loopProblem(): string | null {
    let lag: number;
    if (this.o.loopLag) lag = this.o.loopLag();
    else {
      // The histogram reports nanoseconds; reset so each round judges only its own window.
      lag = (this.#histogram?.max ?? 0) / 1e6;
      this.#histogram?.reset();
    }
    const max = this.o.maxLoopLagMs ?? 5_000;
    return lag > max ? `event loop lagged ${Math.round(lag)} ms (limit ${max} ms)` : null;
  }

  async #probeProblem(): Promise<string | null> {
    const timeoutMs = this.o.probeTimeoutMs ?? Math.max(50, Math.floor(this.o.intervalMs / 2));
    for (const p of this.o.probes) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`${p.name} did not answer within ${timeoutMs} ms`), timeoutMs);
      });
      const result = Promise.resolve()
        .then(() => p.check())
        .then(
          () => null,
          (e: Error) => `${p.name}: ${e.message}`,
        );
      const problem = await Promise.race([result, timeout]);
      clearTimeout(timer);
      if (problem) return problem;
    }
    return null;
  }
}
