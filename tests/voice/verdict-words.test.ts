/**
 * One verdict, one set of words: what the result screen shows (ui/src/i18n.ts), what the prompt
 * text says (station/workflow/voice.ts) and what the recorded clips say (ui/src/voice/compose.ts).
 */
import { describe, expect, it } from "vitest";
import { VERDICT_WORDS } from "../../station/workflow/voice.js";
import { en, zh } from "../../ui/src/i18n.js";
import { VERDICTS } from "../../ui/src/voice/compose.js";

describe("verdict words", () => {
  for (const v of ["normal", "raised", "high", "danger", "low"] as const) {
    it(`${v}: screen, prompt text and recorded voice say the same`, () => {
      const screen = { zh: zh[`verdict_${v}`], en: en[`verdict_${v}`].toLowerCase() };
      expect(VERDICT_WORDS[v]).toEqual(screen);
      expect(VERDICTS[v]).toEqual(screen);
    });
  }
  it("not measured: prompt text and recorded voice agree", () => {
    expect(VERDICTS.none).toEqual(VERDICT_WORDS.none);
  });
});
