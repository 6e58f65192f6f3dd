import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  parseServerMessage,
  type SocketEvent,
  type SocketLike,
  StationActionError,
  type Timers,
  WsStationClient,
} from "../../ui/src/client/station-client.js";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  private listeners = new Map<SocketEvent, Array<(ev: unknown) => void>>();
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
    this.fire("close", {});
  }
  addEventListener(type: SocketEvent, listener: (ev: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  fire(type: SocketEvent, ev: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l(ev);
  }
  open(): void {
    this.readyState = 1;
    this.fire("open", {});
  }
  receive(message: unknown): void {
    this.fire("message", { data: JSON.stringify(message) });
  }
  drop(): void {
    this.readyState = 3;
    this.fire("close", {});
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const scheduled: Array<{ ms: number; fn: () => void; cancelled: boolean }> = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const t = { ms, fn, cancelled: false };
      scheduled.push(t);
      return t;
    },
    clearTimeout: (h) => {
      (h as { cancelled: boolean }).cancelled = true;
    },
  };
  const client = new WsStationClient({
    url: "ws://station/ws",
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    timers,
    random: () => 0.5, // no jitter
    baseDelayMs: 500,
    maxDelayMs: 4000,
  });
  const states: string[] = [];
  const messages: unknown[] = [];
  client.onConnection((s) => states.push(s));
  client.onMessage((m) => messages.push(m));
  const retries = () => scheduled.filter((t) => !t.cancelled && t.ms !== 10_000);
  const runRetry = () => {
    const t = retries().at(-1);
    if (!t) throw new Error("no retry scheduled");
    t.cancelled = true;
    t.fn();
  };
  return { client, sockets, states, messages, scheduled, retries, runRetry };
}

describe("WsStationClient", () => {
  it("connects, forwards server messages and drops malformed ones", () => {
    const { client, sockets, states, messages } = setup();
    client.start();
    expect(sockets[0]?.url).toBe("ws://station/ws");
    sockets[0]!.open();
    sockets[0]!.receive({ topic: "workflow/state", payload: { step: "attract", notice: null } });
    sockets[0]!.fire("message", { data: "not json" });
    sockets[0]!.receive({ topic: "nonsense", payload: {} });
    sockets[0]!.receive({ topic: "voice" });
    expect(states).toEqual(["connecting", "open"]);
    expect(messages).toEqual([{ topic: "workflow/state", payload: { step: "attract", notice: null } }]);
  });

  it("resolves an action on its ack and rejects another on its error", async () => {
    const { client, sockets } = setup();
    client.start();
    sockets[0]!.open();
    const ok = client.send({ type: "confirm" });
    const bad = client.send({ type: "next" });
    const [first, second] = sockets[0]!.sent.map((s) => JSON.parse(s));
    expect(first).toMatchObject({ topic: "action", payload: { type: "confirm" } });
    expect(first.transaction).not.toBe(second.transaction);
    sockets[0]!.receive({
      topic: "error",
      payload: { status: "error", code: "bad-message", error: "no", transaction: second.transaction },
    });
    sockets[0]!.receive({ topic: "ack", payload: { transaction: first.transaction } });
    await expect(ok).resolves.toBeUndefined();
    await expect(bad).rejects.toMatchObject({ code: "bad-message" });
  });

  it("rejects at once when not connected, and after the ack timeout otherwise", async () => {
    const { client, sockets, scheduled } = setup();
    await expect(client.send({ type: "touch" })).rejects.toBeInstanceOf(StationActionError);
    client.start();
    sockets[0]!.open();
    const p = client.send({ type: "touch" });
    const timeout = scheduled.find((t) => t.ms === 10_000)!;
    timeout.fn();
    await expect(p).rejects.toMatchObject({ code: "timeout" });
  });

  it("reconnects with doubling, capped backoff and resets it after a successful open", async () => {
    const { client, sockets, states, retries, runRetry } = setup();
    client.start();
    sockets[0]!.open();
    const pending = client.send({ type: "confirm" });
    sockets[0]!.drop();
    await expect(pending).rejects.toMatchObject({ code: "disconnected" });
    const delays: number[] = [];
    for (let i = 1; i <= 5; i++) {
      delays.push(retries().at(-1)!.ms);
      runRetry();
      sockets[i]!.drop();
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(states.slice(0, 4)).toEqual(["connecting", "open", "closed", "connecting"]);
    runRetry();
    sockets[6]!.open();
    sockets[6]!.drop();
    expect(retries().at(-1)!.ms).toBe(500);
  });

  it("stops for good: no retry after stop", () => {
    const { client, sockets, retries } = setup();
    client.start();
    sockets[0]!.open();
    client.stop();
    expect(sockets[0]!.closed).toBe(true);
    expect(retries()).toEqual([]);
  });
});

describe("helpers", () => {
  it("jitters backoff by ±20 % around the capped value", () => {
    expect(backoffDelay(0, 500, 10_000, () => 0)).toBe(400);
    expect(backoffDelay(0, 500, 10_000, () => 1)).toBe(600);
    expect(backoffDelay(10, 500, 10_000, () => 0.5)).toBe(10_000);
  });

  it("accepts only known topics with an object payload", () => {
    expect(parseServerMessage('{"topic":"ack","payload":{"transaction":"a"}}')).toEqual({
      topic: "ack",
      payload: { transaction: "a" },
    });
    expect(parseServerMessage('{"topic":"ack","payload":null}')).toBeNull();
    expect(parseServerMessage("[]")).toBeNull();
    expect(parseServerMessage(42)).toBeNull();
  });
});
