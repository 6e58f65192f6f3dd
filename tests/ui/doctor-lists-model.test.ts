import { describe, expect, it } from "vitest";
import { percent, rowsInBox } from "../../ui/src/doctor-lists/model.js";
import { en, lt, zh } from "../../ui/src/doctor-lists/texts.js";

describe("doctor lists UI rules", () => {
  it("every Chinese text has an English one, and no empty text", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const v of [...Object.values(zh), ...Object.values(en)]) expect(v.trim()).not.toBe("");
  });
  it("a programme or class this build does not know is shown raw (ADR 0003)", () => {
    expect(lt("zh", "programme.hypertension")).toBe("高血压随访");
    expect(lt("en", "programme.tuberculosis")).toBe("tuberculosis");
    expect(lt("zh", "overdueDays", { n: 3 })).toBe("逾期 3 天");
  });
  it("pages as many 3.9 rem rows (0.25 rem gaps) as fit the box: one pixel short drops a row", () => {
    const rem = 20; // row 78 px, gap 5 px: 4 rows need 4×78 + 3×5 = 327 px
    expect(rowsInBox(327, rem)).toBe(4);
    expect(rowsInBox(326, rem)).toBe(3);
    expect(rowsInBox(10, rem)).toBe(1);
  });
  it("percent shows a dash when nobody is counted", () => {
    expect(percent(null)).toBe("–");
    expect(percent(0.666)).toBe("67%");
  });
});
