/**
 * LED and buzzer patterns as data, played by a tiny timer-driven player. Timings are ours
 * (no standard): busy blinks at 1 Hz, fault at 5 Hz so the two are told apart at a glance;
 * a prompt is one short beep, an alert three long ones.
 */
import type { BuzzerPattern, LedPattern } from "../types.js";

export interface Step {
  on: boolean;
  /** How long to hold this step; 0 = hold until the next pattern. */
  ms: number;
}
export interface Pattern {
  steps: readonly Step[];
  repeat: boolean;
}

export const LED_PATTERNS: Readonly<Record<LedPattern, Pattern>> = {
  off: { steps: [{ on: false, ms: 0 }], repeat: false },
  ready: { steps: [{ on: true, ms: 0 }], repeat: false },
  busy: {
    steps: [
      { on: true, ms: 500 },
      { on: false, ms: 500 },
    ],
    repeat: true,
  },
  fault: {
    steps: [
      { on: true, ms: 100 },
      { on: false, ms: 100 },
    ],
    repeat: true,
  },
};

const LONG = 600;
const GAP = 300;
export const BUZZER_PATTERNS: Readonly<Record<BuzzerPattern, Pattern>> = {
  prompt: {
    steps: [
      { on: true, ms: 120 },
      { on: false, ms: 0 },
    ],
    repeat: false,
  },
  alert: {
    steps: [
      { on: true, ms: LONG },
      { on: false, ms: GAP },
      { on: true, ms: LONG },
      { on: false, ms: GAP },
      { on: true, ms: LONG },
      { on: false, ms: 0 },
    ],
    repeat: false,
  },
};

/** Plays one pattern at a time on one output; a new pattern replaces the running one. */
export class PatternPlayer {
  #timer: ReturnType<typeof setTimeout> | null = null;
  constructor(readonly write: (on: boolean) => void) {}

  play(pattern: Pattern): void {
    this.stop();
    this.#step(pattern, 0);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #step(p: Pattern, i: number): void {
    const step = p.steps[i];
    if (!step) return;
    this.write(step.on);
    if (step.ms === 0) return;
    const next = i + 1 < p.steps.length ? i + 1 : p.repeat ? 0 : -1;
    if (next < 0) return;
    this.#timer = setTimeout(() => this.#step(p, next), step.ms);
  }
}
