import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPolicyJson, samplePolicyPath } from "../../station/assessment/load-policy.js";
import { runAssess } from "../../station/cli/assess.js";
import { edit } from "./helpers.js";

async function cli(argv: string[]) {
  let out = "";
  let err = "";
  const code = await runAssess(argv, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    today: "2024-05-01",
  });
  return { code, out, err, json: out.startsWith("{") ? JSON.parse(out) : null };
}

describe("health-station assess", () => {
  it("prints the classes, referral, advice keys and follow-up date as JSON", async () => {
    const r = await cli([
      "--sbp",
      "182",
      "--dbp",
      "95",
      "--pulse",
      "80",
      "--glucose",
      "6.3",
      "--sample",
      "fasting",
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.json.bp).toMatchObject({ class: "grade3", systolic: 182, diastolic: 95, grade: 3 });
    expect(r.json.glucose).toEqual({ class: "impaired-fasting", mmolL: 6.3, sampleType: "fasting" });
    expect(r.json.referral).toEqual({ urgent: true, reasons: ["sbp-severe"] });
    expect(r.json.adviceKeys[0]).toBe("referral.urgent");
    expect(r.json.followUpDue).toBe("2024-05-15");
    expect(r.json.policyVersion).toBe("DEMO/2024.1");
  });

  it("applies categories and age to targets (diabetic 130/80)", async () => {
    const r = await cli(["--sbp", "134", "--dbp", "70", "--category", "diabetes", "--age", "66"]);
    expect(r.json.bp.class).toBe("high-normal");
    expect(r.json.adviceKeys).toContain("bp.above-target");
  });

  it("shows the fault, not a class, for an implausible reading", async () => {
    const r = await cli(["--sbp", "90", "--dbp", "120"]);
    expect(r.code).toBe(0);
    expect(r.json.bp).toBeNull();
    expect(r.json.faults[0].code).toBe("bp-implausible");
  });

  it.each([
    [["--dbp", "80"], /--sbp and --dbp are required/],
    [["--sbp", "12x", "--dbp", "80"], /--sbp must be a number/],
    [["--sbp", "120", "--dbp", "80", "--glucose", "5"], /--glucose and --sample go together/],
    [["--sbp", "120", "--dbp", "80", "--glucose", "5", "--sample", "bedtime"], /--sample must be one of/],
    [["--sbp", "120", "--dbp", "80", "--age", "6.5"], /--age must be a whole number/],
    [["--sbp", "120", "--dbp", "80", "--colour", "red"], /Unknown option/],
    [["--sbp", "120", "--dbp", "80", "extra"], /unexpected argument/],
  ])("exits 2 with a clear message for %j", async (argv, msg) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(msg);
    expect(r.err).toContain("usage:");
  });

  it("uses a pack given with --policy, and exits 1 listing every error of a broken one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "assess-cli-"));
    const raw = readPolicyJson(samplePolicyPath()) as Record<string, unknown>;
    const good = join(dir, "good.json");
    await writeFile(good, JSON.stringify({ ...raw, version: "2030.2" }));
    expect((await cli(["--policy", good, "--sbp", "120", "--dbp", "80"])).json.policyVersion).toBe(
      "DEMO/2030.2",
    );

    edit(raw, "thresholds.referral.dbpAtLeast", 130);
    edit(raw, "followUp.referralDays", 30);
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify(raw));
    const r = await cli(["--policy", bad, "--sbp", "120", "--dbp", "80"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/2 error\(s\)/);
    expect(r.err).toContain("thresholds.referral.dbpAtLeast:");
    expect(r.err).toContain("followUp.referralDays:");
  });

  it("prints usage with --help", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("usage: health-station assess");
  });
});
