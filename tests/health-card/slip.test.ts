import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { buildHealthCard } from "../../station/health-card/card.js";
import { buildHealthCardSlip } from "../../station/health-card/slip.js";

const ID = "510199194412213797";

describe("health-card slip", () => {
  it("carries the masked name, the comparison and what is due, never the ID number or the full name", () => {
    const card = buildHealthCard(
      {
        person: { name: "杨金花", birthDate: "1944-12-21", sex: "male" },
        roster: { categories: ["diabetes"], doctor: { name: "赵医生", phone: "0000-0000002" } },
        visits: [
          {
            id: "a",
            version: 1,
            source: "station",
            date: "2026-05-01",
            takenAt: "2026-05-01T02:00:00Z",
            kind: "checkup",
            bp: { systolic: 150, diastolic: 90, readingsAveraged: 1, class: "grade1" },
            glucose: { mmolL: 8.1, sampleType: "fasting", class: "diabetes-range" },
            urgentReferral: false,
            followUpDue: null,
            rejected: { reason: "schema" },
          },
        ],
      },
      loadDefaultPolicy(),
      "2026-11-30",
    );
    const slip = buildHealthCardSlip(card, { clinicName: "演示村卫生室", localTime: "2026-11-30 10:00" });
    const text = slip.lines.map((l) => l.text).join("\n");
    expect(slip.title).toBe("健康卡");
    expect(text).toContain("杨*花");
    expect(text).not.toContain("杨金花");
    expect(text).not.toContain(ID);
    expect(text).not.toContain(ID.slice(-6));
    expect(text).toContain("血压 150/90");
    expect(text).toMatch(/糖尿病随访：已过期\d+天/);
    expect(text).toContain("有1条记录县平台未收");
    expect(text).toContain("家庭医生 赵医生 0000-0000002");
    expect(slip.qr).toBeUndefined();
  });
});
