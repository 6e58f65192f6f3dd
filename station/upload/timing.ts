/**
 * Time seams for the uploader: a scheduler (so tests drive time without faking MQTT.js's own
 * timers) and full-jitter exponential backoff, so a fleet of stations never retries in lockstep.
 */

/** Opaque: whatever the scheduler's setTimeout returned. */
export type TimerHandle = unknown;

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // Retry and reconnect timers must never keep a stopping process alive.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface BackoffPolicy {
  /** Delay ceiling for the first retry, in ms. */
  baseMs: number;
  /** Upper bound of any delay, in ms. */
  capMs: number;
}

/**
 * "Full jitter": a uniform delay in [0, min(cap, base·2^(attempt−1))). Spreads a fleet's retries
 * over the whole window instead of clustering them at its edge. attempt counts from 1.
 */
export function fullJitter(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.floor(random() * exp);
}
