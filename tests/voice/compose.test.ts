/** Composing prompts from clips: numbers, decimals, units, verdicts and dates in zh and en. */
import { describe, expect, it } from "vitest";
import {
  composePrompt,
  numberParts,
  PART_TEXTS,
  paramParts,
  splitTemplate,
  type VoiceManifest,
} from "../../ui/src/voice/compose.js";

/** What the parts say, joined: the clips' texts in order. */
function say(parts: string[] | null, lang: "zh" | "en"): string | null {
  return parts ? parts.map((p) => PART_TEXTS[p]![lang]).join(lang === "zh" ? "" : " ") : null;
}

describe("numbers", () => {
  it("says blood pressure values the way people say them", () => {
    expect(say(numberParts(186, "zh"), "zh")).toBe("一百八十六");
    expect(say(numberParts(105, "zh"), "zh")).toBe("一百零五");
    expect(say(numberParts(115, "zh"), "zh")).toBe("一百一十五");
    expect(say(numberParts(200, "zh"), "zh")).toBe("两百");
    expect(say(numberParts(300, "zh"), "zh")).toBe("三百");
    expect(say(numberParts(40, "zh"), "zh")).toBe("四十");
    expect(say(numberParts(186, "en"), "en")).toBe("one hundred eighty six");
    expect(say(numberParts(105, "en"), "en")).toBe("one hundred five");
  });

  it("has a clip for every whole number 0–999 and refuses what it cannot say", () => {
    for (let n = 0; n <= 999; n++)
      for (const lang of ["zh", "en"] as const)
        for (const p of numberParts(n, lang)!) expect(PART_TEXTS[p], `${n} ${p}`).toBeDefined();
    expect(numberParts(1000, "zh")).toBeNull();
    expect(numberParts(-1, "zh")).toBeNull();
    expect(numberParts(1.5, "zh")).toBeNull();
  });

  it("says glucose with one decimal and its unit", () => {
    const p = { kind: "number", value: 18.5, decimals: 1, unit: "mmolL" } as const;
    expect(say(paramParts(p, "zh"), "zh")).toBe("十八点五毫摩尔每升");
    expect(say(paramParts(p, "en"), "en")).toBe("eighteen point five millimoles per litre");
    expect(say(paramParts({ kind: "number", value: 7, decimals: 1 }, "zh"), "zh")).toBe("七点零");
  });

  it("says day counts with the right English number", () => {
    expect(say(paramParts({ kind: "number", value: 1, unit: "days" }, "en"), "en")).toBe("one day");
    expect(say(paramParts({ kind: "number", value: 12, unit: "days" }, "en"), "en")).toBe("twelve days");
    expect(say(paramParts({ kind: "number", value: 12, unit: "days" }, "zh"), "zh")).toBe("十二天");
  });
});

describe("verdicts and dates", () => {
  it("says each verdict word", () => {
    expect(say(paramParts({ kind: "verdict", value: "danger" }, "zh"), "zh")).toBe("危险");
    expect(say(paramParts({ kind: "verdict", value: "raised" }, "en"), "en")).toBe("raised");
  });

  it("says month and day, and refuses impossible dates", () => {
    expect(say(paramParts({ kind: "date", month: 12, day: 5 }, "zh"), "zh")).toBe("十二月五号");
    expect(say(paramParts({ kind: "date", month: 3, day: 21 }, "en"), "en")).toBe("March twenty first");
    expect(paramParts({ kind: "date", month: 13, day: 1 }, "zh")).toBeNull();
    expect(paramParts({ kind: "date", month: 2, day: 0 }, "en")).toBeNull();
  });
});

describe("prompts", () => {
  const clip = (text: string) => ({ file: "x.opus", text, ms: 1, bytes: 1, hash: "" });
  const manifest: VoiceManifest = {
    format: 1,
    engine: { zh: "", en: "" },
    prompts: { "bp-value": { zh: ["zh/p-bp-value-1", { param: "sys" }, "zh/p-bp-value-2"], en: [] } },
    clips: {
      "zh/p-bp-value-1": clip("高压"),
      "zh/p-bp-value-2": clip("。"),
      "zh/n-100": clip("一百"),
      "zh/n-86": clip("八十六"),
    },
  };

  it("fills a placeholder with part clips, in order", () => {
    expect(composePrompt(manifest, "bp-value", { sys: { kind: "number", value: 186 } }, "zh")).toEqual([
      "zh/p-bp-value-1",
      "zh/n-100",
      "zh/n-86",
      "zh/p-bp-value-2",
    ]);
  });

  it("returns null (so the caller falls back) for a missing key, parameter or clip", () => {
    expect(composePrompt(manifest, "nope", undefined, "zh")).toBeNull();
    expect(composePrompt(manifest, "bp-value", undefined, "zh")).toBeNull();
    expect(composePrompt(manifest, "bp-value", { sys: { kind: "number", value: 187 } }, "zh")).toBeNull();
  });

  it("splits a text at its placeholders, dropping pieces with nothing to say", () => {
    expect(splitTemplate("高压{sys}，低压{dia}。")).toEqual([
      { text: "高压" },
      { param: "sys" },
      { text: "，低压" },
      { param: "dia" },
    ]);
    expect(splitTemplate("{a}, {b}")).toEqual([{ param: "a" }, { param: "b" }]);
  });
});
