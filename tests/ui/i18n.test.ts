import { describe, expect, it } from "vitest";
import { en, t, zh } from "../../ui/src/i18n.js";
import {
  bpClassLabel,
  bpTone,
  categoryLabel,
  glucoseClassLabel,
  glucoseTone,
  labelTables,
  sampleTypeLabel,
} from "../../ui/src/labels.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n", () => {
  it("has every Chinese key in English, non-empty, with the same placeholders", () => {
    for (const key of Object.keys(zh) as Array<keyof typeof zh>) {
      expect(en[key], key).toBeTypeOf("string");
      expect(en[key].trim().length, key).toBeGreaterThan(0);
      expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
    }
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(t("zh", "hello", { name: "张*丰" })).toBe("您好，张*丰");
    expect(t("en", "age", { age: 76 })).toBe("76 years");
    expect(t("zh", "hello")).toBe("您好，{name}");
  });

  it("uses the exact Chinese wording the brief asks for on the key screens", () => {
    expect(zh.swipeCard).toBe("请刷身份证");
    expect(zh.confirmMe).toBe("是我，开始检查");
    expect(zh.urgent).toBe("请马上找医生");
    expect(zh.saveFailed).toBe("保存失败，请找医生");
    expect(zh.demoBanner).toBe("演示模式 · 模拟设备");
  });
});

describe("labels", () => {
  it("names every known class and category in both languages", () => {
    for (const [table, entries] of Object.entries(labelTables)) {
      for (const [code, text] of Object.entries(entries)) {
        expect(text.zh.length, `${table}.${code}`).toBeGreaterThan(0);
        expect(text.en.length, `${table}.${code}`).toBeGreaterThan(0);
      }
    }
  });

  it("maps codes to plain words", () => {
    expect(bpClassLabel("grade2", "zh")).toBe("2级高血压");
    expect(bpClassLabel("isolated-systolic", "zh")).toBe("单纯收缩期高血压");
    expect(glucoseClassLabel("diabetes-range", "zh")).toBe("血糖偏高（糖尿病范围）");
    expect(glucoseClassLabel("hypoglycaemia", "en")).toBe("Low blood sugar");
    expect(categoryLabel("registered-poor", "zh")).toBe("建档立卡贫困户");
    expect(categoryLabel("age65", "zh")).toBe("65岁以上老人");
    expect(sampleTypeLabel("postprandial", "zh")).toBe("饭后2小时");
  });

  it("shows unknown codes raw, including names of Object.prototype members", () => {
    expect(bpClassLabel("grade4", "zh")).toBe("grade4");
    expect(categoryLabel("veteran", "en")).toBe("veteran");
    expect(glucoseClassLabel("constructor", "zh")).toBe("constructor");
    expect(bpTone("toString")).toBe("unknown");
  });

  it("colours results green, amber or red", () => {
    expect(bpTone("normal")).toBe("normal");
    expect(bpTone("grade1")).toBe("elevated");
    expect(bpTone("grade3")).toBe("urgent");
    expect(glucoseTone("impaired-fasting")).toBe("elevated");
    expect(glucoseTone("hypoglycaemia")).toBe("urgent");
    expect(glucoseTone("new-code")).toBe("unknown");
  });
});
