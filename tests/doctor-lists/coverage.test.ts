// Coverage (issue 10 §4): targets from 001 §19 (standardised management ≥60%), 000 §二(二) (check-up
// 100%, referrals within 2 weeks), Simple.org's BP-controlled definition (care-notes.md).
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Coverage, Indicator } from "../../station/doctor-lists/coverage.js";
import type { FsLayer } from "../../station/storage/fs-layer.js";
import { nodeFs } from "../../station/storage/fs-layer.js";
import { writeFileAtomic } from "../../station/util/atomic-file.js";
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
const fig = (list: Indicator[], id: string) => {
  const i = list.find((x) => x.id === id)!;
  return `${i.numerator}/${i.denominator}`;
};
const station = (c: Coverage) => c.station;

describe("coverage", () => {
  it("counts the station and each village, year and month to date", async () => {
    const { lists } = await rig(roster, records(), "2026-04-01");
    const c = await lists.coverage();
    const y = station(c).year;
    expect(fig(y, "annual-checkup-65")).toBe("2/3");
    expect(fig(y, "annual-checkup-roster")).toBe("3/4");
    expect(fig(y, "hypertension-managed")).toBe("0/2");
    expect(fig(y, "diabetes-managed")).toBe("0/1");
    expect(fig(y, "referral-14d")).toBe("0/1");
    expect(y.find((i) => i.id === "annual-checkup-65")).toMatchObject({ target: 1, met: false });
    expect(fig(station(c).month, "annual-checkup-65")).toBe("0/3");
    expect(c.villages.map((v) => `${v.village}:${fig(v.year, "annual-checkup-roster")}`)).toEqual([
      "演示一村:1/1",
      "演示三村:1/1",
      "演示二村:0/1",
      "演示四村:1/1",
    ]);
  });

  it("standardised management needs 4 visits in the year: 3 no, 4 yes", async () => {
    const v = (d: string, seq: number) => demoRecord(li, { at: at(d), sbp: 130, dbp: 80, seq });
    const three = [v("2026-01-05", 1), v("2026-02-05", 2), v("2026-03-05", 3)];
    expect(
      fig(
        station(await (await rig([li], three, "2026-04-01")).lists.coverage()).year,
        "hypertension-managed",
      ),
    ).toBe("0/1");
    const four = [...three, v("2026-03-25", 4)];
    const c = await (await rig([li], four, "2026-04-01")).lists.coverage();
    expect(fig(station(c).year, "hypertension-managed")).toBe("1/1");
  });

  it("BP controlled (Simple): registered over 3 months ago, latest BP in the last 3 months <140/90", async () => {
    const run = async (first: string, last: string, sbp: number) => {
      const recs = [
        demoRecord(li, { at: at(first), sbp: 150, dbp: 95, seq: 1 }),
        demoRecord(li, { at: at(last), sbp, dbp: 85, seq: 2 }),
      ];
      return fig(station(await (await rig([li], recs, "2026-04-01")).lists.coverage()).year, "bp-controlled");
    };
    expect(await run("2025-12-31", "2026-03-01", 139)).toBe("1/1");
    expect(await run("2025-12-31", "2026-03-01", 140)).toBe("0/1");
    expect(await run("2026-01-01", "2026-03-01", 139)).toBe("0/0"); // registered exactly 3 months ago
    expect(await run("2025-10-01", "2026-01-01", 139)).toBe("0/1"); // no BP in the last 3 months
  });

  it("a referral counts as followed when the doctor acts within 14 days: day 14 yes, day 15 no", async () => {
    for (const [day, expected] of [
      ["2026-03-24", "1/1"],
      ["2026-03-25", "0/1"],
    ] as const) {
      const r = await rig(
        [zhao],
        [demoRecord(zhao, { at: at("2026-03-10"), sbp: 185, dbp: 112, seq: 1 })],
        day,
      );
      const key = (await r.lists.inbox())[0]!.key;
      await r.lists.recordOutcome({ entryKey: key, kind: "agreed" }, "doc-1");
      r.setToday("2026-04-01");
      expect(fig(station(await r.lists.coverage()).year, "referral-14d")).toBe(expected);
    }
  });
});

describe("coverage print and CSV export", () => {
  it("prints on the station printer and writes a CSV into the chosen folder, audited", async () => {
    const r = await rig(roster, records(), "2026-04-01");
    await r.lists.print("doc-1");
    expect(r.printed[0]!.lines.map((l) => l.text)).toContain("65岁以上年度体检 2/3 66.7% (目标100%)");
    const folder = await mkdtemp(join(tmpdir(), "hs-usb-"));
    const { file } = await r.lists.exportCsv(folder, "doc-1");
    expect(await readdir(folder)).toEqual(["coverage-demo-0001-2026-04-01.csv"]);
    const csv = await readFile(file, "utf8");
    expect(csv.startsWith("\uFEFFstation,village,period,indicator")).toBe(true);
    expect(csv).toContain("demo-0001,(全站 station),2026,annual-checkup-65,65岁以上年度体检,2,3,66.7,100,no");
    expect(csv).toContain("demo-0001,演示二村,2026,annual-checkup-roster,名单人员年度体检,0,1,0.0,100,no");
    expect(r.audit.map((a) => a.type)).toEqual(["coverage-printed", "coverage-exported"]);
  });

  it("a missing folder is a clear error and writes nothing", async () => {
    const r = await rig(roster, records(), "2026-04-01");
    const folder = join(await mkdtemp(join(tmpdir(), "hs-usb-")), "not-plugged-in");
    await expect(r.lists.exportCsv(folder, "doc-1")).rejects.toMatchObject({
      code: "export-folder-missing",
      message: expect.stringContaining("folder does not exist"),
    });
    expect(r.audit).toEqual([]);
  });

  it("a full folder (ENOSPC part-way through the write) leaves neither the file nor a temp", async () => {
    const folder = await mkdtemp(join(tmpdir(), "hs-usb-"));
    const full: FsLayer = {
      ...nodeFs,
      open: async (path, flags) => {
        const fh = await nodeFs.open(path, flags);
        return {
          ...fh,
          writeFile: async (data) => {
            await fh.writeFile(data.slice(0, 10)); // part of it lands, then the stick is full
            throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
          },
          close: fh.close,
          sync: fh.sync,
        };
      },
    };
    await expect(
      writeFileAtomic(join(folder, "c.csv"), "a,b\n1,2\n".repeat(100), full),
    ).rejects.toMatchObject({
      code: "export-folder-full",
    });
    expect(await readdir(folder)).toEqual([]);
  });
});
