/**
 * State and calls for the /sim page: drives the simulated devices through /api/sim/* and
 * watches the station over the same WebSocket the kiosk uses.
 */
import { signal } from "@preact/signals-core";
import type {
  DeviceName,
  DeviceStatusView,
  ServerMessage,
  UiAction,
  ViewState,
  VoiceView,
} from "../../../station/protocol.js";
import type { ConnectionState, StationClient } from "../client/station-client.js";

/** A roster villager as /api/sim/roster lists them: never the full ID number. */
export interface RosterPick {
  ref: string;
  maskedId: string;
  name: string;
  village: string;
  categories: string[];
  age: number;
}

export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface LogEntry {
  at: string;
  request: string;
  ok: boolean;
  detail: string;
}

export const BP_PROFILES = ["normal", "high", "urgent", "error", "implausible"] as const;
export const GLUCOSE_PROFILES = ["normal", "high", "low", "urgent-high", "error"] as const;
export const SIM_DEVICES = ["cardReader", "bp", "glucose", "printer", "peripherals"] as const;
export const CARD_FAULTS = ["expired", "invalid-id", "unreadable"] as const;

export function createSimModel(
  client: StationClient,
  fetchFn: FetchLike,
  now: () => Date = () => new Date(),
) {
  const view = signal<ViewState | null>(null);
  const devices = signal<Partial<Record<DeviceName, DeviceStatusView>>>({});
  const voice = signal<VoiceView | null>(null);
  const connection = signal<ConnectionState>("connecting");
  const roster = signal<RosterPick[]>([]);
  const query = signal("");
  const log = signal<LogEntry[]>([]);

  function record(request: string, ok: boolean, detail: string): void {
    log.value = [{ at: now().toISOString().slice(11, 19), request, ok, detail }, ...log.value].slice(0, 30);
  }

  async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const label = `${method} ${path}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`;
    try {
      const init: { method: string; headers?: Record<string, string>; body?: string } = { method };
      if (body !== undefined) {
        init.headers = { "content-type": "application/json" };
        init.body = JSON.stringify(body);
      }
      const res = await fetchFn(path, init);
      const json = await res.json().catch(() => null);
      const failed = !res.ok || (json as { status?: string } | null)?.status === "error";
      const detail = failed
        ? `${res.status} ${(json as { code?: string; error?: string } | null)?.error ?? ""}`.trim()
        : `${res.status}`;
      if (method === "POST" || failed) record(label, !failed, detail);
      return failed ? null : json;
    } catch (err) {
      record(label, false, err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  const offs = [
    client.onMessage((m: ServerMessage) => {
      if (m.topic === "workflow/state") view.value = m.payload;
      else if (m.topic === "devices/status") devices.value = m.payload;
      else if (m.topic === "voice") voice.value = m.payload;
    }),
    client.onConnection((s) => {
      connection.value = s;
    }),
  ];

  async function search(q: string): Promise<void> {
    query.value = q;
    const params = new URLSearchParams({ q, limit: "20" });
    const result = await call("GET", `/api/sim/roster?${params.toString()}`);
    if (Array.isArray(result)) roster.value = result as RosterPick[];
  }

  /** Polls the state once (the WebSocket keeps it live afterwards). */
  async function refreshState(): Promise<void> {
    const result = await call("GET", "/api/state");
    if (result && typeof result === "object" && "step" in result) {
      view.value = result as ViewState;
    }
  }

  return {
    view,
    devices,
    voice,
    connection,
    roster,
    query,
    log,
    search,
    refreshState,
    presentCard: (ref: string) => call("POST", "/api/sim/card", { ref }),
    cardFault: (fault: (typeof CARD_FAULTS)[number]) => call("POST", "/api/sim/card", { fault }),
    removeCard: () => call("POST", "/api/sim/card/remove", {}),
    bp: (profile: (typeof BP_PROFILES)[number]) => call("POST", "/api/sim/bp", { profile }),
    glucose: (profile: (typeof GLUCOSE_PROFILES)[number]) => call("POST", "/api/sim/glucose", { profile }),
    action: (action: UiAction) => call("POST", "/api/sim/action", action),
    plug: (name: (typeof SIM_DEVICES)[number], plugged: boolean) =>
      call("POST", "/api/sim/device", { name, plugged }),
    help: () => call("POST", "/api/sim/help", {}),
    dispose: () => {
      for (const off of offs) off();
    },
  };
}

export type SimModel = ReturnType<typeof createSimModel>;
