/**
 * Pending responses. A waiter is registered before the command is written so a fast device
 * cannot answer into the void; each has a timeout whose message names the command.
 */
import { StationError } from "../../station/util/errors.js";

interface Waiter<F> {
  command: string;
  match: (frame: F) => boolean;
  resolve: (frame: F) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class Waiters<F> {
  readonly #pending = new Set<Waiter<F>>();

  add(
    command: string,
    match: (frame: F) => boolean,
    timeoutMs: number,
  ): { promise: Promise<F>; cancel(): void } {
    let waiter!: Waiter<F>;
    const promise = new Promise<F>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(waiter);
        reject(new StationError("timeout", `${command}: no response within ${timeoutMs} ms`, { command }));
      }, timeoutMs);
      waiter = { command, match, resolve, reject, timer };
    });
    this.#pending.add(waiter);
    const cancel = () => {
      clearTimeout(waiter.timer);
      this.#pending.delete(waiter);
    };
    return { promise, cancel };
  }

  /** Hands the frame to the oldest matching waiter; false when nobody was waiting for it. */
  resolve(frame: F): boolean {
    for (const w of this.#pending) {
      if (!w.match(frame)) continue;
      clearTimeout(w.timer);
      this.#pending.delete(w);
      w.resolve(frame);
      return true;
    }
    return false;
  }

  rejectAll(code: string, reason: string): void {
    for (const w of this.#pending) {
      clearTimeout(w.timer);
      w.reject(new StationError(code, `${w.command}: ${reason}`, { command: w.command }));
    }
    this.#pending.clear();
  }

  get size(): number {
    return this.#pending.size;
  }
}
