import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { loadPolicyFile, readPolicyJson, samplePolicyPath } from "../../station/assessment/load-policy.js";
import { PolicyHolder, parsePolicyPack } from "../../station/assessment/policy-holder.js";
import { edit } from "./helpers.js";

const sampleRaw = () => structuredClone(readPolicyJson(samplePolicyPath())) as Record<string, unknown>;

describe("sample pack (示范县, from the Longchuan figures in seed 001)", () => {
  const pack = loadDefaultPolicy();

  it("validates and is marked fictional", () => {
    expect(parsePolicyPack(sampleRaw()).ok).toBe(true);
    expect(pack.county.fictional).toBe(true);
    expect(pack.county.name.zh).toContain("演示");
  });

  // 001 §2: 乡镇卫生院95%、县级90%、州市级75%、省级70%; 28 outpatient diseases at 80%.
  it("carries the Longchuan ratios and disease lists", () => {
    expect(pack.entitlements.inpatient.ratios).toEqual({
      township: 0.95,
      county: 0.9,
      prefecture: 0.75,
      provincial: 0.7,
    });
    expect(pack.entitlements.outpatientChronic.diseases).toHaveLength(28);
    expect(pack.entitlements.outpatientChronic.ratio).toBe(0.8);
    // 001 §6: 9 categories / 15 major diseases.
    const md = pack.entitlements.majorDiseases;
    expect(md.categories).toHaveLength(9);
    expect(md.categories.reduce((n, c) => n + c.diseases.length, 0)).toBe(15);
  });
});

describe("invalid packs", () => {
  it("lists every error with its path", () => {
    const raw = sampleRaw();
    edit(raw, "thresholds.referral.sbpAtLeast", 200); // later than the national rule
    edit(raw, "entitlements.inpatient.ratios.county", 1.5);
    delete (raw.advice as Record<string, unknown>)["topic.salt"];
    edit(raw, "followUp.annualCheckup.dueBy", "02-30");
    edit(raw, "followUp.chronic.peryear", 4); // misspelt key
    const r = parsePolicyPack(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const joined = r.errors.join("\n");
    expect(joined).toMatch(/^thresholds\.referral\.sbpAtLeast: /m);
    expect(joined).toMatch(/^entitlements\.inpatient\.ratios\.county: /m);
    expect(joined).toMatch(/^advice\.topic\.salt: missing text/m);
    expect(joined).toMatch(/^followUp\.annualCheckup\.dueBy: /m);
    expect(joined).toMatch(/^followUp\.chronic: .*peryear/m);
    expect(r.errors.length).toBeGreaterThanOrEqual(5);
  });

  it("rejects a group with no condition (it would mean everyone)", () => {
    const raw = sampleRaw();
    edit(raw, "entitlements.freeServices.0.who", [{}]);
    const r = parsePolicyPack(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^entitlements\.freeServices\.0\.who\.0: /);
  });

  it("rejects non-objects at the root", () => {
    expect(parsePolicyPack([])).toEqual({ ok: false, errors: ["(root): expected a JSON object"] });
  });
});

describe("PolicyHolder", () => {
  it("keeps the last good pack when a new one is invalid", () => {
    const holder = new PolicyHolder(loadDefaultPolicy());
    const next = sampleRaw();
    edit(next, "version", "2025.1");
    expect(holder.load(next).ok).toBe(true);
    expect(holder.current.version).toBe("2025.1");
    const broken = sampleRaw();
    edit(broken, "version", "2026.1");
    edit(broken, "thresholds.bpTargets.default.sbp", "140");
    const r = holder.load(broken);
    expect(r.ok).toBe(false);
    expect(holder.current.version).toBe("2025.1");
  });
});

describe("loadPolicyFile", () => {
  it("reads a pack from disk and reports JSON and schema errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "policy-"));
    const good = join(dir, "good.json");
    await writeFile(good, JSON.stringify(sampleRaw()));
    expect(loadPolicyFile(good).county.code).toBe("DEMO");
    const notJson = join(dir, "bad.json");
    await writeFile(notJson, "{ nope");
    expect(() => loadPolicyFile(notJson)).toThrow(/not valid JSON/);
    const invalid = join(dir, "invalid.json");
    await writeFile(invalid, JSON.stringify({ ...sampleRaw(), formatVersion: 9 }));
    expect(() => loadPolicyFile(invalid)).toThrow(/formatVersion/);
    expect(() => loadPolicyFile(join(dir, "missing.json"))).toThrow(/cannot read/);
  });
});
