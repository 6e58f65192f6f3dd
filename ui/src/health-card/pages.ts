/**
 * Splits the health card into pages that each fit the kiosk without scrolling. Text pages are
 * packed by a character budget (measured at 800×480, where 1rem ≈ 17.6 px); a longer sentence is
 * cut at list separators and continues on the next page.
 */
import type { HealthCard, Trend } from "../../../station/health-card/types.js";
import type { VoiceParam } from "../../../station/protocol.js";
import type { Lang } from "../i18n.js";

export type Page =
  | { kind: "tags" }
  | { kind: "latest" }
  | { kind: "chart-bp" }
  | { kind: "chart-glucose" }
  | { kind: "due" }
  | { kind: "doctor" }
  | { kind: "entitlements"; lines: string[] };

/** Characters per text page: about 8 lines of 1.15rem text at 800×480. */
export const PAGE_BUDGET: Record<Lang, number> = { zh: 180, en: 400 };

/** Cuts one sentence into pieces of at most `budget` characters, at 、/ ， / ", " where it can. */
export function cutLine(line: string, budget: number): string[] {
  if (line.length <= budget) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > budget) {
    const head = rest.slice(0, budget);
    const at = Math.max(
      head.lastIndexOf("、"),
      head.lastIndexOf("，"),
      head.lastIndexOf(", "),
      head.lastIndexOf("："),
    );
    const cut = at > budget / 3 ? at + 1 : budget;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** Packs lines into pages of at most `budget` characters (a line counts at least half a row). */
export function packLines(lines: readonly string[], budget: number, rowChars: number): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let used = 0;
  for (const piece of lines.flatMap((l) => cutLine(l, budget))) {
    // A short line still takes a whole row on screen.
    const cost = Math.max(piece.length, rowChars);
    if (page.length > 0 && used + cost > budget) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(piece);
    used += cost;
  }
  if (page.length) pages.push(page);
  return pages;
}

export function buildPages(card: HealthCard, lang: Lang): Page[] {
  const pages: Page[] = [{ kind: "tags" }, { kind: "latest" }];
  if (card.series.bp.length) pages.push({ kind: "chart-bp" });
  if (card.series.glucose.length) pages.push({ kind: "chart-glucose" });
  pages.push({ kind: "due" }, { kind: "doctor" });
  const rowChars = lang === "zh" ? 36 : 70;
  for (const lines of packLines(card.entitlements[lang], PAGE_BUDGET[lang], rowChars))
    pages.push({ kind: "entitlements", lines });
  return pages;
}

const TREND_KEY: Record<Trend, "better" | "same" | "worse" | "other"> = {
  better: "better",
  same: "same",
  worse: "worse",
  none: "other",
  "not-comparable": "other",
};

/** The voice key (and its structured parameters) for a page; see station/workflow/voice.ts. */
export function pageVoice(
  page: Page,
  card: HealthCard,
): { key: string; params: Record<string, VoiceParam> } | null {
  const { bp, glucose } = card.latest;
  const n = (
    value: number,
    more: Omit<Extract<VoiceParam, { kind: "number" }>, "kind" | "value"> = {},
  ): VoiceParam => ({
    kind: "number",
    value,
    ...more,
  });
  switch (page.kind) {
    case "tags":
      return { key: "health-card-open", params: { visits: n(card.visitCount) } };
    case "chart-bp":
      return bp
        ? {
            key: `health-card-bp-${TREND_KEY[bp.trend]}`,
            params: { sys: n(bp.now.systolic), dia: n(bp.now.diastolic, { unit: "mmHg" }) },
          }
        : null;
    case "chart-glucose":
      return glucose
        ? {
            key: `health-card-glucose-${TREND_KEY[glucose.trend]}`,
            params: { glucose: n(glucose.now.mmolL, { decimals: 1, unit: "mmolL" }) },
          }
        : null;
    case "due":
      return {
        key: "health-card-due",
        params: { overdue: n(card.due.filter((d) => d.status === "overdue").length) },
      };
    default:
      return null;
  }
}
