/**
 * Size of the recorded voice (ui/public/voice, served to the kiosk): every clip's bytes against
 * the same audio as 16 kHz 16-bit mono PCM (what espeak-ng's output resampled would weigh),
 * from the clips' measured durations in the same run. Not JavaScript, so outside the 100 KB UI
 * budget; reported so the repository and a kiosk's first load stay modest.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { VoiceManifest } from "../../ui/src/voice/compose.js";

const dir = join(import.meta.dirname, "../../ui/public/voice");
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as VoiceManifest;
const clips = Object.values(manifest.clips);
const bytes = clips.reduce((n, c) => n + statSync(join(dir, c.file)).size, 0);
const seconds = clips.reduce((n, c) => n + c.ms, 0) / 1000;
const pcm = seconds * 16_000 * 2;
const prompts = Object.entries(manifest.clips).filter(([id]) => id.includes("/p-"));
const promptBytes = prompts.reduce((n, [, c]) => n + statSync(join(dir, c.file)).size, 0);
const kib = (b: number) => (b / 1024).toFixed(0);
console.log(`clips: ${clips.length} (${prompts.length} prompts, ${clips.length - prompts.length} parts)`);
console.log(`audio: ${seconds.toFixed(0)} s, ${kib(bytes)} KiB Ogg/Opus (prompts ${kib(promptBytes)} KiB)`);
console.log(`baseline 16 kHz 16-bit PCM: ${kib(pcm)} KiB; ratio ${(bytes / pcm).toFixed(3)}`);
console.log(
  `BENCH_RESULT ${JSON.stringify({ clips: clips.length, seconds: Math.round(seconds), kib: Math.round(bytes / 1024), pcmKib: Math.round(pcm / 1024), ratio: +(bytes / pcm).toFixed(3) })}`,
);
