/**
 * A day of check-ups driven the way the kiosk and the simulator page drive them: card taps and
 * device readings through the sim API, screen taps as the UI actions and doctor routes the
 * kiosk sends. Shared by taps-per-villager.bench.ts (station in-process) and
 * station-memory.bench.ts (the compiled station as its own process, state read over /ws).
 * One in five first readings is high, so that check-up repeats the BP reading and averages.
 */
import WebSocket from "ws";
import { pagePost, post } from "../../doctor/harness.js";

type View = { step: string; phase?: string; readings?: unknown[] } | undefined;

export interface DayStation {
  url: string;
  port: number;
  /** The kiosk's current screen state (hub topic `workflow/state`). */
  view(): View;
}

export interface DayResult {
  taps: number;
  saved: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The station's `workflow/state` as the kiosk page sees it, over its own WebSocket. */
export async function watchState(url: string): Promise<{ view(): View; close(): void }> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws`, { origin: `http://${u.host}` });
  let latest: View;
  ws.on("message", (data) => {
    const m = JSON.parse(data.toString()) as { topic?: string; payload?: View };
    if (m.topic === "workflow/state") latest = m.payload;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { view: () => latest, close: () => ws.close() };
}

/** The simulator's roster refs (it lists refs, never full ID numbers: docs/sim-api.md). */
export async function simRoster(url: string, limit = 200): Promise<string[]> {
  const r = (await (await fetch(`${url}/api/sim/roster?q=&limit=${limit}`)).json()) as Array<{ ref: string }>;
  return r.map((p) => p.ref);
}

export async function runDay(
  st: DayStation,
  o: {
    kind: "self" | "assisted";
    /** Roster refs, one villager each. */
    refs: string[];
    /** Doctor session cookie; required for an assisted day. */
    cookie?: string;
    /** Per wait; a loaded machine with real pseudo-terminals needs more than the in-process mock. */
    waitMs?: number;
  },
): Promise<DayResult> {
  const waitMs = o.waitMs ?? 5_000;
  const phase = () => st.view()?.phase;
  async function until(what: string, ok: () => boolean): Promise<void> {
    const deadline = performance.now() + waitMs;
    while (performance.now() < deadline) {
      if (ok()) return;
      await sleep(10);
    }
    throw new Error(`timed out waiting for ${what} (at ${JSON.stringify(st.view())})`);
  }
  const sim = (path: string, body: unknown) =>
    pagePost(st.url, `/api/sim/${path}`, body).then((r) => {
      if (!r.ok) throw new Error(`sim ${path} ${r.status}`);
    });
  let taps = 0;
  async function uiTap(payload: unknown): Promise<void> {
    taps++;
    const r = await pagePost(st.url, "/api/action", payload);
    if (!r.ok) throw new Error(`action ${JSON.stringify(payload)}: ${await r.text()}`);
  }
  async function doctorTap(route: string, body: unknown = {}): Promise<void> {
    taps++;
    const r = await post(st.port, `/api/doctor/${route}`, body, { cookie: o.cookie ?? null });
    if (r.status !== 200) throw new Error(`${route}: ${JSON.stringify(r.body)}`);
  }
  const step = () => st.view()?.step;
  async function measureBp(i: number): Promise<void> {
    const high = i % 5 === 0;
    await until("bp ready", () => step() === "bp" && phase() === "ready");
    await sim("bp", { profile: high ? "high" : "normal" });
    if (high) {
      await until(
        "repeat",
        () => step() === "bp" && phase() === "ready" && (st.view()?.readings?.length ?? 0) === 1,
      );
      await sim("bp", { profile: "normal" });
    }
  }

  let saved = 0;
  const t0 = performance.now();
  for (const [i, ref] of o.refs.entries()) {
    await sim("card", { ref });
    await until("identified", () => step() === "identified");
    if (o.kind === "self") {
      await uiTap({ type: "confirm" });
      await uiTap({ type: "consent", accept: true });
      await measureBp(i);
      await until("bp done", () => step() === "bp" && phase() === "done");
      await uiTap({ type: "next" });
      await until("sample type", () => step() === "glucose");
      await uiTap({ type: "sample-type", sampleType: "fasting" });
    } else {
      await doctorTap("consent");
      await measureBp(i);
    }
    await until("glucose waiting", () => step() === "glucose" && phase() === "waiting");
    await sim("glucose", { profile: "normal", mmolL: 5.4 });
    await until("result", () => step() === "result");
    await sim("card/remove", {});
    saved++;
  }
  return { taps, saved, ms: performance.now() - t0 };
}
