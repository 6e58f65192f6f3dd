/** A tiny FIFO mutex: serial devices answer one command at a time. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    // The next caller waits for this one to settle either way.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
