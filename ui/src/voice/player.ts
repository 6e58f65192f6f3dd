/**
 * Speaks prompts from the recorded clips in /voice/ (scripts/gen-voice.ts): a prompt with its
 * parameters becomes a queue of clips played one after another. One prompt at a time: a new
 * one, or cancel(), stops the one playing. speechSynthesis (the fallback speaker) is used only
 * when a prompt has no clips or a clip cannot be played.
 */
import type { Lang } from "../i18n.js";
import type { Speaker, SpokenPrompt } from "../models/station-model.js";
import { composePrompt, type VoiceManifest } from "./compose.js";

/** The part of HTMLAudioElement the player uses (tests pass a fake). */
export interface ClipAudio {
  play(): Promise<void>;
  pause(): void;
  removeAttribute(name: "src"): void;
  addEventListener(type: "ended" | "error", listener: () => void, options: { once: true }): void;
  readonly src: string;
}

export interface ClipSpeakerDeps {
  /** Speaks the text when clips are missing; the browser's speechSynthesis in the kiosk. */
  fallback: Speaker;
  /** `new Audio(src)` in the kiosk (ui/src/main.tsx). */
  createAudio: (src: string) => ClipAudio;
  base?: string;
  loadManifest?: (url: string) => Promise<VoiceManifest | null>;
}

async function fetchManifest(url: string): Promise<VoiceManifest | null> {
  try {
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as VoiceManifest) : null;
  } catch {
    return null;
  }
}

/** Resolves when the clip has played to its end; rejects if it cannot be played. */
function playToEnd(audio: ClipAudio): Promise<void> {
  return new Promise((resolve, reject) => {
    audio.addEventListener("ended", () => resolve(), { once: true });
    audio.addEventListener("error", () => reject(new Error(`cannot play ${audio.src}`)), { once: true });
    audio.play().catch(reject);
  });
}

export function createClipSpeaker(deps: ClipSpeakerDeps): Speaker {
  const base = deps.base ?? "/voice/";
  const createAudio = deps.createAudio;
  const manifest = (deps.loadManifest ?? fetchManifest)(`${base}manifest.json`);
  /** Bumped by every speak and cancel: a queue whose number is old stops. */
  let generation = 0;
  let playing: ClipAudio[] = [];

  function stopAudio(): void {
    for (const a of playing) {
      a.pause();
      a.removeAttribute("src");
    }
    playing = [];
  }

  async function play(text: string, lang: Lang, prompt: SpokenPrompt | undefined, mine: number) {
    const m = await manifest;
    if (mine !== generation) return;
    const ids = m && prompt ? composePrompt(m, prompt.key, prompt.params, lang) : null;
    if (!m || !ids) {
      deps.fallback.speak(text, lang, prompt);
      return;
    }
    // Created together so the browser fetches them all at once; played in order.
    const queue = ids.map((id) => createAudio(`${base}${m.clips[id]!.file}`));
    playing = queue;
    for (const audio of queue) {
      if (mine !== generation) return;
      try {
        await playToEnd(audio);
      } catch {
        if (mine !== generation) return;
        stopAudio();
        deps.fallback.speak(text, lang, prompt);
        return;
      }
    }
    if (mine === generation) playing = [];
  }

  return {
    speak(text, lang, prompt) {
      const mine = ++generation;
      stopAudio();
      deps.fallback.cancel();
      void play(text, lang, prompt, mine);
    },
    cancel() {
      generation++;
      stopAudio();
      deps.fallback.cancel();
    },
  };
}
