/**
 * Whether the station's wall clock can be trusted. A Pi has no real-time clock: it boots with
 * the time it last saved (or 1970) until NTP answers, and a village clinic is often offline.
 *
 * Sources, most trusted first:
 *   1. the archive's time (`at` of an ack that settled one of our records), carried forward with
 *      the monotonic clock: a skew larger than `maxSkewMs` is suspect;
 *   2. a persisted time floor, the latest trustworthy time seen (an archive time, or our own
 *      clock while it was not suspect). It survives restarts, and is never written from a
 *      suspect clock: a clock behind it, or far ahead of it, is suspect;
 *   3. the release floor (CLOCK_FLOOR): nothing is earlier.
 * Every check is live: once the clock is right again, nothing more is flagged, without a restart.
 */
import type { Clock } from "../runtime/clock.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { CLOCK_FLOOR } from "../workflow/record.js";
import { readFloor, writeFloor } from "./floor-file.js";

export type ClockReason = "before-release" | "behind-floor" | "far-ahead" | "archive-skew";

export interface ClockStatus {
  suspect: boolean;
  reason: ClockReason | null;
  /** The station's clock, ISO. */
  now: string;
  /** The persisted floor (or the release floor), ISO. */
  floor: string;
  /** Station clock minus the archive's time carried forward, ms; null before the first ack this run. */
  skewMs: number | null;
}

export interface TimeGuardOptions {
  /** Where the floor is kept (0600). */
  file: string;
  clock: Clock;
  /** Milliseconds from a clock that never jumps; performance.now() by default. */
  monotonic?: () => number;
  /** Allowed difference from the archive's time. Default 10 minutes. */
  maxSkewMs?: number;
  /** How far past the floor the clock may be before it is called suspect. Default 400 days. */
  maxAheadMs?: number;
  /** How far before the floor the clock may step back (NTP slews, a save in flight). Default 10 minutes. */
  behindToleranceMs?: number;
  /** How often a trusted clock advances the floor on disk. Default 10 minutes. */
  advanceEveryMs?: number;
  logger?: Logger;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export class TimeGuard {
  readonly #o: Required<Omit<TimeGuardOptions, "logger">>;
  readonly #log: Logger;
  #floorMs = CLOCK_FLOOR;
  #archive: { ms: number; mono: number } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  /** The floor last written to disk. */
  #persistedMs = Number.NEGATIVE_INFINITY;
  #lastSuspect = false;

  constructor(opts: TimeGuardOptions) {
    this.#o = {
      monotonic: () => performance.now(),
      maxSkewMs: 10 * MINUTE,
      maxAheadMs: 400 * DAY,
      behindToleranceMs: 10 * MINUTE,
      advanceEveryMs: 10 * MINUTE,
      ...opts,
    };
    this.#log = (opts.logger ?? silentLogger).child("clock");
  }

  async start(): Promise<void> {
    const saved = await readFloor(this.#o.file, this.#log);
    if (saved !== null) this.#floorMs = Math.max(this.#floorMs, saved);
    if (saved !== null) this.#persistedMs = saved;
    const s = this.check();
    if (s.suspect) this.#log.warn(`clock suspect at start (${s.reason}): clock ${s.now}, floor ${s.floor}`);
    await this.advance();
    this.#timer = setInterval(() => void this.advance(), this.#o.advanceEveryMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.advance();
    await this.#persist(true);
  }

  check(): ClockStatus {
    const now = this.#o.clock.now();
    const skewMs = this.#archive
      ? now - (this.#archive.ms + (this.#o.monotonic() - this.#archive.mono))
      : null;
    let reason: ClockReason | null = null;
    // The archive's word, when we have it this run, outranks everything kept on disk.
    if (skewMs !== null) reason = Math.abs(skewMs) > this.#o.maxSkewMs ? "archive-skew" : null;
    else if (now < CLOCK_FLOOR) reason = "before-release";
    else if (now < this.#floorMs - this.#o.behindToleranceMs) reason = "behind-floor";
    else if (now > this.#floorMs + this.#o.maxAheadMs) reason = "far-ahead";
    if ((reason !== null) !== this.#lastSuspect) {
      this.#lastSuspect = reason !== null;
      if (reason) this.#log.warn(`wall clock looks wrong (${reason}): ${new Date(now).toISOString()}`);
      else this.#log.info("wall clock trusted again");
    }
    return {
      suspect: reason !== null,
      reason,
      now: new Date(now).toISOString(),
      floor: new Date(this.#floorMs).toISOString(),
      skewMs: skewMs === null ? null : Math.round(skewMs),
    };
  }

  /** The archive's time from an ack (ISO); it is also a trustworthy floor. */
  async observeArchive(at: string): Promise<void> {
    const ms = Date.parse(at);
    if (!Number.isFinite(ms)) return;
    this.#archive = { ms, mono: this.#o.monotonic() };
    this.check(); // logs when this turns the clock suspect or trusted
    await this.#raise(ms);
  }

  /** Moves the floor up to the station's clock, only while that clock is trusted. */
  async advance(): Promise<void> {
    if (this.check().suspect) return;
    await this.#raise(this.#o.clock.now());
  }

  #raise(ms: number): Promise<void> {
    if (ms > this.#floorMs) this.#floorMs = ms;
    return this.#persist(false);
  }

  /**
   * Writes the floor when it moved a minute or more since the last write (acks arrive in bursts
   * while a backlog drains; a floor a minute stale costs nothing), or always when `force`.
   * In order; a failed write is logged and the floor stays in memory for this run.
   */
  #persist(force: boolean): Promise<void> {
    const ms = this.#floorMs;
    if (ms <= this.#persistedMs || (!force && ms - this.#persistedMs < MINUTE)) return this.#writing;
    this.#persistedMs = ms;
    this.#writing = this.#writing.then(() =>
      writeFloor(this.#o.file, ms).catch((e: Error) =>
        this.#log.warn(`could not save the time floor: ${e.message}`),
      ),
    );
    return this.#writing;
  }
}
