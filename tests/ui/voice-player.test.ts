/** The clip player: queues a prompt's clips in order, never overlaps, falls back only when it must. */
import { describe, expect, it } from "vitest";
import type { VoiceManifest } from "../../ui/src/voice/compose.js";
import { type ClipAudio, createClipSpeaker } from "../../ui/src/voice/player.js";
import { RecordingSpeaker } from "./fakes.js";

class FakeAudio implements ClipAudio {
  private listeners = new Map<string, () => void>();
  state: "idle" | "playing" | "paused" | "ended" = "idle";
  constructor(
    public src: string,
    private readonly log: FakeAudio[],
    private readonly failing: boolean,
  ) {}
  play(): Promise<void> {
    this.state = "playing";
    this.log.push(this);
    return this.failing ? Promise.reject(new Error("NotAllowedError")) : Promise.resolve();
  }
  pause(): void {
    if (this.state === "playing") this.state = "paused";
  }
  removeAttribute(): void {}
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, listener);
  }
  end(): void {
    this.state = "ended";
    this.listeners.get("ended")?.();
  }
}

const clip = (file: string) => ({ file, text: "", ms: 1, bytes: 1, hash: "" });
const MANIFEST: VoiceManifest = {
  format: 1,
  engine: { zh: "", en: "" },
  prompts: {
    welcome: { zh: ["zh/p-welcome"], en: ["en/p-welcome"] },
    "bp-value": { zh: ["zh/p-bp-value-1", { param: "sys" }], en: [] },
  },
  clips: {
    "zh/p-welcome": clip("zh/p-welcome.opus"),
    "en/p-welcome": clip("en/p-welcome.opus"),
    "zh/p-bp-value-1": clip("zh/p-bp-value-1.opus"),
    "zh/n-100": clip("zh/n-100.opus"),
    "zh/n-86": clip("zh/n-86.opus"),
  },
};

function setup(opts: { failing?: boolean; manifest?: VoiceManifest | null } = {}) {
  const played: FakeAudio[] = [];
  const fallback = new RecordingSpeaker();
  const speaker = createClipSpeaker({
    fallback,
    base: "/voice/",
    loadManifest: async () => (opts.manifest === undefined ? MANIFEST : opts.manifest),
    createAudio: (src) => new FakeAudio(src, played, opts.failing ?? false),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { played, fallback, speaker, settle };
}

describe("clip player", () => {
  it("plays a prompt's clips one after another, composing the number", async () => {
    const { played, fallback, speaker, settle } = setup();
    speaker.speak("高压186", "zh", { key: "bp-value", params: { sys: { kind: "number", value: 186 } } });
    await settle();
    expect(played.map((a) => a.src)).toEqual(["/voice/zh/p-bp-value-1.opus"]);
    played[0]!.end();
    await settle();
    played[1]!.end();
    await settle();
    expect(played.map((a) => a.src)).toEqual([
      "/voice/zh/p-bp-value-1.opus",
      "/voice/zh/n-100.opus",
      "/voice/zh/n-86.opus",
    ]);
    expect(fallback.spoken).toEqual([]);
  });

  it("stops the prompt playing when a new one starts or on cancel: never two at once", async () => {
    const { played, speaker, settle } = setup();
    speaker.speak("高压186", "zh", { key: "bp-value", params: { sys: { kind: "number", value: 186 } } });
    await settle();
    speaker.speak("Hello", "en", { key: "welcome" });
    await settle();
    expect(played.map((a) => [a.src, a.state])).toEqual([
      ["/voice/zh/p-bp-value-1.opus", "paused"],
      ["/voice/en/p-welcome.opus", "playing"],
    ]);
    // The old prompt's remaining clips never start, even if its clip reports an end late.
    played[0]!.end();
    await settle();
    expect(played).toHaveLength(2);
    speaker.cancel();
    expect(played[1]!.state).toBe("paused");
  });

  it("falls back to speechSynthesis for a prompt without clips, with its text", async () => {
    const { played, fallback, speaker, settle } = setup();
    speaker.speak("新的提示", "zh", { key: "not-recorded-yet" });
    speaker.speak("高压300", "zh", { key: "bp-value", params: { sys: { kind: "number", value: 301 } } });
    await settle();
    expect(played).toEqual([]);
    expect(fallback.spoken).toEqual([{ text: "高压300", lang: "zh" }]);
  });

  it("falls back when the manifest cannot be loaded or a clip cannot be played", async () => {
    const noManifest = setup({ manifest: null });
    noManifest.speaker.speak("您好", "zh", { key: "welcome" });
    await noManifest.settle();
    expect(noManifest.fallback.spoken).toEqual([{ text: "您好", lang: "zh" }]);

    const blocked = setup({ failing: true });
    blocked.speaker.speak("您好", "zh", { key: "welcome" });
    await blocked.settle();
    await blocked.settle();
    expect(blocked.played).toHaveLength(1);
    expect(blocked.fallback.spoken).toEqual([{ text: "您好", lang: "zh" }]);
  });
});
