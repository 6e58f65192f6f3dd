/**
 * The kiosk side of voice and help: the key shown on the root, "已通知医生" for both help
 * buttons, every touch counting while "还在吗？" is up, and the device-problem words the kiosk
 * shows matching the station's voice table.
 */
import { describe, expect, it } from "vitest";
import type { ViewState } from "../../station/protocol.js";
import { devicePrompt, promptFor } from "../../station/workflow/prompt.js";
import { t } from "../../ui/src/i18n.js";
import { createStationModel } from "../../ui/src/models/station-model.js";
import { shownVoice } from "../../ui/src/voice-key.js";
import { bpReady, FakeClient, identified, RecordingSpeaker } from "./fakes.js";

const T0 = Date.parse("2026-11-30T10:00:00+08:00");

function setup() {
  const client = new FakeClient();
  let now = T0;
  const model = createStationModel(client, { speaker: new RecordingSpeaker(), now: () => now });
  client.setConnection("open");
  return { client, model, advance: (ms: number) => (now += ms) };
}

const withPrompt = (v: ViewState): ViewState => ({ ...v, prompt: promptFor(v) });

describe("shown prompt key", () => {
  it("is the station's for its screens, and the kiosk's for help and a missing device", () => {
    const v = withPrompt(bpReady);
    expect(shownVoice(v, null, null, false)).toEqual({ key: "bp-ready", params: {} });
    expect(shownVoice(v, null, "bp", false)).toEqual({ key: "device-problem-bp", params: {} });
    expect(shownVoice(v, null, "bp", true)?.key).toBe("help-called");
    expect(shownVoice(withPrompt({ ...bpReady, idle: { until: "x" } }), null, "bp", false)?.key).toBe(
      "still-there",
    );
    expect(shownVoice(v, "keypad", null, false)).toBeNull();
  });

  it("device-problem: the kiosk shows the words the voice table speaks", () => {
    for (const device of ["cardReader", "bp", "glucose", "printer"] as const) {
      const spoken = devicePrompt(device).text;
      for (const lang of ["zh", "en"] as const)
        expect(t(lang, "deviceMissing", { device: t(lang, `dev${device}`) })).toBe(spoken[lang]);
    }
  });
});

describe("help on the kiosk", () => {
  it("shows 已通知医生 at once and sends help with the kiosk-only screen it came from", () => {
    const { client, model } = setup();
    client.emit({ topic: "workflow/state", payload: identified });
    model.callHelp("device-missing");
    expect(model.helpShownAt.value).toBe(T0);
    expect(client.sent).toEqual([{ type: "help", screen: "device-missing" }]);
    model.dismissHelp();
    expect(model.helpShownAt.value).toBeNull();
  });

  it("answers the physical button too, when the station announces help-called", () => {
    const { client, model } = setup();
    client.emit({
      topic: "voice",
      payload: {
        key: "help-called",
        text: { zh: "已通知医生", en: "called" },
        at: new Date(T0).toISOString(),
      },
    });
    expect(model.helpShownAt.value).toBe(T0);
    expect(model.spokenKey.value).toBe("help-called");
  });

  it("keeps the waiting help requests for the status strip", () => {
    const { client, model } = setup();
    const waiting = [{ id: "1", at: "x", step: "bp", screen: "bp:fault", source: "button" as const }];
    client.emit({ topic: "help/status", payload: { waiting } });
    expect(model.helpStatus.value?.waiting).toEqual(waiting);
  });
});

describe("touch while 还在吗？ is up", () => {
  it("every touch is sent, not one per interval", () => {
    const { client, model } = setup();
    client.emit({ topic: "workflow/state", payload: identified });
    model.touch();
    model.touch();
    expect(client.sent).toEqual([{ type: "touch" }]);
    client.emit({
      topic: "workflow/state",
      payload: { ...identified, idle: { until: "2026-11-30T02:00:15Z" } },
    });
    model.touch();
    expect(client.sent).toEqual([{ type: "touch" }, { type: "touch" }]);
  });
});
