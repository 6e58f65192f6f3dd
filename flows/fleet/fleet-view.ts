/**
 * What the county dashboard shows (pure): table rows and one-line texts made from the fleet state,
 * and the rollout form read back. Chinese first, English after, as on the station's screens.
 */
import type { CountyAlarm } from "./alarm-book.js";
import type { RolloutRow, RolloutStatus } from "./fleet-state.js";
import type { StationPresence } from "./presence.js";

const shortTime = (iso: string | null | undefined) => (iso ? iso.slice(0, 19).replace("T", " ") : "—");

export interface StationRow {
  stationId: string;
  state: string;
  lastSeen: string;
  software: string;
  config: string;
  packs: string;
  backlog: string;
  alarms: string;
}

export function stationRows(stations: StationPresence[], alarms: CountyAlarm[]): StationRow[] {
  const count = new Map<string, number>();
  for (const a of alarms) count.set(a.stationId, (count.get(a.stationId) ?? 0) + 1);
  return stations.map((s) => {
    const b = s.birth;
    const packs = b
      ? Object.entries(b.packs)
          .map(([k, v]) => `${k}:${v ?? "-"}`)
          .join(" ")
      : "";
    const n = count.get(s.stationId) ?? 0;
    return {
      stationId: s.stationId,
      state: s.online
        ? "在线 online"
        : s.offlineReason === "clean"
          ? "离线 offline (已停止 stopped)"
          : "离线 offline (失联 lost)",
      lastSeen: shortTime(s.lastSeenAt),
      software: b?.software ?? "—",
      config: b?.configVersion == null ? "—" : String(b.configVersion),
      packs: packs || "—",
      backlog: b
        ? `${b.backlog.count}${b.backlog.oldestAt ? ` (${shortTime(b.backlog.oldestAt)})` : ""}`
        : "—",
      alarms: n ? `${n}` : "0",
    };
  });
}

export function pageLine(page: number, pages: number, total: number, online: number): string {
  return `第 ${page + 1}/${pages} 页 · 共 ${total} 站 · 在线 ${online} — page ${page + 1} of ${pages}, ${total} stations, ${online} online`;
}

export interface AlarmRow {
  stationId: string;
  alarmId: string;
  severity: string;
  raisedAt: string;
  detail: string;
  acked: string;
  /** The button cell's label; a click acknowledges. */
  ack: string;
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

export function alarmRows(list: CountyAlarm[]): AlarmRow[] {
  return [...list]
    .sort(
      (a, b) =>
        (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
        a.stationId.localeCompare(b.stationId) ||
        a.id.localeCompare(b.id),
    )
    .map((a) => ({
      stationId: a.stationId,
      alarmId: a.id,
      severity: a.severity,
      raisedAt: a.raisedAt,
      detail: a.detail,
      acked: a.acked
        ? `已确认 acknowledged ${a.acked.by} ${shortTime(a.acked.at)}`
        : "未确认 not acknowledged",
      ack: a.acked ? "再次确认 Ack again" : "确认 Acknowledge",
    }));
}

const LABEL: Record<RolloutStatus, string> = {
  applied: "已应用 applied",
  rejected: "已拒绝 rejected",
  pending: "待定 pending",
};

export function rolloutLine(
  p: { rollout: { id: string } | null; counts: Record<RolloutStatus, number> } | null,
): string {
  if (!p?.rollout) return "尚无下发 — no rollout yet";
  const c = p.counts;
  return `${p.rollout.id}: ${LABEL.applied} ${c.applied} · ${LABEL.rejected} ${c.rejected} · ${LABEL.pending} ${c.pending}`;
}

/** A rollout row with its status in words (the table shows the label, the data keeps the status). */
export const rolloutRowLabel = (r: RolloutRow) => ({ ...r, status: LABEL[r.status] });

/**
 * The rollout form: `version` (a whole number above 0), `settings` (a JSON object of county-settable
 * keys; the station checks them against its own schema) and `stations` (comma-separated ids, or
 * empty or `*` for every station the county knows).
 */
export function parseRolloutForm(
  payload: unknown,
  known: string[],
):
  | { ok: true; version: number; settings: Record<string, unknown>; stations: string[] }
  | { ok: false; error: string } {
  const p = (payload ?? {}) as { version?: unknown; settings?: unknown; stations?: unknown };
  const version = Number(p.version);
  if (!Number.isInteger(version) || version < 1)
    return { ok: false, error: "版本须为正整数 — version must be a whole number above 0" };
  let settings: unknown;
  try {
    settings = typeof p.settings === "string" ? JSON.parse(p.settings) : p.settings;
  } catch (e) {
    return { ok: false, error: `设置不是 JSON — settings are not JSON: ${(e as Error).message}` };
  }
  if (!settings || typeof settings !== "object" || Array.isArray(settings))
    return { ok: false, error: "设置须为 JSON 对象 — settings must be a JSON object" };
  const list = String(p.stations ?? "")
    .split(/[\s,]+/)
    .filter(Boolean);
  const stations = list.length === 0 || (list.length === 1 && list[0] === "*") ? [...known].sort() : list;
  if (stations.length === 0) return { ok: false, error: "没有站点 — no stations" };
  return { ok: true, version, settings: settings as Record<string, unknown>, stations };
}
