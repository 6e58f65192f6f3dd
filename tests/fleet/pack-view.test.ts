/** The dashboard's pack rollout: the form only names files in the packs folder; progress is paged. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { FleetState } from "../../flows/fleet/fleet-state.js";
import { listPackFiles, packRolloutView, parsePackForm } from "../../flows/fleet/pack-view.js";
import { answerPayload, fleetTopics } from "../../station/mqtt/fleet-contract.js";

const dir = mkdtempSync(join(tmpdir(), "hs-pack-view-"));
writeFileSync(join(dir, "roster.json"), "{}");
writeFileSync(join(dir, ".hidden"), "x");
mkdirSync(join(dir, "sub"));

it("lists plain files only, and the form accepts nothing but a listed file and a known pack", () => {
  const files = listPackFiles(dir);
  expect(files).toEqual([{ name: "roster.json", bytes: 2 }]);
  expect(listPackFiles(join(dir, "missing"))).toEqual([]);
  const ok = parsePackForm(
    { name: "roster", version: "4", file: "roster.json", stations: "" },
    ["b", "a"],
    files,
  );
  expect(ok).toEqual({ ok: true, name: "roster", version: 4, file: "roster.json", stations: ["a", "b"] });
  for (const bad of [
    { name: "roster", version: 4, file: "../roster.json" },
    { name: "roster", version: 4, file: join(dir, "roster.json") },
    { name: "roster", version: 4, file: "sub" },
    { name: "summaries", version: 4, file: "roster.json" },
    { name: "roster", version: 0, file: "roster.json" },
  ])
    expect(parsePackForm(bad, ["a"], files).ok, JSON.stringify(bad)).toBe(false);
});

it("shows the latest pack rollout per station, paged, from the answers and births", () => {
  const f = new FleetState("c1");
  const stations = Array.from({ length: 5 }, (_, i) => `s${i}`);
  f.configRollout(["s0"], 2, {}, 0);
  expect(packRolloutView(f, 0, 2).line).toMatch(/no pack rollout yet/);
  f.packRollout(stations, "roster", 6, Buffer.from("{}"), 0);
  const answer = (s: string, a: Parameters<typeof answerPayload>[0]) =>
    f.hear(fleetTopics.answer("c1", s), answerPayload(a, new Date()), 0);
  answer("s0", { id: "pack:roster:6", about: "pack", status: "applied" });
  answer("s1", { id: "pack:roster:6", about: "pack", status: "rejected", reason: "bad id" });
  answer("s2", { id: "pack:roster:6", about: "pack", status: "progress", result: { received: 1, count: 3 } });
  const v = packRolloutView(f, 0, 2);
  expect(v.line).toBe(
    "roster v6: 已应用 applied 1 · 已拒绝 rejected 1 · 失败 failed 0 · 接收中 receiving 1 · 待定 pending 2",
  );
  expect(v.rows).toEqual([
    { stationId: "s0", state: "已应用 applied", reason: "" },
    { stationId: "s1", state: "已拒绝 rejected", reason: "bad id" },
  ]);
  const last = packRolloutView(f, 99, 2);
  expect([last.page, last.pageLine]).toEqual([2, "第 3/3 页 · 共 5 站 — page 3 of 3, 5 stations"]);
  expect(last.rows.map((r) => r.stationId)).toEqual(["s4"]);
  expect(packRolloutView(f, 1, 2).rows[0]).toEqual({
    stationId: "s2",
    state: "接收中 receiving 1/3",
    reason: "",
  });
});
