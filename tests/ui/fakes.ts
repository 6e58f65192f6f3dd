/** Test doubles for the UI models: a station client and a speaker that record what happens. */
import type { ServerMessage, UiAction, ViewState } from "../../station/protocol.js";
import type { ConnectionState, StationClient } from "../../ui/src/client/station-client.js";
import type { Lang } from "../../ui/src/i18n.js";
import type { Speaker } from "../../ui/src/models/station-model.js";

export class FakeClient implements StationClient {
  sent: UiAction[] = [];
  /** When set, send() rejects with an error carrying this code. */
  failWith: string | null = null;
  private messageListeners = new Set<(m: ServerMessage) => void>();
  private connectionListeners = new Set<(s: ConnectionState) => void>();
  start(): void {}
  stop(): void {}
  send(action: UiAction): Promise<void> {
    this.sent.push(action);
    if (this.failWith) return Promise.reject(Object.assign(new Error("refused"), { code: this.failWith }));
    return Promise.resolve();
  }
  onMessage(listener: (m: ServerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
  onConnection(listener: (s: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }
  emit(message: ServerMessage): void {
    for (const l of this.messageListeners) l(message);
  }
  setConnection(state: ConnectionState): void {
    for (const l of this.connectionListeners) l(state);
  }
  get listenerCount(): number {
    return this.messageListeners.size + this.connectionListeners.size;
  }
}

export class RecordingSpeaker implements Speaker {
  spoken: Array<{ text: string; lang: Lang }> = [];
  /** The key and values of each prompt, as the recorded voice receives them. */
  keys: Array<{ key: string | undefined; params: unknown }> = [];
  cancels = 0;
  speak(text: string, lang: Lang, opts?: { key?: string; params?: unknown }): void {
    this.spoken.push({ text, lang });
    this.keys.push({ key: opts?.key, params: opts?.params });
  }
  cancel(): void {
    this.cancels += 1;
  }
}

export const person = {
  name: "张*丰",
  maskedId: "110105********002X",
  sex: "male",
  age: 76,
  categories: ["age65", "hypertension"],
  onRoster: true,
  freeCheckup: true,
  doctor: { name: "李医生", phone: "13800000000" },
};

export const attract: ViewState = { step: "attract", notice: null };
export const identified: ViewState = { step: "identified", person, notice: null };
export const bpReady: ViewState = {
  step: "bp",
  person,
  phase: "ready",
  readings: [],
  repeat: false,
  restUntil: null,
  fault: null,
};
