import { describe, expect, it } from "vitest";
import { explainEntitlements, loadDefaultPolicy } from "../../station/assessment/index.js";

// Source: sample pack built from 001 (陇川县) §1, §2, §6, §8, §10; 000 §二(二).
const pack = loadDefaultPolicy();

describe("explainEntitlements", () => {
  it("tells a registered-poor person the ratios by hospital level, in plain words", () => {
    const zh = explainEntitlements(["registered-poor"], 50, pack, "zh");
    expect(zh[0]).toBe("您可以享受这些待遇：");
    expect(zh).toContain(
      "住院不交起付线。政策内的住院费用报销：乡镇卫生院95%、县级医院90%、州市级医院75%、省级医院70%。",
    );
    expect(
      zh.some((l) => l.startsWith("得了下面这些病，看门诊的费用报销80%") && l.includes("帕金森病")),
    ).toBe(true);
    expect(zh.some((l) => l.startsWith("9类15种大病"))).toBe(true);
    const en = explainEntitlements(["registered-poor"], 50, pack, "en");
    expect(en.some((l) => l.includes("township health centre 95%"))).toBe(true);
  });

  it("says the free check-up once when two groups both grant it", () => {
    const lines = explainEntitlements(["registered-poor"], 70, pack, "zh");
    expect(lines.filter((l) => l === "每年可以免费体检一次。")).toHaveLength(1);
    expect(lines).toContain("每年可以免费做一次中医体质辨识，医生给您养生建议。");
  });

  it("adds the extra follow-ups only for registered-poor chronic patients", () => {
    const extra = "建档立卡的慢病病人，每年再多随访4次。";
    expect(explainEntitlements(["hypertension"], 50, pack, "zh")).not.toContain(extra);
    expect(explainEntitlements(["hypertension", "registered-poor"], 50, pack, "zh")).toContain(extra);
  });

  it("gives a single plain line when nothing applies", () => {
    expect(explainEntitlements([], 40, pack, "en")).toEqual([
      "You have no special entitlements at the moment. Ask the village doctor if you have questions.",
    ]);
  });
});
