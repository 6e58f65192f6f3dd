/**
 * Voice prompts through the browser's speechSynthesis: the fallback for a prompt that has no
 * recorded clips (ui/src/voice/player.ts). Where there is none (or no voice for the language)
 * the prompt is skipped quietly: the same text is always on screen.
 */
import type { Lang } from "./i18n.js";
import type { Speaker } from "./models/station-model.js";

const BCP47: Record<Lang, string> = { zh: "zh-CN", en: "en-US" };

export function createBrowserSpeaker(win: Window = window): Speaker {
  const synth = "speechSynthesis" in win ? win.speechSynthesis : null;
  function pickVoice(lang: Lang): SpeechSynthesisVoice | null {
    const voices = synth?.getVoices() ?? [];
    const exact = voices.find((v) => v.lang.replace("_", "-") === BCP47[lang]);
    return exact ?? voices.find((v) => v.lang.toLowerCase().startsWith(lang)) ?? null;
  }
  return {
    speak(text, lang) {
      if (!synth || typeof globalThis.SpeechSynthesisUtterance !== "function") return;
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = BCP47[lang];
      // Slower than default: many listeners are old and hard of hearing.
      utterance.rate = 0.85;
      const voice = pickVoice(lang);
      if (voice) utterance.voice = voice;
      try {
        synth.speak(utterance);
      } catch {
        // A speech engine failure must never break the screen.
      }
    },
    cancel() {
      try {
        synth?.cancel();
      } catch {
        // As above.
      }
    },
  };
}
