/** The station model's side of the voice: which prompt is spoken, replay, stop, and mute reset. */
import { describe, expect, it } from "vitest";
import type { VoiceView } from "../../station/protocol.js";
import type { Lang } from "../../ui/src/i18n.js";
import { createStationModel, type SpokenPrompt } from "../../ui/src/models/station-model.js";
import { attract, bpReady, FakeClient, identified, RecordingSpeaker } from "./fakes.js";

class PromptSpeaker extends RecordingSpeaker {
  prompts: Array<SpokenPrompt | undefined> = [];
  override speak(text: string, lang: Lang, prompt?: SpokenPrompt): void {
    super.speak(text, lang);
    this.prompts.push(prompt);
  }
}

const T0 = Date.parse("2026-11-22T10:00:00+08:00");

function setup() {
  const client = new FakeClient();
  const speaker = new PromptSpeaker();
  const model = createStationModel(client, { speaker, now: () => T0 });
  return { client, speaker, model };
}

const voice = (key: string, extra: Partial<VoiceView> = {}): VoiceView => ({
  key,
  text: { zh: `中文-${key}`, en: `en-${key}` },
  at: new Date(T0).toISOString(),
  ...extra,
});

describe("StationModel voice", () => {
  it("passes the prompt's key and parameters to the speaker, so it can play the clips", () => {
    const { client, speaker } = setup();
    const params = { sys: { kind: "number", value: 186, unit: "mmHg" } } as const;
    client.emit({ topic: "voice", payload: voice("bp-value", { params }) });
    expect(speaker.prompts).toEqual([{ key: "bp-value", params }]);
  });

  it("再听一遍 speaks the current prompt again, even with sound off, and not after the screen changed", () => {
    const { client, speaker, model } = setup();
    client.emit({ topic: "workflow/state", payload: identified });
    client.emit({ topic: "voice", payload: voice("confirm-identity") });
    model.toggleMute();
    model.replay();
    expect(speaker.spoken).toEqual([
      { text: "中文-confirm-identity", lang: "zh" },
      { text: "中文-confirm-identity", lang: "zh" },
    ]);
    client.emit({ topic: "workflow/state", payload: bpReady });
    model.replay();
    expect(speaker.spoken).toHaveLength(2);
  });

  it("stops the prompt playing when the screen changes", () => {
    const { client, speaker } = setup();
    client.emit({ topic: "workflow/state", payload: identified });
    client.emit({ topic: "voice", payload: voice("confirm-identity") });
    const cancels = speaker.cancels;
    client.emit({ topic: "workflow/state", payload: identified });
    expect(speaker.cancels).toBe(cancels);
    client.emit({ topic: "workflow/state", payload: bpReady });
    expect(speaker.cancels).toBe(cancels + 1);
  });

  it("turns sound back on for the next person when the session returns to attract", () => {
    const { client, speaker, model } = setup();
    client.emit({ topic: "workflow/state", payload: bpReady });
    model.toggleMute();
    expect(model.muted.value).toBe(true);
    client.emit({ topic: "workflow/state", payload: attract });
    expect(model.muted.value).toBe(false);
    client.emit({ topic: "voice", payload: voice("goodbye") });
    expect(speaker.spoken).toEqual([{ text: "中文-goodbye", lang: "zh" }]);
  });
});
