/**
 * The soak's short run for CI: every fault kind (county config and roster pushes included) at
 * least once among 30 check-ups. The long run
 * (`npm run soak -- --checkups 2000`) and its figures are in docs/benchmarks.md.
 */
import { describe, expect, it } from "vitest";
import { FAULTS, runSoak } from "./soak-run.js";

describe("soak under faults (short)", () => {
  it("loses and duplicates nothing, leaves no backlog and no unreadable file", async () => {
    const lines: string[] = [];
    const r = await runSoak({ checkups: 30, faultEvery: 3, seed: 20261130, log: (l) => lines.push(l) });
    const context = JSON.stringify({ ...r, samples: r.samples.length, log: lines });
    for (const f of FAULTS) expect(r.faults[f], `${f} injected: ${context}`).toBeGreaterThan(0);
    expect(r.shownSaved.length, context).toBeGreaterThanOrEqual(25);
    expect(r.missing, context).toEqual([]);
    expect(r.duplicated, context).toEqual([]);
    expect(r.pendingLeft, context).toBe(0);
    expect(r.quarantined, context).toBe(0);
    expect(r.archiveCorrupt, context).toBe(0);
    expect(r.unparsable, context).toEqual([]);
    // The config and roster versions in force are the last good ones the county pushed.
    expect(r.fleet.configPushed, context).not.toBeNull();
    expect(r.fleet.rosterPushed, context).not.toBeNull();
    expect(r.fleet, context).toMatchObject({ consistent: true });
  }, 900_000);
});
