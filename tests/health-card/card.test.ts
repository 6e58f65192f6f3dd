import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { bpTrend, buildHealthCard, dedupeVisits, glucoseTrend } from "../../station/health-card/card.js";
import type { VisitSummary } from "../../station/health-card/types.js";

const pack = loadDefaultPolicy();
const TODAY = "2026-11-30";
// 1950-03-07: 76 years old on TODAY.
const person = { name: "杨秀花", birthDate: "1950-03-07", sex: "female" };
const roster = {
  categories: ["registered-poor", "hypertension"],
  doctor: { name: "王医生", phone: "13800000000" },
};

let n = 0;
function visit(date: string, p: Partial<VisitSummary> = {}): VisitSummary {
  n++;
  return {
    id: `id-${n}`,
    version: n,
    source: "station",
    date,
    takenAt: `${date}T02:00:00.000Z`,
    kind: "checkup",
    bp: { systolic: 150, diastolic: 92, readingsAveraged: 1, class: "grade1" },
    glucose: { mmolL: 6.0, sampleType: "fasting", class: "normal" },
    urgentReferral: false,
    followUpDue: null,
    rejected: null,
    ...p,
  };
}

describe("buildHealthCard", () => {
  it("shows a re-sent record once: same id keeps the highest version, same reading under two ids once", () => {
    const a = visit("2026-10-01");
    const again = { ...a, version: a.version + 5, bp: { ...a.bp!, systolic: 151 } };
    const b = visit("2026-11-01");
    const resent = { ...b, id: "other-id", version: b.version + 1 };
    const card = buildHealthCard({ person, roster, visits: [a, b, again, resent] }, pack, TODAY);
    expect(card.visitCount).toBe(2);
    expect(card.series.bp.map((p) => p.systolic)).toEqual([151, 150]);
    expect(dedupeVisits([a, again]).map((v) => v.version)).toEqual([again.version]);
  });

  it("marks records the archive rejected, and keeps the accepted copy of a reading sent twice", () => {
    const ok = visit("2026-09-01");
    const bad = visit("2026-10-01", { rejected: { reason: "schema" } });
    const dupRejected = { ...ok, id: "dup", version: ok.version + 10, rejected: { reason: "duplicate" } };
    const card = buildHealthCard({ person, roster, visits: [ok, bad, dupRejected] }, pack, TODAY);
    expect(card.rejectedCount).toBe(1);
    expect(card.series.bp.map((p) => [p.date, p.rejected])).toEqual([
      ["2026-09-01", false],
      ["2026-10-01", true],
    ]);
  });

  it("tags 65+ and the roster categories; a person off the roster has only the age tag", () => {
    expect(buildHealthCard({ person, roster, visits: [] }, pack, TODAY).tags).toEqual([
      "age65",
      "registered-poor",
      "hypertension",
    ]);
    const young = buildHealthCard(
      { person: { ...person, birthDate: "1990-01-01" }, roster: null, visits: [] },
      pack,
      TODAY,
    );
    expect(young.tags).toEqual([]);
    expect(young.onRoster).toBe(false);
    expect(young.doctor).toBeNull();
  });

  it("compares the latest BP and glucose with last time", () => {
    const card = buildHealthCard(
      {
        person,
        roster,
        visits: [
          visit("2026-06-01", { bp: { systolic: 165, diastolic: 95, readingsAveraged: 2, class: "grade2" } }),
          visit("2026-11-01", {
            bp: { systolic: 138, diastolic: 85, readingsAveraged: 1, class: "high-normal" },
            glucose: { mmolL: 7.4, sampleType: "fasting", class: "diabetes-range" },
          }),
        ],
      },
      pack,
      TODAY,
    );
    expect(card.latest.bp?.trend).toBe("better");
    expect(card.latest.bp?.before?.systolic).toBe(165);
    expect(card.latest.glucose?.trend).toBe("worse");
  });

  it("defines better / same / worse", () => {
    const p = (s: number, d: number) => ({ date: "x", systolic: s, diastolic: d, rejected: false });
    expect(bpTrend(p(150, 90), null)).toBe("none");
    expect(bpTrend(p(145, 92), p(152, 92))).toBe("same"); // same class, under 10 mmHg
    expect(bpTrend(p(141, 92), p(158, 92))).toBe("better"); // same class, 17 mmHg lower
    expect(bpTrend(p(162, 92), p(158, 92))).toBe("worse"); // grade 1 → grade 2
    expect(bpTrend(p(110, 70), p(118, 79))).toBe("same"); // both normal
    const g = (mmolL: number, sampleType: string, cls: string) => ({
      date: "x",
      mmolL,
      sampleType,
      class: cls,
      rejected: false,
    });
    expect(glucoseTrend(g(5.5, "fasting", "normal"), g(6.5, "fasting", "impaired-fasting"))).toBe("better");
    expect(glucoseTrend(g(3.5, "fasting", "hypoglycaemia"), g(5.5, "fasting", "normal"))).toBe("worse");
    expect(glucoseTrend(g(9.0, "random", "normal"), g(5.5, "fasting", "normal"))).toBe("not-comparable");
  });

  it("lists what is due with days overdue, using the due rules", () => {
    // Last contact 2026-05-01 with BP 150/92 (not controlled): the programme rules ask for a
    // recheck within 2 weeks (programmes.ts), so the hypertension follow-up is long overdue.
    const card = buildHealthCard({ person, roster, visits: [visit("2026-05-01")] }, pack, TODAY);
    const chronic = card.due.find((d) => d.kind === "hypertension");
    expect(chronic?.status).toBe("overdue");
    expect(chronic?.dueDate).toBe("2026-05-15");
    expect(chronic?.daysOverdue).toBe(199);
    const annual = card.due.find((d) => d.kind === "annual-checkup");
    expect(annual?.status).not.toBe("overdue");
  });

  it("asks for the referral follow-up after an urgent referral", () => {
    const card = buildHealthCard(
      { person, roster, visits: [visit("2026-11-20", { urgentReferral: true, followUpDue: "2026-11-27" })] },
      pack,
      TODAY,
    );
    const r = card.due.find((d) => d.kind === "referral");
    expect(r).toMatchObject({ status: "overdue", dueDate: "2026-11-27", daysOverdue: 3 });
  });

  it("keeps every year reachable and tells sample types apart", () => {
    const visits = [2017, 2019, 2023, 2026].map((y, i) =>
      visit(`${y}-03-0${i + 1}`, {
        glucose: { mmolL: 8 + i, sampleType: i % 2 ? "random" : "fasting", class: "normal" },
      }),
    );
    const card = buildHealthCard({ person, roster, visits }, pack, TODAY);
    expect(card.series.years).toEqual([2017, 2019, 2023, 2026]);
    expect(card.series.defaultFrom).toBe("2025-11-30");
    expect(card.series.glucose.map((g) => g.sampleType)).toEqual(["fasting", "random", "fasting", "random"]);
    expect(card.series.bands.glucose.fasting).toEqual({ low: 4.4, high: 7.0 });
    expect(card.series.bands.systolic.high).toBeLessThanOrEqual(150);
  });

  it("ignores visits dated after today and gives entitlements in both languages", () => {
    const card = buildHealthCard({ person, roster, visits: [visit("2027-01-01")] }, pack, TODAY);
    expect(card.visitCount).toBe(0);
    expect(card.latest.bp).toBeNull();
    expect(card.entitlements.zh.length).toBeGreaterThan(1);
    expect(card.entitlements.en.length).toBe(card.entitlements.zh.length);
    expect(card.person.name).toBe("杨*花");
  });
});

describe("glucose against last time", () => {
  it("compares with the last reading of the same sample type, skipping other types in between", () => {
    const g = (mmolL: number, sampleType: string, cls: string) => ({ mmolL, sampleType, class: cls });
    const card = buildHealthCard(
      {
        person,
        roster,
        visits: [
          visit("2026-03-01", { glucose: g(7.5, "fasting", "diabetes-range") }),
          visit("2026-06-01", { glucose: g(9.0, "random", "normal") }),
          visit("2026-09-01", { glucose: g(6.5, "fasting", "impaired-fasting") }),
        ],
      },
      pack,
      TODAY,
    );
    expect(card.latest.glucose?.before).toMatchObject({ mmolL: 7.5, sampleType: "fasting" });
    expect(card.latest.glucose?.trend).toBe("better");
  });
});
