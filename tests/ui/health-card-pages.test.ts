import { describe, expect, it } from "vitest";
import { cutLine, packLines } from "../../ui/src/health-card/pages.js";

describe("health card text pages", () => {
  it("cuts a long sentence at list separators, never losing text", () => {
    const line = `得了下面这些病：${Array.from({ length: 30 }, (_, i) => `病名${i}`).join("、")}。`;
    const pieces = cutLine(line, 40);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length <= 40)).toBe(true);
    expect(pieces.join("")).toBe(line);
    expect(pieces[0]!.endsWith("、") || pieces[0]!.endsWith("：")).toBe(true);
  });

  it("packs lines into pages within the budget, a short line costing a whole row", () => {
    const pages = packLines(["甲", "乙", "丙", "丁"], 100, 36);
    expect(pages).toEqual([
      ["甲", "乙"],
      ["丙", "丁"],
    ]);
    const long = packLines(["x".repeat(250)], 100, 70);
    expect(long.flat().join("")).toBe("x".repeat(250));
    expect(long.every((p) => p.join("").length <= 100)).toBe(true);
  });
});
