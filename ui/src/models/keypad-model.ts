/**
 * The doctor's manual ID entry (UI-only state). It forgets what was typed when it closes, when
 * the submission goes through, and after a minute untouched, so the next villager never sees it.
 */
import { computed, type ReadonlySignal, signal } from "@preact/signals-core";
import type { Timers } from "../client/station-client.js";
import { idNumberProblem } from "../format.js";

export const KEYPAD_IDLE_MS = 60_000;
export const ID_LENGTH = 18;

export interface KeypadDeps {
  /** Sends the manual-id action; resolves true when the station accepted it. */
  submit(idNumber: string, name: string | undefined): Promise<boolean>;
  /** Leaves the keypad screen. */
  close(): void;
  timers?: Timers;
  idleMs?: number;
}

export function createKeypadModel(deps: KeypadDeps) {
  const timers: Timers = deps.timers ?? {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
  };
  const id = signal("");
  const name = signal("");
  /** Set after a submit attempt; shown until the next key press. */
  const shownProblem = signal<"length" | "check" | "rejected" | null>(null);
  const busy = signal(false);
  const complete = computed(() => id.value.length === ID_LENGTH);
  let idle: unknown = null;

  function armIdle(): void {
    if (idle !== null) timers.clearTimeout(idle);
    idle = timers.setTimeout(() => {
      idle = null;
      close();
    }, deps.idleMs ?? KEYPAD_IDLE_MS);
  }

  function reset(): void {
    id.value = "";
    name.value = "";
    shownProblem.value = null;
    busy.value = false;
  }

  /** Digits anywhere; "X" only as the 18th character, where the check digit may be 10. */
  function press(key: string): void {
    armIdle();
    shownProblem.value = null;
    if (id.value.length >= ID_LENGTH) return;
    if (/^\d$/.test(key) || (key === "X" && id.value.length === ID_LENGTH - 1)) id.value += key;
  }

  function backspace(): void {
    armIdle();
    shownProblem.value = null;
    id.value = id.value.slice(0, -1);
  }

  function setName(value: string): void {
    armIdle();
    name.value = value.slice(0, 30);
  }

  async function submit(): Promise<void> {
    armIdle();
    const problem = idNumberProblem(id.value);
    if (problem) {
      shownProblem.value = problem;
      return;
    }
    busy.value = true;
    const trimmed = name.value.trim();
    const ok = await deps.submit(id.value, trimmed.length > 0 ? trimmed : undefined);
    busy.value = false;
    if (ok) close();
    else shownProblem.value = "rejected";
  }

  function open(): void {
    reset();
    armIdle();
  }

  function close(): void {
    if (idle !== null) timers.clearTimeout(idle);
    idle = null;
    reset();
    deps.close();
  }

  return {
    id: id as ReadonlySignal<string>,
    name: name as ReadonlySignal<string>,
    problem: shownProblem as ReadonlySignal<"length" | "check" | "rejected" | null>,
    busy: busy as ReadonlySignal<boolean>,
    complete,
    open,
    press,
    backspace,
    setName,
    submit,
    close,
  };
}

export type KeypadModel = ReturnType<typeof createKeypadModel>;
