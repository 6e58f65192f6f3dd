// Due/overdue list, outcomes and the referral inbox (issue 10 §3) over a real file store.
// Rules: station/assessment/programmes.ts (sources there); outcome hide days from Simple.org
// (agreed 7, remind later 30; care-notes.md). Sample pack: leadDays 14, referralDays 14.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { DoctorLists } from "../../station/doctor-lists/index.js";
import { silentLogger } from "../../station/util/logger.js";
import { demoRecord } from "./demo-records.js";
import { at, demoRoster, rig } from "./helpers.js";

const li = demoRoster.get("510199195307043655")!; // 演示四村, 65+, hypertension
const yang = demoRoster.get("510199194412213797")!; // 演示一村, 65+, diabetes, registered-poor
const chen = demoRoster.get("510199193512129483")!; // 演示二村, 65+, registered-poor
const zhao = demoRoster.get("51019919620613881X")!; // 演示三村, 63, poor-disabled, hypertension
const roster = [li, yang, chen, zhao];
const records = () => [
  demoRecord(li, { at: at("2026-03-02"), sbp: 152, dbp: 92, seq: 1 }),
  demoRecord(yang, { at: at("2026-03-03"), sbp: 120, dbp: 70, glucose: 5.8, seq: 2 }),
  demoRecord(zhao, { at: at("2026-03-10"), sbp: 185, dbp: 112, seq: 3 }),
  demoRecord(li, { at: at("2026-03-16"), sbp: 148, dbp: 95, seq: 4 }),
];
const brief = (rows: Array<{ name: string; programme: string; overdueDays: number; highRisk: boolean }>) =>
  rows.map((r) => `${r.name}/${r.programme}/${r.overdueDays}${r.highRisk ? "/high" : ""}`);

describe("due and overdue list", () => {
  it("lists what is due within leadDays, urgent high risk first, then most overdue", async () => {
    const { lists } = await rig(roster, records(), "2026-04-01");
    const page = await lists.list({ pageSize: 10 });
    expect(brief(page.rows)).toEqual([
      "赵学文/referral/8/high",
      "赵学文/hypertension/8",
      "李光明/hypertension/2",
      "李光明/referral/2",
    ]);
    expect(page).toMatchObject({ total: 4, overdue: 4, highRisk: 1, pages: 1 });
    expect(page.rows[0]!.idMasked).not.toContain(zhao.idNumber.slice(6, 14));
  });

  it("searches by name or village and pages", async () => {
    const { lists } = await rig(roster, records(), "2026-04-01");
    expect(brief((await lists.list({ q: "演示四村" })).rows)).toEqual([
      "李光明/hypertension/2",
      "李光明/referral/2",
    ]);
    expect((await lists.list({ q: "赵学" })).total).toBe(2);
    expect((await lists.list({ q: "演示九村" })).total).toBe(0);
    const p2 = await lists.list({ pageSize: 3, page: 2 });
    expect(p2).toMatchObject({ page: 2, pages: 2, total: 4 });
    expect(brief(p2.rows)).toEqual(["李光明/referral/2"]);
  });

  it("the annual check-up appears leadDays (14) before dueBy: 11-16 yes, 11-15 no", async () => {
    const r = await rig([chen], [], "2026-11-15");
    expect((await r.lists.list({})).total).toBe(0);
    r.setToday("2026-11-16");
    expect(brief((await r.lists.list({})).rows)).toEqual(["陈建国/annual-checkup/0"]);
  });

  it("follows a newly saved record: a later visit closes li's referral", async () => {
    const { lists } = await rig(roster, records(), "2026-04-01");
    lists.onSaved(demoRecord(li, { at: at("2026-04-01"), sbp: 130, dbp: 80, seq: 5 }));
    expect(brief((await lists.list({ q: "李" })).rows)).toEqual([]);
  });
});

describe("outcomes", () => {
  it("agreed hides for 7 days (day 7 hidden, day 8 back); remind later for 30", async () => {
    const r = await rig(roster, records(), "2026-04-01");
    const key = (await r.lists.list({ q: "李" })).rows[0]!.key;
    await r.lists.recordOutcome({ entryKey: key, kind: "agreed" }, "doc-1");
    expect((await r.lists.list({ q: "李" })).rows.map((x) => x.key)).not.toContain(key);
    r.setToday("2026-04-07");
    expect((await r.lists.list({ q: "李" })).rows.map((x) => x.key)).not.toContain(key);
    r.setToday("2026-04-08");
    const back = (await r.lists.list({ q: "李" })).rows.find((x) => x.key === key)!;
    expect(back.lastOutcome).toEqual({ kind: "agreed", day: "2026-04-01" });
    await r.lists.recordOutcome({ entryKey: key, kind: "remind-later" }, "doc-1");
    r.setToday("2026-05-07");
    expect((await r.lists.list({ q: "李" })).rows.map((x) => x.key)).not.toContain(key);
    r.setToday("2026-05-08");
    expect((await r.lists.list({ q: "李" })).rows.map((x) => x.key)).toContain(key);
    expect(r.audit.map((a) => a.type)).toEqual(["outcome-recorded", "outcome-recorded"]);
    expect(JSON.stringify(r.audit)).not.toContain(li.idNumber);
  });

  it("unreachable keeps the entry; removed needs a reason; died takes the person off every list", async () => {
    const r = await rig(roster, records(), "2026-04-01");
    const [ref, htn] = (await r.lists.list({ q: "赵" })).rows;
    await r.lists.recordOutcome({ entryKey: htn!.key, kind: "unreachable" }, "doc-1");
    expect((await r.lists.list({ q: "赵" })).rows[1]!.lastOutcome?.kind).toBe("unreachable");
    await expect(
      r.lists.recordOutcome({ entryKey: "nobody|x|y", kind: "unreachable" }, "doc-1"),
    ).rejects.toThrow("no list entry");
    await r.lists.recordOutcome({ entryKey: ref!.key, kind: "removed", reason: "died" }, "doc-1");
    expect((await r.lists.list({ q: "赵" })).total).toBe(0);
    expect((await r.lists.inbox()).length).toBe(0);
  });

  it("outcomes are durable: a restarted station still hides the entry", async () => {
    const r = await rig(roster, records(), "2026-04-01");
    const key = (await r.lists.list({ q: "李" })).rows[0]!.key;
    await r.lists.recordOutcome({ entryKey: key, kind: "removed", reason: "refused" }, "doc-1");
    await r.lists.stop();
    const again = new DoctorLists({
      dataDir: join(r.dir, "data"),
      roster: () => roster,
      policy: loadDefaultPolicy,
      today: () => "2026-04-01",
      now: () => new Date(at("2026-04-01", 11)),
      stationId: "demo-0001",
      county: "demo-county",
      clinicName: "x",
      printer: () => null,
      audit: () => {},
      logger: silentLogger,
    });
    await again.start();
    expect((await again.list({ q: "李" })).rows.map((x) => x.key)).not.toContain(key);
    expect(again.outcomes.all()).toHaveLength(1);
    expect(again.outcomes.all()[0]).toMatchObject({ kind: "removed", reason: "refused", doctorId: "doc-1" });
    // On disk the person is the index's keyed hash: no ID number, not even inside an entry key.
    const onDisk = await readFile(join(r.dir, "data", "doctor-lists", "outcomes.json"), "utf8");
    const li = roster.find((p) => p.name.startsWith("李"))!;
    expect(key).toContain(li.idNumber);
    expect(onDisk).not.toContain(li.idNumber);
    expect(onDisk).not.toContain(li.idNumber.slice(6, 14));
  });
});

describe("referral inbox", () => {
  it("an urgent referral stays until a doctor records what happened (removed with a reason)", async () => {
    const r = await rig(roster, records(), "2026-04-01");
    const inbox = await r.lists.inbox();
    expect(inbox.map((x) => `${x.name}/${x.date}/${x.ageDays}`)).toEqual(["赵学文/2026-03-10/22"]);
    expect(inbox[0]!.reasons).toEqual(["sbp-severe", "dbp-severe"]);
    await r.lists.recordOutcome({ entryKey: inbox[0]!.key, kind: "agreed" }, "doc-1");
    // A later visit does not clear it either: only the doctor's record does.
    r.lists.onSaved(demoRecord(zhao, { at: at("2026-04-01"), sbp: 130, dbp: 80, seq: 9 }));
    expect((await r.lists.inbox())[0]!.lastOutcome?.kind).toBe("agreed");
    await r.lists.recordOutcome(
      { entryKey: inbox[0]!.key, kind: "removed", reason: "visited-elsewhere" },
      "doc-1",
    );
    expect(await r.lists.inbox()).toEqual([]);
  });
});
