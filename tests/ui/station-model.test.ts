import { describe, expect, it } from "vitest";
import type { ViewState, VoiceView } from "../../station/protocol.js";
import { createStationModel, TOUCH_INTERVAL_MS, VOICE_FRESH_MS } from "../../ui/src/models/station-model.js";
import { attract, bpReady, FakeClient, identified, RecordingSpeaker } from "./fakes.js";

const T0 = Date.parse("2025-11-22T10:00:00+08:00");

function setup() {
  const client = new FakeClient();
  const speaker = new RecordingSpeaker();
  let now = T0;
  const model = createStationModel(client, { speaker, now: () => now });
  return { client, speaker, model, advance: (ms: number) => (now += ms) };
}

const voice = (key: string, atMs: number): VoiceView => ({
  key,
  text: { zh: `中文-${key}`, en: `en-${key}` },
  at: new Date(atMs).toISOString(),
});

describe("StationModel", () => {
  it("takes state, devices, info and connection from the client", () => {
    const { client, model } = setup();
    expect(model.view.value).toBeNull();
    expect(model.connection.value).toBe("connecting");
    client.setConnection("open");
    client.emit({ topic: "workflow/state", payload: identified });
    client.emit({
      topic: "devices/status",
      payload: {
        cardReader: { state: "connected", since: "x" },
        bp: { state: "disconnected", since: "x" },
        glucose: { state: "connected", since: "x" },
        printer: { state: "error", code: "paper-out", since: "x" },
        peripherals: { state: "connected", since: "x" },
      },
    });
    client.emit({
      topic: "station/info",
      payload: {
        stationId: "s1",
        clinicName: "示范村卫生室",
        doctor: { name: "王医生", phone: "1" },
        version: "0.1.0",
        simulated: true,
      },
    });
    expect(model.connection.value).toBe("open");
    expect(model.step.value).toBe("identified");
    expect(model.devices.value.bp?.state).toBe("disconnected");
    expect(model.info.value?.simulated).toBe(true);
  });

  it("a page the kiosk turns by itself speaks its own key and values, and replay repeats them", () => {
    const { speaker, model } = setup();
    const params = { sys: { kind: "number" as const, value: 142 } };
    model.sayLocal("health-card-bp-worse", { zh: "", en: "" }, params);
    expect(model.spokenKey.value).toBe("health-card-bp-worse");
    expect(speaker.keys.at(-1)).toEqual({ key: "health-card-bp-worse", params });
    model.replay();
    expect(speaker.keys.at(-1)).toEqual({ key: "health-card-bp-worse", params });
  });

  it("speaks a fresh voice prompt once, in the current language, and shows it", () => {
    const { client, speaker, model } = setup();
    const v = voice("welcome", T0 - 1000);
    client.emit({ topic: "voice", payload: v });
    client.emit({ topic: "voice", payload: v });
    expect(speaker.spoken).toEqual([{ text: "中文-welcome", lang: "zh" }]);
    expect(model.prompt.value?.zh).toBe("中文-welcome");
  });

  it("shows but does not speak a stale prompt", () => {
    const { client, speaker, model } = setup();
    client.emit({ topic: "voice", payload: voice("consent", T0 - VOICE_FRESH_MS - 1) });
    expect(speaker.spoken).toEqual([]);
    expect(model.prompt.value?.en).toBe("en-consent");
  });

  it("stays quiet when muted and re-speaks in the new language on toggle", () => {
    const { client, speaker, model } = setup();
    model.toggleMute();
    expect(model.muted.value).toBe(true);
    client.emit({ topic: "voice", payload: voice("bp-ready", T0) });
    expect(speaker.spoken).toEqual([]);
    model.toggleMute();
    model.toggleLang();
    expect(model.lang.value).toBe("en");
    expect(speaker.spoken).toEqual([{ text: "en-bp-ready", lang: "en" }]);
  });

  it("forgets the previous person's prompt, error and language when back at attract", async () => {
    const { client, model } = setup();
    client.emit({ topic: "workflow/state", payload: bpReady });
    client.emit({ topic: "voice", payload: voice("bp-ready", T0) });
    model.toggleLang();
    client.failWith = "bad-message";
    await model.send({ type: "next" });
    expect(model.actionError.value).toEqual({ code: "bad-message" });
    client.emit({ topic: "workflow/state", payload: attract });
    expect(model.prompt.value).toBeNull();
    expect(model.actionError.value).toBeNull();
    expect(model.lang.value).toBe("zh");
  });

  it("reports a refused action and clears the report on the next success", async () => {
    const { client, model } = setup();
    client.failWith = "invalid-state";
    expect(await model.send({ type: "confirm" })).toBe(false);
    expect(model.actionError.value?.code).toBe("invalid-state");
    client.failWith = null;
    expect(await model.send({ type: "confirm" })).toBe(true);
    expect(model.actionError.value).toBeNull();
  });

  it("sends touch at most once per interval, and only while connected", () => {
    const { client, model, advance } = setup();
    model.touch();
    expect(client.sent).toEqual([]);
    client.setConnection("open");
    model.touch();
    advance(TOUCH_INTERVAL_MS - 1);
    model.touch();
    expect(client.sent).toEqual([{ type: "touch" }]);
    advance(1);
    model.touch();
    expect(client.sent).toEqual([{ type: "touch" }, { type: "touch" }]);
  });

  it("opens the keypad only on attract and closes it when a person is identified", () => {
    const { client, model } = setup();
    client.emit({ topic: "workflow/state", payload: bpReady });
    model.openKeypad();
    expect(model.local.value).toBeNull();
    client.emit({ topic: "workflow/state", payload: attract });
    model.openKeypad();
    expect(model.local.value).toBe("keypad");
    client.emit({ topic: "workflow/state", payload: identified });
    expect(model.local.value).toBeNull();
  });

  it("unsubscribes from the client on dispose", () => {
    const { client, model } = setup();
    expect(client.listenerCount).toBe(2);
    model.dispose();
    expect(client.listenerCount).toBe(0);
  });
});

describe("prompt follows the screen", () => {
  it("drops the previous screen's prompt when the step or phase changes, not on a re-send", () => {
    const { client, model } = setup();
    client.emit({ topic: "workflow/state", payload: bpReady });
    client.emit({ topic: "voice", payload: voice("bp-ready", T0) });
    client.emit({ topic: "workflow/state", payload: { ...bpReady } });
    expect(model.prompt.value?.zh).toBe("中文-bp-ready");
    client.emit({ topic: "workflow/state", payload: { ...bpReady, phase: "done" } as ViewState });
    expect(model.prompt.value).toBeNull();
  });
});
