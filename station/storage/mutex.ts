/** Serialises async critical sections per key (one file, one record id), in call order. */
export class KeyedMutex {
  #tails = new Map<string, Promise<void>>();

  run<R>(key: string, fn: () => Promise<R>): Promise<R> {
    return this.runAll([key], fn);
  }

  /**
   * Holds every key at once. All keys are queued in the same synchronous step, so sections stay in
   * call order per key, and two callers can never each hold a key the other waits for (no deadlock).
   */
  async runAll<R>(keys: readonly string[], fn: () => Promise<R>): Promise<R> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held: [string, Promise<void>][] = [];
    const before: Promise<void>[] = [];
    for (const key of new Set(keys)) {
      const prev = this.#tails.get(key) ?? Promise.resolve();
      const tail = prev.then(() => mine);
      this.#tails.set(key, tail);
      held.push([key, tail]);
      before.push(prev);
    }
    await Promise.all(before);
    try {
      return await fn();
    } finally {
      release();
      // Drop an entry once nobody queued behind us, so the map does not grow with every key ever used.
      for (const [key, tail] of held) if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Resolves once every section queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.#tails.values()]);
  }
}
