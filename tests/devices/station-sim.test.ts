/**
 * The station's simulated mode end to end over real pseudo-terminals: the real serialport stack,
 * GA/T 467 card frames, ESC/POS bytes, Bluetooth 0x2A35/0x2A18 values and johnny-five IO, driven
 * through the app as /api/sim would. Needs socat (scripts/install-test-deps.sh).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { socatAvailable } from "../../drivers/serial/pty.js";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import type { ViewState } from "../../station/protocol.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";

const ROOT = projectRoot();
let app: StationApp;
let url: string;

const JSON_TYPE = { "content-type": "application/json" };
const state = async () => (await (await fetch(`${url}/api/state`)).json()) as ViewState;
const act = (payload: unknown) =>
  fetch(`${url}/api/action`, { method: "POST", headers: JSON_TYPE, body: JSON.stringify(payload) });
const sim = (path: string, payload: unknown) =>
  fetch(`${url}/api/sim/${path}`, { method: "POST", headers: JSON_TYPE, body: JSON.stringify(payload) });
const until = (fn: () => Promise<void>) => vi.waitFor(fn, { timeout: 8000, interval: 50 });

describe("simulated devices over socat pseudo-terminals", () => {
  beforeAll(async () => {
    if (!socatAvailable()) throw new Error("socat is missing: run scripts/install-test-deps.sh");
    const dir = mkdtempSync(join(tmpdir(), "station-sim-"));
    const cfg = join(dir, "station.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        version: 1,
        server: { port: 0 },
        dataDir: join(dir, "data"),
        devices: { simTransport: "pty" },
        workflow: { bpRepeatPauseSeconds: 0 },
      }),
    );
    app = new StationApp({ loaded: loadConfig(cfg), logger: silentLogger, projectRoot: ROOT });
    ({ url } = await app.start());
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("reads a card, measures, saves, and prints a slip through the real drivers", async () => {
    const health = (await (await fetch(`${url}/api/health`)).json()) as {
      devices: Record<string, { state: string }>;
    };
    expect(Object.values(health.devices).map((d) => d.state)).toEqual(Array(5).fill("connected"));

    const roster = (await (await fetch(`${url}/api/sim/roster?limit=1`)).json()) as Array<{ ref: string }>;
    await sim("card", { ref: roster[0]!.ref });
    await until(async () => expect((await state()).step).toBe("identified"));
    await act({ type: "confirm" });
    await act({ type: "consent", accept: true });

    // A loose cuff reports numbers flagged in its status word: not kept, the villager retries.
    await sim("bp", { profile: "error" });
    await until(async () =>
      expect(await state()).toMatchObject({ step: "bp", phase: "fault", fault: { code: "cuff-loose" } }),
    );
    await act({ type: "retry" });
    await sim("bp", { profile: "normal" });
    await until(async () => expect(await state()).toMatchObject({ step: "bp", phase: "done" }));
    await act({ type: "next" });
    await act({ type: "sample-type", sampleType: "fasting" });
    await sim("glucose", { profile: "high" });
    await until(async () => expect(await state()).toMatchObject({ step: "result", print: "printed" }));
    const s = await state();
    if (s.step !== "result") throw new Error("unreachable");
    expect(s.result.bp).toMatchObject({ systolic: 118, diastolic: 76 });
    expect(s.result.glucose).toMatchObject({ mmolL: 8.2, sampleType: "fasting" });

    const record = await app.store!.get(s.result.recordId);
    expect(record?.readings.map((r) => r.kind)).toEqual(["bp", "glucose"]);
    expect(record?.readings[0]?.device?.model).toBe("simulated BLE BPM");
  });

  it("an unreadable card and an expired card each get their own notice", async () => {
    await act({ type: "finish" });
    await sim("card", { fault: "unreadable" });
    await until(async () =>
      expect(await state()).toMatchObject({ step: "attract", notice: { code: "read-failed" } }),
    );
    await sim("card", { fault: "expired" });
    await until(async () =>
      expect(await state()).toMatchObject({ step: "attract", notice: { code: "card-expired" } }),
    );
  });

  it("an unplugged card reader shows disconnected within 2 s and comes back by itself", async () => {
    const status = async () =>
      ((await (await fetch(`${url}/api/health`)).json()) as { devices: { cardReader: { state: string } } })
        .devices.cardReader.state;
    const t0 = Date.now();
    await sim("device", { name: "cardReader", plugged: false });
    await vi.waitFor(async () => expect(await status()).toBe("disconnected"), {
      timeout: 2000,
      interval: 50,
    });
    const detectedMs = Date.now() - t0;
    expect(detectedMs).toBeLessThan(2000);
    await sim("device", { name: "cardReader", plugged: true });
    await until(async () => expect(await status()).toBe("connected"));
    // Reads work again without a restart.
    const roster = (await (await fetch(`${url}/api/sim/roster?limit=2`)).json()) as Array<{ ref: string }>;
    await sim("card", { ref: roster[1]!.ref });
    await until(async () => expect((await state()).step).toBe("identified"));
  });
});
