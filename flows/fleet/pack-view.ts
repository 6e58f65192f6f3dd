/**
 * The dashboard's data-pack rollout (pure but for listing the county's packs folder): the form
 * read back (a file already on the county host, by name, from the packs folder: no upload of a
 * roster of thousands through the browser), and the latest pack rollout's progress per station,
 * paged, from `packRollout()` over the fleet state's answers and the stations' births.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { FleetState } from "./fleet-state.js";
import { type PackRolloutRow, type PackRolloutState, packRollout } from "./pack-rollout.js";

/** The packs county IT sends from the dashboard (summaries are made by `npm run fleet-summaries`). */
export const DASHBOARD_PACKS = ["roster", "policy", "doctors"] as const;

export interface PackFile {
  name: string;
  bytes: number;
}

/** Plain files in the packs folder, by name; a missing folder is an empty list. */
export function listPackFiles(dir: string): PackFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith("."))
    .flatMap((name) => {
      try {
        const s = statSync(join(dir, name));
        return s.isFile() ? [{ name, bytes: s.size }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function filesLine(dir: string, files: PackFile[]): string {
  const list = files.map((f) => `${f.name} (${Math.ceil(f.bytes / 1024)} KB)`).join(" · ");
  return `数据包文件夹 Packs folder ${dir}: ${list || "空 empty"}`;
}

/**
 * The pack form: `name` (roster, policy or doctors), `version` (a whole number above 0), `file` (a
 * file name listed in the packs folder: nothing outside it can be named) and `stations`
 * (comma-separated ids, or empty or `*` for every station the county knows).
 */
export function parsePackForm(
  payload: unknown,
  known: string[],
  files: PackFile[],
):
  | { ok: true; name: string; version: number; file: string; stations: string[] }
  | { ok: false; error: string } {
  const p = (payload ?? {}) as { name?: unknown; version?: unknown; file?: unknown; stations?: unknown };
  const name = String(p.name ?? "").trim();
  if (!(DASHBOARD_PACKS as readonly string[]).includes(name))
    return {
      ok: false,
      error: `数据包须为 roster、policy 或 doctors — pack must be roster, policy or doctors`,
    };
  const version = Number(p.version);
  if (!Number.isInteger(version) || version < 1)
    return { ok: false, error: "版本须为正整数 — version must be a whole number above 0" };
  const file = String(p.file ?? "").trim();
  if (!files.some((f) => f.name === file))
    return { ok: false, error: `文件夹中没有该文件 — no file "${file}" in the packs folder` };
  const list = String(p.stations ?? "")
    .split(/[\s,]+/)
    .filter(Boolean);
  const stations = list.length === 0 || (list.length === 1 && list[0] === "*") ? [...known].sort() : list;
  if (stations.length === 0) return { ok: false, error: "没有站点 — no stations" };
  return { ok: true, name, version, file, stations };
}

const LABEL: Record<PackRolloutState, string> = {
  applied: "已应用 applied",
  rejected: "已拒绝 rejected",
  failed: "失败 failed",
  receiving: "接收中 receiving",
  pending: "待定 pending",
};

export interface PackTableRow {
  stationId: string;
  state: string;
  reason: string;
}

const rowOf = (r: PackRolloutRow): PackTableRow => ({
  stationId: r.station,
  state:
    r.state === "receiving" && r.count ? `${LABEL.receiving} ${r.received ?? 0}/${r.count}` : LABEL[r.state],
  reason: r.reason ?? "",
});

/** The latest pack rollout: one line of counts, one page of rows and the page line. */
export function packRolloutView(
  fleet: FleetState,
  page: number,
  size: number,
): { line: string; rows: PackTableRow[]; pageLine: string; page: number } {
  const latest = fleet.rollouts().find((r) => r.kind === "pack");
  const m = latest ? /^pack:([^:]+):(\d+)$/.exec(latest.id) : null;
  if (!latest || !m) return { line: "尚无数据包下发 — no pack rollout yet", rows: [], pageLine: "", page: 0 };
  const name = m[1]!;
  const version = Number(m[2]);
  const r = packRollout({
    version,
    stations: latest.stations,
    answers: fleet.answers.get(latest.id),
    inForce: (s) => fleet.presence.get(s)?.birth?.packs[name],
  });
  const pages = Math.max(1, Math.ceil(r.rows.length / size));
  const p = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
  const c = r.counts;
  return {
    line:
      `${name} v${version}: ${LABEL.applied} ${c.applied} · ${LABEL.rejected} ${c.rejected} · ` +
      `${LABEL.failed} ${c.failed} · ${LABEL.receiving} ${c.receiving} · ${LABEL.pending} ${c.pending}`,
    rows: r.rows.slice(p * size, (p + 1) * size).map(rowOf),
    pageLine: `第 ${p + 1}/${pages} 页 · 共 ${r.rows.length} 站 — page ${p + 1} of ${pages}, ${r.rows.length} stations`,
    page: p,
  };
}
