// health-station export / followup (issue 10 §6) on the demo roster's people, through a real file store.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runExport } from "../../station/cli/export-person.js";
import { runFollowup } from "../../station/cli/followup.js";
import { loadRoster } from "../../station/roster/roster.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { projectRoot } from "../../station/util/project-root.js";
import { demoRecord } from "../doctor-lists/demo-records.js";

const roster = loadRoster(join(projectRoot(), "station/data/demo-roster.json"));
// 李光明, 演示四村, 65+, hypertension (demo roster).
const li = roster.get("510199195307043655")!;
// 杨金花, 65+, registered-poor, diabetes.
const yang = roster.get("510199194412213797")!;
const at = (day: string) => Date.parse(`${day}T09:00:00+08:00`);

async function cli(run: typeof runExport, argv: string[]) {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

async function demoStore() {
  const dir = await mkdtemp(join(tmpdir(), "hs-followup-"));
  const dataDir = join(dir, "data");
  const store = createFileStore({ dir: dataDir });
  await store.open();
  await store.save(demoRecord(li, { at: at("2026-03-02"), sbp: 152, dbp: 92, seq: 1 }));
  await store.save(demoRecord(yang, { at: at("2026-03-03"), sbp: 120, dbp: 70, glucose: 5.8, seq: 2 }));
  await store.save(demoRecord(li, { at: at("2026-03-16"), sbp: 148, dbp: 95, seq: 3 }));
  await store.close();
  const config = join(dir, "station.json");
  await writeFile(config, JSON.stringify({ version: 1, dataDir: "data" }));
  return { dir, config };
}

describe("health-station export and followup", () => {
  it("exports one person's records as a JSON array, and followup reads it: two uncontrolled → refer", async () => {
    const { dir, config } = await demoStore();
    const out = join(dir, "li.json");
    const ex = await cli(runExport, ["--person", li.idNumber, "--out", out, "--config", config]);
    expect(ex.code).toBe(0);
    const records = JSON.parse(await readFile(out, "utf8"));
    expect(records.map((r: { seq: number }) => r.seq)).toEqual([1, 3]);
    expect(records.every((r: { person: { idNumber: string } }) => r.person.idNumber === li.idNumber)).toBe(
      true,
    );

    const fu = await cli(runFollowup, ["--records", out, "--as-of", "2026-04-01"]);
    expect(fu.err).toBe("");
    expect(fu.code).toBe(0);
    const entries = JSON.parse(fu.out);
    expect(entries.map((e: { programme: string }) => e.programme)).toEqual([
      "annual-checkup",
      "hypertension",
      "referral",
    ]);
    expect(entries[0]).toMatchObject({ nextDue: "2027-11-30", overdueDays: 0 });
    expect(entries[1]).toMatchObject({
      lastVisitClass: "uncontrolled",
      refer: true,
      nextDue: "2026-03-30",
      overdueDays: 2,
    });
    expect(entries[2]).toMatchObject({
      programme: "referral",
      since: "2026-03-16",
      nextDue: "2026-03-30",
      overdueDays: 2,
    });
    for (const e of entries) for (const r of e.reasons) expect(r.source).not.toBe("");
  });

  it("a diabetes patient with fasting 5.8 is controlled; the county extra makes 8 visits a year", async () => {
    const { dir, config } = await demoStore();
    const out = join(dir, "yang.json");
    expect((await cli(runExport, ["--person", yang.idNumber, "--out", out, "--config", config])).code).toBe(
      0,
    );
    const entries = JSON.parse((await cli(runFollowup, ["--records", out, "--as-of", "2026-03-04"])).out);
    expect(entries.find((e: { programme: string }) => e.programme === "diabetes")).toMatchObject({
      lastVisitClass: "controlled",
      requiredThisYear: 8,
      nextDue: "2026-04-17",
      overdueDays: 0,
    });
  });

  it("refuses bad arguments, a bad ID number, a missing output folder and records of two people", async () => {
    const { dir, config } = await demoStore();
    expect((await cli(runExport, ["--person", li.idNumber])).code).toBe(2);
    expect((await cli(runExport, ["--person", "510199195307043656", "--out", "x.json"])).code).toBe(2);
    const missing = await cli(runExport, [
      "--person",
      li.idNumber,
      "--out",
      join(dir, "nope", "x.json"),
      "--config",
      config,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("folder does not exist");
    expect((await cli(runFollowup, ["--records", "x.json", "--as-of", "2026-02-30"])).code).toBe(2);
    const mixed = join(dir, "mixed.json");
    await writeFile(
      mixed,
      JSON.stringify([
        demoRecord(li, { at: at("2026-03-02"), sbp: 120, dbp: 80, seq: 1 }),
        demoRecord(yang, { at: at("2026-03-02"), sbp: 120, dbp: 80, seq: 2 }),
      ]),
    );
    const r = await cli(runFollowup, ["--records", mixed, "--as-of", "2026-04-01"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("exactly one person");
  });
});
