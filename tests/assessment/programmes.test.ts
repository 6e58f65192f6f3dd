// Rules and their sources: 国家基本公共卫生服务规范（第三版，2017） hypertension / type 2 diabetes / elderly
// specifications (≥4 follow-ups a year; 2 weeks after an uncontrolled visit or adverse reaction; refer
// after two uncontrolled visits in a row or a complication; check a referral within 2 weeks);
// 000 §二(二) (free yearly check-up for the roster, 4 extra follow-ups for registered-poor patients,
// referral within 2 weeks); 001 §10 (65+ yearly); Simple.org high-risk rule (care-notes.md).
// The sample pack: dueBy 11-30, uncontrolledDays 14, referralDays 14, perYear 4 (+4 registered-poor).
import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import type { ProgrammeVisit } from "../../station/assessment/programme-visit.js";
import { byPriority, type ProgrammeEntry, programmeEntries } from "../../station/assessment/programmes.js";

const pack = loadDefaultPolicy();
const elder = { birthDate: "1950-03-02", categories: [] as string[] };
const htn = { birthDate: "1970-03-02", categories: ["hypertension"] };
const dm = { birthDate: "1970-03-02", categories: ["diabetes"] };

function visit(date: string, o: Partial<ProgrammeVisit> = {}): ProgrammeVisit {
  return { date, bp: null, glucose: null, urgentReferral: false, followUpDue: null, ...o };
}
const bpV = (date: string, s: number, d: number, o: Partial<ProgrammeVisit> = {}) =>
  visit(date, { bp: { systolic: s, diastolic: d }, ...o });
const find = (es: ReturnType<typeof programmeEntries>, p: string) => es.find((e) => e.programme === p);

describe("annual-checkup", () => {
  it("applies from 65 (64 is not), per calendar year, overdue the day after dueBy", () => {
    expect(programmeEntries({ birthDate: "1959-06-01", categories: [] }, [], pack, "2024-05-01")).toEqual([]);
    const e = find(programmeEntries(elder, [], pack, "2024-11-30"), "annual-checkup")!;
    expect(e).toMatchObject({ nextDue: "2024-11-30", overdueDays: 0 });
    expect(find(programmeEntries(elder, [], pack, "2024-12-01"), "annual-checkup")!.overdueDays).toBe(1);
    expect(e.reasons.map((r) => r.code)).toContain("age-65");
    expect(e.reasons.every((r) => r.source.length > 0)).toBe(true);
  });
  it("a visit last December does not count for this year; one this year moves it to next year", () => {
    expect(
      find(programmeEntries(elder, [visit("2023-12-31")], pack, "2024-05-01"), "annual-checkup")!.nextDue,
    ).toBe("2024-11-30");
    expect(
      find(programmeEntries(elder, [visit("2024-01-01")], pack, "2024-05-01"), "annual-checkup")!.nextDue,
    ).toBe("2025-11-30");
  });
  it("applies to roster members at any age", () => {
    const es = programmeEntries(
      { birthDate: "1990-01-01", categories: ["subsistence"] },
      [],
      pack,
      "2024-05-01",
    );
    expect(es.map((e) => e.programme)).toEqual(["annual-checkup"]);
    expect(es[0]!.reasons[0]).toMatchObject({ code: "roster-category", source: "000 §二(二)" });
  });
});

describe("chronic follow-up", () => {
  it("controlled (139/89) → routine interval of 365/4 = 91 days; 140/89 → 14 days", () => {
    const c = find(programmeEntries(htn, [bpV("2024-03-01", 139, 89)], pack, "2024-03-02"), "hypertension")!;
    expect(c).toMatchObject({ nextDue: "2024-05-31", lastVisitClass: "controlled", overdueDays: 0 });
    const u = find(programmeEntries(htn, [bpV("2024-03-01", 140, 89)], pack, "2024-03-02"), "hypertension")!;
    expect(u).toMatchObject({ nextDue: "2024-03-15", lastVisitClass: "uncontrolled" });
    expect(u.refer).toBeUndefined();
  });
  it("county extra: registered-poor patients need 8 a year, so every 45 days", () => {
    const p = { birthDate: "1970-03-02", categories: ["hypertension", "registered-poor"] };
    const e = find(programmeEntries(p, [bpV("2024-03-01", 120, 80)], pack, "2024-03-02"), "hypertension")!;
    expect(e).toMatchObject({ requiredThisYear: 8, nextDue: "2024-04-15" });
    expect(e.reasons.some((r) => r.code === "county-extra")).toBe(true);
  });
  it("two uncontrolled visits in a row → refer and check within 14 days; controlled between → no referral", () => {
    const two = programmeEntries(
      htn,
      [bpV("2024-03-01", 150, 85), bpV("2024-03-15", 145, 95)],
      pack,
      "2024-03-20",
    );
    expect(find(two, "hypertension")).toMatchObject({ refer: true, nextDue: "2024-03-29" });
    expect(find(two, "referral")).toMatchObject({
      since: "2024-03-15",
      nextDue: "2024-03-29",
      highRisk: false,
    });
    const broken = programmeEntries(
      htn,
      [bpV("2024-02-01", 150, 85), bpV("2024-02-15", 130, 80), bpV("2024-03-15", 145, 95)],
      pack,
      "2024-03-20",
    );
    expect(find(broken, "referral")).toBeUndefined();
  });
  it("the doctor's form class wins over the readings: adverse reaction → 14 days, complication → refer", () => {
    const adv = find(
      programmeEntries(
        htn,
        [bpV("2024-03-01", 120, 70, { formClass: "adverse-reaction" })],
        pack,
        "2024-03-02",
      ),
      "hypertension",
    )!;
    expect(adv).toMatchObject({ lastVisitClass: "adverse-reaction", nextDue: "2024-03-15" });
    const comp = programmeEntries(
      htn,
      [bpV("2024-03-01", 120, 70, { formClass: "complication" })],
      pack,
      "2024-03-02",
    );
    expect(find(comp, "hypertension")).toMatchObject({ lastVisitClass: "complication", refer: true });
    expect(find(comp, "referral")?.nextDue).toBe("2024-03-15");
  });
  it("a form for diabetes only does not classify the hypertension visit", () => {
    const p = { birthDate: "1970-03-02", categories: ["hypertension", "diabetes"] };
    const v = bpV("2024-03-01", 150, 95, { formClass: "controlled", formProgrammes: ["diabetes"] });
    const es = programmeEntries(p, [v], pack, "2024-03-02");
    expect(find(es, "hypertension")?.lastVisitClass).toBe("uncontrolled");
    expect(find(es, "diabetes")?.lastVisitClass).toBe("controlled");
  });
  it("an unknown class from a newer form is kept and gets the short interval (ADR 0003)", () => {
    const e = find(
      programmeEntries(htn, [bpV("2024-03-01", 120, 70, { formClass: "new-class" })], pack, "2024-03-02"),
      "hypertension",
    )!;
    expect(e).toMatchObject({ lastVisitClass: "new-class", nextDue: "2024-03-15" });
  });
  it("diabetes: fasting 6.9 controlled, 7.0 uncontrolled", () => {
    const g = (mmolL: number) => visit("2024-03-01", { glucose: { mmolL, sampleType: "fasting" } });
    expect(find(programmeEntries(dm, [g(6.9)], pack, "2024-03-02"), "diabetes")!.lastVisitClass).toBe(
      "controlled",
    );
    expect(find(programmeEntries(dm, [g(7.0)], pack, "2024-03-02"), "diabetes")!.lastVisitClass).toBe(
      "uncontrolled",
    );
  });
  it("no visit yet → due 1 January of the year; overdue counts from there", () => {
    const e = find(programmeEntries(htn, [], pack, "2024-01-31"), "hypertension")!;
    expect(e).toMatchObject({
      nextDue: "2024-01-01",
      overdueDays: 30,
      lastVisitClass: null,
      visitsThisYear: 0,
    });
  });
  it("the form's next-visit date and the assessment's recheck date bring it forward, never later", () => {
    const v = bpV("2024-03-01", 120, 70, { formClass: "controlled", formNextVisit: "2024-04-01" });
    expect(find(programmeEntries(htn, [v], pack, "2024-03-02"), "hypertension")!.nextDue).toBe("2024-04-01");
    const late = bpV("2024-03-01", 120, 70, { formClass: "controlled", formNextVisit: "2024-09-01" });
    expect(find(programmeEntries(htn, [late], pack, "2024-03-02"), "hypertension")!.nextDue).toBe(
      "2024-05-31",
    );
  });
});

describe("referral", () => {
  it("an urgent referral is followed up within 14 days and is high risk; a later visit closes it", () => {
    const v = bpV("2024-03-01", 182, 100, { urgentReferral: true });
    const e = find(
      programmeEntries({ birthDate: "1980-01-01", categories: [] }, [v], pack, "2024-03-15"),
      "referral",
    )!;
    expect(e).toMatchObject({ nextDue: "2024-03-15", overdueDays: 0, highRisk: true });
    expect(
      find(
        programmeEntries({ birthDate: "1980-01-01", categories: [] }, [v], pack, "2024-03-16"),
        "referral",
      )!.overdueDays,
    ).toBe(1);
    const closed = programmeEntries(
      { birthDate: "1980-01-01", categories: [] },
      [v, visit("2024-03-10")],
      pack,
      "2024-03-20",
    );
    expect(find(closed, "referral")).toBeUndefined();
  });
  it("visits after the as-of date are ignored", () => {
    const v = bpV("2024-03-01", 182, 100, { urgentReferral: true });
    const es = programmeEntries(
      { birthDate: "1980-01-01", categories: [] },
      [v, visit("2024-04-10")],
      pack,
      "2024-03-20",
    );
    expect(find(es, "referral")).toBeDefined();
  });
});

describe("high risk (Simple, adapted)", () => {
  it("needs ≥30 days overdue and a sign: BP ≥180/110 at 30 days yes, at 29 days no, 179/109 no", () => {
    const v = [bpV("2024-01-01", 180, 100)];
    // routine? no: 180 is uncontrolled → due 2024-01-15; 30 days overdue on 2024-02-14.
    expect(find(programmeEntries(htn, v, pack, "2024-02-14"), "hypertension")!.highRisk).toBe(true);
    expect(find(programmeEntries(htn, v, pack, "2024-02-13"), "hypertension")!.highRisk).toBe(false);
    expect(
      find(programmeEntries(htn, [bpV("2024-01-01", 179, 109)], pack, "2024-02-14"), "hypertension")!
        .highRisk,
    ).toBe(false);
  });
  it("sorts high risk first, then most overdue, then soonest due", () => {
    const mk = (highRisk: boolean, overdueDays: number, nextDue: string): ProgrammeEntry => ({
      programme: "hypertension",
      highRisk,
      overdueDays,
      nextDue,
      reasons: [],
    });
    const list = [
      mk(false, 50, "2024-01-01"),
      mk(true, 31, "2024-01-20"),
      mk(false, 0, "2024-03-01"),
      mk(false, 0, "2024-02-01"),
    ];
    expect([...list].sort(byPriority).map((e) => `${e.highRisk}/${e.overdueDays}/${e.nextDue}`)).toEqual([
      "true/31/2024-01-20",
      "false/50/2024-01-01",
      "false/0/2024-02-01",
      "false/0/2024-03-01",
    ]);
  });
});
