import { EventEmitter } from "node:events";

/** A typed EventEmitter: event names and argument tuples come from one map. */
// biome-ignore lint/suspicious/noExplicitAny: the constraint must accept any tuple
export type EventMap = Record<string, any[]>;

export class TypedEmitter<E extends EventMap> {
  readonly #ee = new EventEmitter();
  constructor() {
    // Listeners are long-lived per device; silence the leak warning for our own wiring only.
    this.#ee.setMaxListeners(50);
  }
  on<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.on(event, fn as (...a: unknown[]) => void);
    return this;
  }
  once<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.once(event, fn as (...a: unknown[]) => void);
    return this;
  }
  off<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.off(event, fn as (...a: unknown[]) => void);
    return this;
  }
  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return this.#ee.emit(event, ...args);
  }
  listenerCount<K extends keyof E & string>(event: K): number {
    return this.#ee.listenerCount(event);
  }
}
