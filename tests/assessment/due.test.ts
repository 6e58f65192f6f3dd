import { describe, expect, it } from "vitest";
import { dueItems, dueList, nextDue, type Visit } from "../../station/assessment/due.js";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { idCheckChar } from "../../station/domain/id-number.js";

// Sources: 国家基本公共卫生服务规范（第三版） (annual check-up 65+, quarterly chronic follow-up);
// 000 §二(二) (4 extra follow-ups for registered-poor patients; referral followed up within 2 weeks);
// sample pack dueBy 11-30 (001 annex 2 #17 schedules the 65+ check-up for November).
const pack = loadDefaultPolicy();
const elder = { birthDate: "1950-03-02", categories: [] as string[] };
const kinds = (xs: Array<{ kind: string }>) => xs.map((x) => x.kind);

describe("annual check-up", () => {
  it("is due this year until dueBy, then overdue; nothing for a younger non-roster person", () => {
    expect(dueItems(elder, [], pack, "2024-05-01")).toEqual([
      { kind: "annual-checkup", windowStart: "2024-01-01", dueDate: "2024-11-30", status: "due" },
    ]);
    expect(dueItems(elder, [], pack, "2024-11-30")[0]?.status).toBe("due");
    expect(dueItems(elder, [], pack, "2024-12-01")[0]?.status).toBe("overdue");
    expect(dueItems({ birthDate: "1980-01-01", categories: [] }, [], pack, "2024-05-01")).toEqual([]);
  });

  it("is per calendar year: a check-up last December does not count for this year", () => {
    const h: Visit[] = [{ date: "2023-12-20", kind: "checkup" }];
    expect(dueItems(elder, h, pack, "2024-01-05")[0]).toMatchObject({ dueDate: "2024-11-30", status: "due" });
    const done: Visit[] = [{ date: "2024-02-10", kind: "checkup" }];
    expect(dueItems(elder, done, pack, "2024-05-01")[0]).toMatchObject({
      windowStart: "2025-01-01",
      dueDate: "2025-11-30",
      status: "upcoming",
    });
  });

  it("applies to roster members of any age", () => {
    expect(
      kinds(dueItems({ birthDate: "1985-01-01", categories: ["subsistence"] }, [], pack, "2024-05-01")),
    ).toEqual(["annual-checkup"]);
  });

  it("gives someone who turns 65 after dueBy until 31 December", () => {
    const late = { birthDate: "1959-12-10", categories: [] };
    expect(dueItems(late, [], pack, "2024-12-15")[0]).toMatchObject({ dueDate: "2024-12-31", status: "due" });
  });
});

describe("chronic follow-up", () => {
  const htn = { birthDate: "1970-01-01", categories: ["hypertension"] };
  it("is every 91 days (4 a year), shown leadDays (14) ahead, overdue the day after", () => {
    const h: Visit[] = [{ date: "2024-01-10", kind: "followup" }];
    const at = (today: string) => dueItems(htn, h, pack, today)[0];
    expect(at("2024-03-26")).toMatchObject({ dueDate: "2024-04-10", status: "upcoming" });
    expect(at("2024-03-27")).toMatchObject({ status: "due", doneThisYear: 1, requiredThisYear: 4 });
    expect(at("2024-04-10")?.status).toBe("due");
    expect(at("2024-04-11")?.status).toBe("overdue");
  });

  it("adds the county's extra visits for registered-poor patients (8 a year → every 45 days)", () => {
    const poor = { ...htn, categories: ["diabetes", "registered-poor"] };
    const items = dueItems(poor, [{ date: "2024-01-10", kind: "followup" }], pack, "2024-01-20");
    const chronic = items.find((i) => i.kind === "chronic-followup");
    expect(chronic).toMatchObject({ dueDate: "2024-02-24", requiredThisYear: 8 });
  });

  it("comes sooner when the last visit set an earlier follow-up date", () => {
    const h: Visit[] = [{ date: "2024-03-01", kind: "followup", followUpDue: "2024-03-15" }];
    expect(dueItems(htn, h, pack, "2024-03-02")[0]?.dueDate).toBe("2024-03-15");
  });

  it("with no visit on record it is owed from 1 January", () => {
    expect(dueItems(htn, [], pack, "2024-01-10")[0]).toMatchObject({
      dueDate: "2024-01-01",
      status: "overdue",
    });
  });
});

describe("referral follow-up", () => {
  const h: Visit[] = [
    { date: "2024-04-01", kind: "checkup", urgentReferral: true, followUpDue: "2024-04-15" },
  ];
  const young = { birthDate: "1980-01-01", categories: [] };
  it("is due within 14 days and overdue after", () => {
    expect(dueItems(young, h, pack, "2024-04-15")).toEqual([
      { kind: "referral-followup", windowStart: "2024-04-02", dueDate: "2024-04-15", status: "due" },
    ]);
    expect(dueItems(young, h, pack, "2024-04-16")[0]?.status).toBe("overdue");
  });
  it("is closed by any later visit", () => {
    const closed = [...h, { date: "2024-04-10", kind: "followup" as const }];
    expect(dueItems(young, closed, pack, "2024-04-20")).toEqual([]);
  });
  it("ignores visits dated after today (a wrong clock must not close a referral)", () => {
    const future = [...h, { date: "2024-06-01", kind: "followup" as const }];
    expect(kinds(dueItems(young, future, pack, "2024-04-20"))).toEqual(["referral-followup"]);
  });
});

/** A valid resident ID for a birth date (region 510100, sequence 123). */
function idFor(birth: string): string {
  const first17 = `510100${birth.replaceAll("-", "")}123`;
  return first17 + idCheckChar(first17);
}

describe("dueList for a roster", () => {
  it("splits due and overdue, sorted by due date, and skips bad ID numbers", () => {
    const a = idFor("1950-03-02");
    const b = idFor("1970-01-01");
    const c = idFor("1990-01-01");
    const roster = [
      { idNumber: a, name: "甲", village: "一村", categories: [] },
      { idNumber: b, name: "乙", village: "二村", categories: ["hypertension"] },
      { idNumber: c, name: "丙", village: "二村", categories: [] },
      { idNumber: "123", name: "丁", village: "三村", categories: ["registered-poor"] },
    ];
    const history = new Map<string, Visit[]>([[b, [{ date: "2024-01-10", kind: "followup" }]]]);
    const l = dueList(roster, history, pack, "2024-05-01");
    expect(l.overdue.map((e) => [e.name, e.kind, e.dueDate])).toEqual([
      ["乙", "chronic-followup", "2024-04-10"],
    ]);
    expect(l.due.map((e) => [e.name, e.kind])).toEqual([["甲", "annual-checkup"]]);
    expect(l.skipped).toEqual([{ idNumber: "123", reason: "invalid ID number (format)" }]);
    // Plain-object history works too.
    expect(
      dueList(roster.slice(1, 2), { [b]: [{ date: "2024-04-20", kind: "followup" }] }, pack, "2024-05-01")
        .overdue,
    ).toEqual([]);
  });

  it("nextDue is the earliest due date", () => {
    const items = dueItems(
      { birthDate: "1950-03-02", categories: ["hypertension"] },
      [{ date: "2024-04-01", kind: "followup" }],
      pack,
      "2024-04-02",
    );
    expect(nextDue(items)).toBe("2024-07-01");
    expect(nextDue([])).toBeNull();
  });
});
