/**
 * npm run voice: renders every prompt in station/workflow/voice.ts (zh and en) and every part
 * clip (numbers, units, verdicts, dates; ui/src/voice/compose.ts) to Ogg/Opus under
 * ui/public/voice/, and writes manifest.json. Offline: espeak-ng (Mandarin through its pinyin
 * voice, see docs/adr/0005-offline-voice.md), sox and opusenc (opus-tools).
 *
 * Deterministic and incremental: a clip is re-rendered only when its text or the engine
 * settings change (the manifest keeps a hash), and files no longer listed are deleted.
 * `--check` renders nothing and exits 1 when any clip is missing or stale.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { VOICE } from "../station/workflow/voice.js";
import {
  PART_TEXTS,
  type Segment,
  splitTemplate,
  type VoiceLang,
  type VoiceManifest,
} from "../ui/src/voice/compose.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");
export const VOICE_DIR = join(ROOT, "ui/public/voice");
const LANGS: VoiceLang[] = ["zh", "en"];

/** espeak-ng voice and speed (words per minute): slower than default for elderly listeners. */
const ESPEAK: Record<VoiceLang, string[]> = {
  zh: ["-v", "cmn-latn-pinyin", "-s", "135"],
  en: ["-v", "en-us", "-s", "140"],
};
/**
 * Polyphonic characters espeak-ng reads with the wrong tone here, written as pinyin (its pinyin
 * voice reads Latin letters as pinyin). Checked with `espeak-ng -v cmn-latn-pinyin -x`.
 */
const ZH_LEXICON: Array<[string, string]> = [
  ["量血压", "liang2血压"],
  ["量一", "liang2一"],
  ["重新", "chong2新"],
];
const OPUS = ["--quiet", "--bitrate", "16", "--serial", "1", "--padding", "0", "--discard-comments"];
const SETTINGS_VERSION = "1";

type VoiceTable = Record<string, Record<VoiceLang, string>>;

export interface Job {
  id: string;
  lang: VoiceLang;
  text: string;
  part: boolean;
}

function spoken(text: string, lang: VoiceLang): string {
  if (lang === "en") return text;
  return ZH_LEXICON.reduce((t, [word, pinyin]) => t.split(word).join(pinyin), text);
}

function promptSegments(voice: VoiceTable, key: string, lang: VoiceLang, jobs: Job[]): Segment[] {
  const pieces = splitTemplate(voice[key]![lang]);
  const literal = pieces.filter((p) => "text" in p).length;
  let i = 0;
  return pieces.map((p) => {
    if ("param" in p) return { param: p.param };
    const id = literal === 1 ? `${lang}/p-${key}` : `${lang}/p-${key}-${++i}`;
    jobs.push({ id, lang, text: p.text, part: false });
    return id;
  });
}

/** Every clip to render, and each prompt's clip list, for a table of prompt texts. */
export function plan(voice: VoiceTable = VOICE): { jobs: Job[]; prompts: VoiceManifest["prompts"] } {
  const jobs: Job[] = [];
  const prompts: VoiceManifest["prompts"] = {};
  for (const key of Object.keys(voice).sort())
    prompts[key] = { zh: promptSegments(voice, key, "zh", jobs), en: promptSegments(voice, key, "en", jobs) };
  for (const [part, texts] of Object.entries(PART_TEXTS))
    for (const lang of LANGS)
      if (texts[lang]) jobs.push({ id: `${lang}/${part}`, lang, text: texts[lang], part: true });
  return { jobs, prompts };
}

async function engineVersion(): Promise<string> {
  const { stdout } = await run("espeak-ng", ["--version"]);
  return stdout.replace(/\s+Data at:.*$/s, "").trim();
}

function hashOf(job: Job, engine: string): string {
  const input = [
    SETTINGS_VERSION,
    engine,
    ...ESPEAK[job.lang],
    ...OPUS,
    job.part,
    spoken(job.text, job.lang),
  ];
  return createHash("sha256").update(input.join("\0")).digest("hex").slice(0, 16);
}

/** Renders one clip to `outDir`/<id>.opus; `tmp` holds the intermediate WAV files. */
export async function render(
  job: Job,
  tmp: string,
  outDir = VOICE_DIR,
): Promise<{ ms: number; bytes: number }> {
  const raw = join(tmp, `${job.id.replace("/", "_")}.wav`);
  const clean = `${raw}.16k.wav`;
  const out = join(outDir, `${job.id}.opus`);
  await mkdir(dirname(out), { recursive: true });
  await run("espeak-ng", ["-b", "1", ...ESPEAK[job.lang], "-w", raw, spoken(job.text, job.lang)]);
  // Trim espeak's lead-in and tail so composed parts follow each other closely; keep a short
  // pause after each clip; normalise loudness so clips match.
  const pad = job.part ? ["0.02", "0.08"] : ["0.05", "0.3"];
  const trim = ["silence", "1", "0.02", "1%", "reverse", "silence", "1", "0.02", "1%", "reverse"];
  await run("sox", ["-R", raw, "-r", "16000", clean, ...trim, "pad", ...pad, "gain", "-n", "-1"]);
  const { stdout } = await run("soxi", ["-D", clean]);
  await run("opusenc", [...OPUS, clean, out]);
  return { ms: Math.round(Number(stdout.trim()) * 1000), bytes: statSync(out).size };
}

function readManifest(): VoiceManifest | null {
  const file = join(VOICE_DIR, "manifest.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as VoiceManifest) : null;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".opus"));
}

async function main(): Promise<void> {
  const checkOnly = process.argv.includes("--check");
  const engine = await engineVersion();
  const { jobs, prompts } = plan();
  const old = readManifest();
  const stale = jobs.filter((j) => {
    const had = old?.clips[j.id];
    return !had || had.hash !== hashOf(j, engine) || !existsSync(join(VOICE_DIR, had.file));
  });
  if (checkOnly) {
    for (const j of stale) console.error(`gen-voice: missing or stale clip ${j.id} (${j.text})`);
    process.exitCode = stale.length ? 1 : 0;
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), "gen-voice-"));
  const clips: VoiceManifest["clips"] = {};
  const t0 = performance.now();
  try {
    const staleIds = new Set(stale.map((j) => j.id));
    const queue = [...jobs];
    // Two at a time: the Pi-class machines and shared CI boxes this runs on have few cores.
    const worker = async () => {
      for (let j = queue.shift(); j; j = queue.shift()) {
        const { ms, bytes } = staleIds.has(j.id) ? await render(j, tmp) : old!.clips[j.id]!;
        clips[j.id] = { file: `${j.id}.opus`, text: j.text, ms, bytes, hash: hashOf(j, engine) };
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const keep = new Set(Object.values(clips).map((c) => c.file));
  for (const f of listFiles(VOICE_DIR)) if (!keep.has(f)) rmSync(join(VOICE_DIR, f));
  const sorted = Object.fromEntries(Object.entries(clips).sort(([a], [b]) => (a < b ? -1 : 1)));
  const manifest: VoiceManifest = {
    format: 1,
    engine: { zh: `${engine} ${ESPEAK.zh.join(" ")}`, en: `${engine} ${ESPEAK.en.join(" ")}` },
    prompts,
    clips: sorted,
  };
  writeFileSync(join(VOICE_DIR, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  const total = Object.values(clips).reduce((s, c) => s + c.bytes, 0);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `gen-voice: ${jobs.length} clips (${stale.length} rendered in ${seconds} s), ${(total / 1024).toFixed(0)} KiB`,
  );
}

if (process.argv[1] === import.meta.filename) await main();
