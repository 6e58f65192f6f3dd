import { describe, expect, it } from "vitest";
import { TCM_TYPES } from "../../station/assessment/codes.js";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { scoreTcm, TCM_ITEMS } from "../../station/assessment/tcm.js";

// Source: 国家基本公共卫生服务规范（第三版）, 老年人中医药健康管理服务记录表 and its 体质判定标准表.
/** 33 answers, all `base`, with the given items (1-based) overridden. */
function answers(base: number, set: Record<number, number> = {}): number[] {
  return Array.from({ length: 33 }, (_, i) => set[i + 1] ?? base);
}
const verdict = (r: ReturnType<typeof scoreTcm>, t: string) =>
  r.ok ? r.types.find((x) => x.type === t)?.verdict : null;

describe("item mapping", () => {
  it("uses each of the 33 items, and only items 2 4 5 13 twice (balanced + their own type)", () => {
    const counts = new Map<number, number>();
    for (const items of Object.values(TCM_ITEMS))
      for (const n of items) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
    expect(
      [...counts]
        .filter(([, c]) => c === 2)
        .map(([n]) => n)
        .sort((a, b) => a - b),
    ).toEqual([2, 4, 5, 13]);
  });

  it("table 体质判定标准表: items per type", () => {
    expect(TCM_ITEMS["qi-deficient"]).toEqual([2, 3, 4, 14]);
    expect(TCM_ITEMS["yang-deficient"]).toEqual([11, 12, 13, 29]);
    expect(TCM_ITEMS["yin-deficient"]).toEqual([10, 21, 26, 31]);
    expect(TCM_ITEMS["phlegm-damp"]).toEqual([9, 16, 28, 32]);
    expect(TCM_ITEMS["damp-heat"]).toEqual([23, 25, 27, 30]);
    expect(TCM_ITEMS["blood-stasis"]).toEqual([19, 22, 24, 33]);
    expect(TCM_ITEMS["qi-stagnation"]).toEqual([5, 6, 7, 8]);
    expect(TCM_ITEMS.special).toEqual([15, 17, 18, 20]);
    expect(TCM_ITEMS.balanced).toEqual([1, 2, 4, 5, 13]);
  });
});

describe("scoring", () => {
  it("reverse-scores 2 4 5 13 for the balanced type only", () => {
    // Item 1 = 5 (energetic), everything else 1: balanced = 5 + 4×5 = 25; qi-deficient = 4.
    const r = scoreTcm(answers(1, { 1: 5 }));
    expect(r.ok && r.types.find((t) => t.type === "balanced")?.score).toBe(25);
    expect(r.ok && r.types.find((t) => t.type === "qi-deficient")?.score).toBe(4);
    expect(r.ok && r.primary).toBe("balanced");
    expect(verdict(r, "balanced")).toBe("yes");
  });

  it("unbalanced type: 11 yes, 9–10 leaning, 8 no (both sides of each limit)", () => {
    // Qi-stagnation items 5–8; item 5 also lowers the balanced sum but not below what we test.
    const q = (a: number, b: number, c: number, d: number) =>
      scoreTcm(answers(1, { 1: 5, 5: a, 6: b, 7: c, 8: d }));
    expect(verdict(q(2, 2, 2, 2), "qi-stagnation")).toBe("no"); // 8
    expect(verdict(q(3, 2, 2, 2), "qi-stagnation")).toBe("leaning"); // 9
    expect(verdict(q(3, 3, 2, 2), "qi-stagnation")).toBe("leaning"); // 10
    expect(verdict(q(3, 3, 3, 2), "qi-stagnation")).toBe("yes"); // 11
  });

  it("balanced: ≥17 with others ≤8 yes; others ≤10 basically; 16 no", () => {
    // Balanced 1=5, 2=1→5, 4=1→5, 5=1→5, 13=1→5 = 25. Raise special (15 17 18 20) to 9 or 11.
    expect(verdict(scoreTcm(answers(1, { 1: 5, 15: 3, 17: 2, 18: 2, 20: 1 })), "balanced")).toBe("yes"); // special 8
    const leaning = scoreTcm(answers(1, { 1: 5, 15: 3, 17: 3, 18: 2, 20: 1 })); // special 9
    expect(verdict(leaning, "balanced")).toBe("basically");
    expect(leaning.ok && leaning.primary).toBe("balanced");
    expect(leaning.ok && leaning.secondary).toEqual(["special"]);
    const yesOther = scoreTcm(answers(1, { 1: 5, 15: 3, 17: 3, 18: 3, 20: 2 })); // special 11
    expect(verdict(yesOther, "balanced")).toBe("no");
    expect(yesOther.ok && yesOther.primary).toBe("special");
    // Both sides of 17: item 1 = 1, items 2 4 5 13 answered 2 (each reversed to 4) → 17.
    expect(verdict(scoreTcm(answers(1, { 1: 1, 2: 2, 4: 2, 5: 2, 13: 2 })), "balanced")).toBe("yes");
    expect(verdict(scoreTcm(answers(1, { 1: 1, 2: 2, 4: 2, 5: 2, 13: 3 })), "balanced")).toBe("no"); // 16
  });

  it("primary is the highest-scoring 'yes' type; ties go to form order", () => {
    const r = scoreTcm(answers(3)); // every unbalanced type 12; balanced 15
    expect(r.ok && r.primary).toBe("qi-deficient");
    expect(r.ok && r.secondary).toHaveLength(7);
    const higher = scoreTcm(answers(3, { 15: 5, 17: 5 })); // special 16
    expect(higher.ok && higher.primary).toBe("special");
  });

  it("gives advice for the primary type first, and the pack has text for all nine", () => {
    const r = scoreTcm(answers(3, { 15: 5 }));
    expect(r.ok && r.adviceKeys[0]).toBe("tcm.special");
    const pack = loadDefaultPolicy();
    for (const t of TCM_TYPES) expect(pack.advice[`tcm.${t}`]?.zh.length).toBeGreaterThan(0);
  });

  it("rejects incomplete or out-of-range answers, listing each problem", () => {
    const r = scoreTcm([...answers(3).slice(0, 32)]);
    expect(r).toEqual({ ok: false, errors: ["expected 33 answers, got 32"] });
    const bad = scoreTcm(answers(3, { 4: 0, 9: 6 }));
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors).toEqual([
        "item 4: answer must be a whole number 1–5, got 0",
        "item 9: answer must be a whole number 1–5, got 6",
      ]);
  });
});
