/**
 * Every recorded clip decodes (opusdec, then sox measures it) to sound, not silence, and lasts
 * about as long as its text takes to say: a clip cut short, empty or run-on fails here.
 * Needs opus-tools and sox (scripts/install-test-deps.sh).
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { VoiceManifest } from "../../ui/src/voice/compose.js";

const run = promisify(execFile);
const DIR = join(import.meta.dirname, "../../ui/public/voice");
const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as VoiceManifest;

interface Measured {
  id: string;
  text: string;
  seconds: number;
  rms: number;
  peak: number;
}

/** Syllables the text takes to say: one per Han character; English by vowel groups per word. */
function syllables(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.match(/[A-Za-z]+/g) ?? [];
  const en = words.reduce(
    (n, w) =>
      n +
      Math.max(
        1,
        w
          .toLowerCase()
          .replace(/e$/, "")
          .match(/[aeiouy]+/g)?.length ?? 0,
      ),
    0,
  );
  return han + en;
}

async function measure(id: string, file: string, text: string): Promise<Measured> {
  const { stderr } = await run("sh", [
    "-c",
    'opusdec --quiet --force-wav "$1" - | sox -t wav - -n stat',
    "sh",
    file,
  ]);
  const num = (label: string) =>
    Number(new RegExp(`${label}:\\s+(-?[\\d.]+)`).exec(stderr)?.[1] ?? Number.NaN);
  return {
    id,
    text,
    seconds: num("Length \\(seconds\\)"),
    rms: num("RMS\\s+amplitude"),
    peak: num("Maximum amplitude"),
  };
}

let measured: Measured[] = [];

beforeAll(async () => {
  for (const tool of ["opusdec", "sox"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`]);
    } catch {
      throw new Error(`${tool} not found: run scripts/install-test-deps.sh (opus-tools, sox)`);
    }
  }
  const queue = Object.entries(manifest.clips);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [id, clip] = next;
      measured.push(await measure(id, join(DIR, clip.file), clip.text));
    }
  };
  await Promise.all([worker(), worker()]);
  measured = measured.sort((a, b) => (a.id < b.id ? -1 : 1));
}, 120_000);

describe("recorded clips", () => {
  it("decodes every clip", () => {
    expect(measured.length).toBe(Object.keys(manifest.clips).length);
    expect(measured.filter((m) => !(m.seconds > 0)).map((m) => m.id)).toEqual([]);
  });

  it("is sound, not silence: RMS and peak well above the noise floor", () => {
    const quiet = measured.filter((m) => !(m.rms >= 0.03 && m.peak >= 0.3));
    expect(quiet.map((m) => `${m.id} rms ${m.rms} peak ${m.peak}`)).toEqual([]);
  });

  it("lasts about as long as its text takes to say (0.12–0.6 s a syllable, plus pauses)", () => {
    const odd = measured.filter((m) => {
      const n = syllables(m.text);
      return n === 0 || m.seconds < 0.12 * n || m.seconds > 0.6 * n + 0.8;
    });
    expect(odd.map((m) => `${m.id} "${m.text}" ${syllables(m.text)} syllables, ${m.seconds} s`)).toEqual([]);
  });

  it("lasts what the manifest says, which the player and docs rely on", () => {
    const off = measured.filter((m) => Math.abs(m.seconds * 1000 - manifest.clips[m.id]!.ms) > 60);
    expect(off.map((m) => `${m.id} ${m.seconds} s, manifest ${manifest.clips[m.id]!.ms} ms`)).toEqual([]);
  });
});
