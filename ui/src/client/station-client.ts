/**
 * The kiosk's link to the station: one WebSocket carrying `{topic, payload}` messages
 * (station/protocol.ts). It reconnects with capped, jittered backoff; the server replays every
 * topic on connect, so nothing needs to be re-requested here. Actions carry a transaction id
 * and resolve on the matching `ack` or reject on the matching `error`.
 */
import type { ServerMessage, UiAction } from "../../../station/protocol.js";

export type ConnectionState = "connecting" | "open" | "closed";

/** What the models need from a station link; tests pass a fake. */
export interface StationClient {
  start(): void;
  stop(): void;
  send(action: UiAction): Promise<void>;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

export type SocketEvent = "open" | "close" | "error" | "message";

/** The part of the browser WebSocket this client uses (a real WebSocket fits as is). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: SocketEvent, listener: (ev: unknown) => void): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WsClientOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  timers?: Timers;
  random?: () => number;
  /** First retry delay; doubles per failed attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long an action waits for its ack before it is reported as failed. */
  ackTimeoutMs?: number;
}

export class StationActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "StationActionError";
  }
}

const OPEN = 1;
const TOPICS = new Set([
  "workflow/state",
  "devices/status",
  "station/info",
  "upload/status",
  "doctor/session",
  "help/status",
  "disk/status",
  "voice",
  "ack",
  "error",
]);

/** Shape check only (no zod in the bundle): a known topic with a payload object. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { topic, payload } = value as { topic?: unknown; payload?: unknown };
  if (typeof topic !== "string" || !TOPICS.has(topic)) return null;
  if (typeof payload !== "object" || payload === null) return null;
  return value as ServerMessage;
}

/** Backoff for attempt n (0-based): base·2ⁿ capped, then ±20 % jitter so kiosks don't stampede. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(raw * (0.8 + 0.4 * random()));
}

interface Pending {
  resolve(): void;
  reject(err: Error): void;
  timer: unknown;
}

export class WsStationClient implements StationClient {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private running = false;
  private seq = 0;
  private readonly prefix = Date.now().toString(36);
  private readonly pending = new Map<string, Pending>();
  private readonly messageListeners = new Set<(m: ServerMessage) => void>();
  private readonly connectionListeners = new Set<(s: ConnectionState) => void>();
  private readonly timers: Timers;
  private readonly random: () => number;

  constructor(private readonly options: WsClientOptions) {
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
    };
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    // The close listener ignores sockets that are no longer current, so no retry follows.
    socket?.close();
    this.failPending("disconnected");
    this.emitConnection("closed");
  }

  send(action: UiAction): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new StationActionError("disconnected", "not connected to the station"));
    }
    this.seq += 1;
    const transaction = `${this.prefix}-${this.seq}`;
    return new Promise<void>((resolve, reject) => {
      // Register the waiter before writing, so a fast ack cannot be missed.
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(transaction);
        reject(new StationActionError("timeout", `no answer to action "${action.type}"`));
      }, this.options.ackTimeoutMs ?? 10_000);
      this.pending.set(transaction, { resolve, reject, timer });
      socket.send(JSON.stringify({ topic: "action", payload: action, transaction }));
    });
  }

  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private connect(): void {
    this.retryTimer = null;
    this.emitConnection("connecting");
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.emitConnection("open");
    });
    socket.addEventListener("message", (ev) => {
      if (this.socket === socket) this.handle((ev as { data?: unknown }).data);
    });
    // "error" is always followed by "close"; retrying happens there.
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending("disconnected");
      this.emitConnection("closed");
      if (this.running) this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(
      this.attempt,
      this.options.baseDelayMs ?? 500,
      this.options.maxDelayMs ?? 10_000,
      this.random,
    );
    this.attempt += 1;
    this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
  }

  private handle(data: unknown): void {
    const message = parseServerMessage(data);
    if (!message) return;
    if (message.topic === "ack") this.settle(message.payload.transaction, null);
    if (message.topic === "error" && message.payload.transaction) {
      this.settle(
        message.payload.transaction,
        new StationActionError(message.payload.code, message.payload.error),
      );
    }
    for (const listener of this.messageListeners) listener(message);
  }

  private settle(transaction: string, error: Error | null): void {
    const pending = this.pending.get(transaction);
    if (!pending) return;
    this.pending.delete(transaction);
    this.timers.clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private failPending(code: string): void {
    for (const [transaction, pending] of this.pending) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(new StationActionError(code, "connection to the station was lost"));
      this.pending.delete(transaction);
    }
  }

  private emitConnection(state: ConnectionState): void {
    for (const listener of this.connectionListeners) listener(state);
  }
}

/** ws(s)://<host>/ws for the page's own origin. */
export function stationSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
}
