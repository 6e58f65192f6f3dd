/**
 * Every voice prompt has recorded clips for its current text, in zh and en, and every part clip
 * (numbers, units, verdicts, dates) exists. Fails after a key or text changes in
 * station/workflow/voice.ts until `npm run voice` is run and its output committed.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VOICE } from "../../station/workflow/voice.js";
import { PART_TEXTS, splitTemplate, type VoiceManifest } from "../../ui/src/voice/compose.js";

const DIR = join(import.meta.dirname, "../../ui/public/voice");
const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as VoiceManifest;
const LANGS = ["zh", "en"] as const;

describe("recorded voice manifest", () => {
  it("has clips for every prompt key's current text, in both languages", () => {
    const problems: string[] = [];
    for (const [key, text] of Object.entries(VOICE)) {
      for (const lang of LANGS) {
        const segments = manifest.prompts[key]?.[lang];
        if (!segments) {
          problems.push(`${key}/${lang}: no clips (run npm run voice)`);
          continue;
        }
        // The recorded pieces must say exactly the text's literal pieces, placeholders in place.
        const expected = splitTemplate(text[lang]).map((p) => ("param" in p ? `{${p.param}}` : p.text));
        const recorded = segments.map((s) =>
          typeof s === "string" ? manifest.clips[s]?.text : `{${s.param}}`,
        );
        if (JSON.stringify(recorded) !== JSON.stringify(expected))
          problems.push(
            `${key}/${lang}: recorded ${JSON.stringify(recorded)} ≠ text ${JSON.stringify(expected)}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it("has no prompt that is no longer in voice.ts", () => {
    expect(Object.keys(manifest.prompts).sort()).toEqual(Object.keys(VOICE).sort());
  });

  it("has every part clip with its text", () => {
    const missing: string[] = [];
    for (const [part, texts] of Object.entries(PART_TEXTS))
      for (const lang of LANGS)
        if (texts[lang] && manifest.clips[`${lang}/${part}`]?.text !== texts[lang])
          missing.push(`${lang}/${part}`);
    expect(missing).toEqual([]);
  });

  it("lists only files that exist, with their sizes", () => {
    const wrong = Object.entries(manifest.clips)
      .filter(([, c]) => !existsSync(join(DIR, c.file)) || statSync(join(DIR, c.file)).size !== c.bytes)
      .map(([id]) => id);
    expect(wrong).toEqual([]);
  });
});
