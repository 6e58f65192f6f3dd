/**
 * Topic hub between the station and its screens. Retained topics keep their last payload so a
 * screen that (re)connects redraws at once; events (voice, errors) are delivered live only.
 */
import type { ServerMessage, TopicMap } from "../protocol.js";

const RETAINED = new Set<keyof TopicMap>([
  "workflow/state",
  "devices/status",
  "station/info",
  "upload/status",
  "doctor/session",
  "help/status",
]);

export class Hub {
  readonly #retained = new Map<keyof TopicMap, ServerMessage>();
  readonly #subs = new Set<(m: ServerMessage) => void>();

  publish<K extends keyof TopicMap>(topic: K, payload: TopicMap[K]): void {
    const msg = { topic, payload } as ServerMessage;
    if (RETAINED.has(topic)) this.#retained.set(topic, msg);
    for (const s of this.#subs) s(msg);
  }

  get<K extends keyof TopicMap>(topic: K): TopicMap[K] | undefined {
    return this.#retained.get(topic)?.payload as TopicMap[K] | undefined;
  }

  /** Subscribes and replays every retained topic first. Returns the unsubscribe function. */
  subscribe(fn: (m: ServerMessage) => void): () => void {
    for (const m of this.#retained.values()) fn(m);
    this.#subs.add(fn);
    return () => this.#subs.delete(fn);
  }
}
