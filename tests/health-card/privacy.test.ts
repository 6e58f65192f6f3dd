/**
 * Privacy through the real server: the whole station in-process (simulated devices, the demo
 * roster and its seeded history), driven over the kiosk's WebSocket as a screen would.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import { DEMO_HISTORY_IDS } from "../../station/health-card/demo-history.js";
import type { ViewState } from "../../station/protocol.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";

let app: StationApp;
let url: string;
let ws: WebSocket;
const messages: Array<{ topic: string; payload: Record<string, unknown> }> = [];
let lastState: ViewState | null = null;
const until = (fn: () => void | Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 50 });
const sim = (path: string, payload: unknown) =>
  fetch(`${url}/api/sim/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });

let n = 0;
/** Sends an action over the WebSocket; resolves with "ack" or the error envelope. */
function send(payload: unknown): Promise<{ topic: string; payload: Record<string, unknown> }> {
  const transaction = `t${++n}`;
  ws.send(JSON.stringify({ topic: "action", payload, transaction }));
  return vi.waitFor(
    () => {
      const m = messages.find((x) => x.payload.transaction === transaction);
      if (!m) throw new Error("no answer yet");
      return m;
    },
    { timeout: 8000, interval: 20 },
  );
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "hc-privacy-"));
  const cfg = join(dir, "station.json");
  writeFileSync(
    cfg,
    JSON.stringify({
      version: 1,
      server: { port: 0 },
      dataDir: join(dir, "data"),
      // No upload, but the broker setting stays "embedded" (the default): the demo shape, so the
      // demo history is seeded.
      upload: { enabled: false },
    }),
  );
  // path null: the station as `npm start` runs it with no config file, so the demo history is
  // seeded (station/app.ts); the file only moves the port and data folder for the test.
  app = new StationApp({
    loaded: { ...loadConfig(cfg), path: null },
    logger: silentLogger,
    projectRoot: projectRoot(),
  });
  ({ url } = await app.start());
  ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
  ws.on("message", (d) => {
    const m = JSON.parse(d.toString());
    messages.push(m);
    if (m.topic === "workflow/state") lastState = m.payload;
  });
  await new Promise((r) => ws.once("open", r));
});
afterAll(async () => {
  ws?.close();
  await app?.stop();
});

describe("health card privacy over the WebSocket", () => {
  it("manual ID entry cannot open a health card, even by sending the action directly", async () => {
    // Typing an ID is a signed-in doctor's act (station/doctor); on the kiosk path it is refused.
    expect(await send({ type: "manual-id", idNumber: DEMO_HISTORY_IDS[0] })).toMatchObject({
      topic: "error",
      payload: { code: "doctor-required" },
    });
    expect(app.runtime?.model.step).toBe("attract");
    const r = await send({ type: "health-card" });
    expect(r).toMatchObject({ topic: "error" });
    expect(app.runtime?.model.step).toBe("attract");
  });

  it("the villager's own card opens it with the seeded history; lifting the card closes it and clears it", async () => {
    await sim("card", { idNumber: DEMO_HISTORY_IDS[0] });
    await until(() => expect(lastState?.step).toBe("identified"));
    expect(await send({ type: "health-card" })).toMatchObject({ topic: "ack" });
    await until(() => {
      expect(lastState?.step).toBe("health-card");
      expect(lastState?.step === "health-card" && lastState.card).toBeTruthy();
    });
    const shown = lastState as Extract<ViewState, { step: "health-card" }>;
    expect(shown.card!.visitCount).toBeGreaterThan(10);
    expect(shown.card!.series.years.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(shown)).not.toContain(DEMO_HISTORY_IDS[0]);
    expect(shown.card!.person.name).toContain("*");

    // The health-card slip goes through the real ESC/POS driver to the simulated printer.
    expect(await send({ type: "health-card-print" })).toMatchObject({ topic: "ack" });
    await until(() => expect(lastState).toMatchObject({ step: "health-card", print: "printed" }));

    await sim("card/remove", {});
    await until(() => expect(lastState?.step).toBe("attract"));
    const sent = JSON.stringify(lastState);
    for (const secret of ["diabetes", "subsistence", "杨", "赵医生", "mmolL"])
      expect(sent).not.toContain(secret);
  });

  it("a card lifted before choosing cannot open it", async () => {
    await sim("card", { idNumber: DEMO_HISTORY_IDS[1] });
    await until(() => expect(lastState?.step).toBe("identified"));
    await sim("card/remove", {});
    await until(() =>
      expect(app.runtime?.model.step === "identified" && app.runtime.model.session.cardOnReader).toBe(false),
    );
    expect(await send({ type: "health-card" })).toMatchObject({
      topic: "error",
      payload: { code: "health-card-needs-card" },
    });
  });
});
