/** The lists' data shapes as the server sends them, and the small rules the screens follow. */

export interface ListRow {
  key: string;
  idMasked: string;
  name: string;
  village: string;
  programme: string;
  nextDue: string;
  overdueDays: number;
  highRisk: boolean;
  lastVisitClass: string | null;
  lastOutcome: { kind: string; reason?: string; day: string } | null;
}
export interface ListPage {
  rows: ListRow[];
  total: number;
  page: number;
  pages: number;
  overdue: number;
  highRisk: number;
}
export interface InboxRow {
  key: string;
  idMasked: string;
  name: string;
  village: string;
  date: string;
  reasons: string[];
  ageDays: number;
  lastOutcome: ListRow["lastOutcome"];
}
export interface Indicator {
  id: string;
  numerator: number;
  denominator: number;
  ratio: number | null;
  target: number | null;
  met: boolean | null;
}
export interface ScopeCoverage {
  village: string;
  month: Indicator[];
  year: Indicator[];
}
export interface Coverage {
  asOf: string;
  month: string;
  year: string;
  station: ScopeCoverage;
  villages: ScopeCoverage[];
}

/** How the lists reach the server: the doctor console passes its session-aware request. */
export type ListsRequest = (method: "GET" | "POST", path: string, body?: unknown) => Promise<unknown>;

/** Same-origin fetch: the session cookie goes with it; errors carry the server's message. */
export const fetchRequest: ListsRequest = async (method, path, body) => {
  const res = await fetch(`/api/doctor/lists/${path}`, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { error?: string };
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
};

export const OUTCOMES = ["agreed", "remind-later", "unreachable", "removed"] as const;
export const REASONS = ["moved", "died", "refused", "visited-elsewhere"] as const;

/** Rows that fit the screen without scrolling: what is left after the frame, 4.2 rem per row. */
export function rowsThatFit(viewportHeight: number, remPx: number): number {
  const frame = 15 * remPx; // title bar, tabs, search, pager
  return Math.max(2, Math.min(12, Math.floor((viewportHeight - frame) / (4.2 * remPx))));
}

/** Rows of 3.9 rem with 0.25 rem gaps (doctor-lists.css) that fit a box `height` px high. */
export function rowsInBox(height: number, remPx: number): number {
  const gap = 0.25 * remPx;
  return Math.max(1, Math.min(12, Math.floor((height + gap) / (3.9 * remPx + gap))));
}

export function percent(r: number | null): string {
  return r === null ? "–" : `${(r * 100).toFixed(0)}%`;
}
