import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseIdNumber } from "../../station/domain/id-number.js";
import { loadRoster } from "../../station/roster/roster.js";

const DEMO = join(import.meta.dirname, "../../station/data/demo-roster.json");

describe("demo roster", () => {
  const roster = loadRoster(DEMO);
  it("is synthetic, has at least 1,000 villagers, every ID valid", () => {
    expect(roster.synthetic).toBe(true);
    expect(roster.size).toBeGreaterThanOrEqual(1000);
    for (const p of roster.all()) expect(parseIdNumber(p.idNumber).ok).toBe(true);
  });
  it("covers every category the issue names", () => {
    const cats = new Set(roster.all().flatMap((p) => p.categories));
    for (const c of ["registered-poor", "subsistence", "age65", "hypertension", "diabetes"])
      expect(cats.has(c)).toBe(true);
  });
  it("looks people up by ID and searches by name", () => {
    const first = roster.all()[0]!;
    expect(roster.get(first.idNumber)?.name).toBe(first.name);
    expect(roster.get("11010519491231002X")).toBeNull();
    expect(roster.search(first.name, 5).some((p) => p.idNumber === first.idNumber)).toBe(true);
  });
});

describe("roster validation", () => {
  it("refuses an invalid roster with paths", () => {
    const dir = mkdtempSync(join(tmpdir(), "roster-"));
    const f = join(dir, "r.json");
    writeFileSync(
      f,
      JSON.stringify({
        version: 1,
        county: "x",
        people: [{ idNumber: "110105194912310021", name: "", village: "v", categories: [] }],
      }),
    );
    expect(() => loadRoster(f)).toThrow(/people\.0\.idNumber.*\n.*people\.0\.name/s);
  });
  it("refuses duplicate people", () => {
    const dir = mkdtempSync(join(tmpdir(), "roster-"));
    const f = join(dir, "r.json");
    const p = { idNumber: "11010519491231002X", name: "李", village: "v", categories: [] };
    writeFileSync(f, JSON.stringify({ version: 1, county: "x", people: [p, p] }));
    expect(() => loadRoster(f)).toThrow(/twice/);
  });
});
