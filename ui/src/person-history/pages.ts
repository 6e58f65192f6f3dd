/**
 * Splits a person's history into pages that fit the doctor's screen without scrolling: the
 * health card's summary pages, then the readings (rows per page by screen height), each
 * follow-up form, the referrals with what was done and the list outcomes as label–value lines,
 * and last the card's family-doctor and entitlement pages.
 */
import type {
  HistoryFollowUp,
  HistoryOutcome,
  HistoryReading,
  HistoryReferral,
  PersonHistory,
} from "../../../station/person-history/types.js";
import { DANGER, FU_SYMPTOMS } from "../doctor/texts.js";
import { type Page as CardPage, buildPages as cardPages } from "../health-card/pages.js";
import type { Lang } from "../i18n.js";
import { pt } from "./texts.js";

export type Line = [label: string, value: string];
export type HistoryPage =
  | { kind: "card"; page: CardPage }
  | { kind: "readings"; rows: HistoryReading[] }
  | { kind: "lines"; section: "follow-up" | "referrals" | "outcomes"; title: string; lines: Line[] };

/** Rows of the readings table and label–value lines a page holds: 4 at 800×480, 8 from 720 px high. */
export function perPage(viewportHeight: number): { readings: number; lines: number } {
  return viewportHeight >= 720 ? { readings: 8, lines: 7 } : { readings: 4, lines: 4 };
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const mmdd = (iso: string) => iso.slice(0, 10);

export function readingValue(r: HistoryReading, lang: Lang): string {
  if (r.kind === "bp")
    return `${r.systolic}/${r.diastolic} ${r.unit ?? "mmHg"}${r.pulse ? ` · ♥${r.pulse}` : ""}`;
  return `${r.mmolL?.toFixed(1)} mmol/L ${r.sampleType ? pt(lang, r.sampleType) : ""}`.trim();
}

export function readingSource(r: HistoryReading, lang: Lang): string {
  if (r.source === "manual")
    return `${pt(lang, "manual")}${r.manualReason ? ` · ${dtReason(r.manualReason, lang)}` : ""}`;
  return r.device || pt(lang, "device");
}

function dtReason(code: string, lang: Lang): string {
  const words: Record<string, [string, string]> = {
    "device-fault": ["设备故障", "device fault"],
    "device-missing": ["设备没连上", "not connected"],
    "other-device": ["别的设备", "other device"],
  };
  const w = words[code];
  return w ? w[lang === "zh" ? 0 : 1] : code;
}

export function referralReason(code: string, lang: Lang): string {
  if (code.startsWith("symptom:")) {
    const d = DANGER.find(([c]) => c === code.slice("symptom:".length));
    return d ? d[lang === "zh" ? 1 : 2] : code;
  }
  return pt(lang, `ref.${code}`);
}

function symptomLabel(code: string, lang: Lang): string {
  const s = FU_SYMPTOMS.find(([c]) => c === code);
  return s ? s[lang === "zh" ? 1 : 2] : code;
}

const sep = (lang: Lang) => (lang === "zh" ? "、" : ", ");

function followUpLines(f: HistoryFollowUp, lang: Lang): Line[] {
  const t = (k: string, p?: Record<string, string | number>) => pt(lang, k, p);
  const zh = lang === "zh";
  const mode: Record<string, [string, string]> = {
    clinic: ["门诊", "Clinic"],
    home: ["家庭", "Home"],
    phone: ["电话", "Phone"],
  };
  const adherence: Record<string, [string, string]> = {
    regular: ["规律", "Regular"],
    intermittent: ["间断", "Intermittent"],
    none: ["不服药", "None"],
  };
  const cls: Record<string, [string, string]> = {
    controlled: ["控制满意", "Controlled"],
    uncontrolled: ["控制不满意", "Not controlled"],
    "adverse-reaction": ["不良反应", "Adverse reaction"],
    complication: ["并发症", "Complication"],
  };
  const w = (m: Record<string, [string, string]>, k: string) => m[k]?.[zh ? 0 : 1] ?? k;
  const symptoms = [
    ...f.symptoms.map((s) => symptomLabel(s, lang)),
    ...(f.otherSymptom ? [f.otherSymptom] : []),
  ];
  return [
    [t("programmes"), `${f.programmes.map((p) => t(`programme.${p}`)).join(sep(lang))} · ${w(mode, f.mode)}`],
    [t("symptoms"), symptoms.length ? symptoms.join(sep(lang)) : t("none")],
    [
      t("adherence"),
      `${w(adherence, f.adherence)} · ${t("adverse")}${zh ? "：" : ": "}${f.adverseReaction ?? t("none")}`,
    ],
    [
      t("medicines"),
      f.medicines.length
        ? f.medicines
            .map((m) => `${m.name} ${m.dose} ${t("timesPerDay", { n: m.timesPerDay })}`)
            .join(sep(lang))
        : t("none"),
    ],
    [t("visitClass"), `${w(cls, f.visitClass)} · ${t("nextVisit")} ${f.nextVisit}`],
    [t("referral"), f.referral ? `${f.referral.reason} → ${f.referral.institution}` : t("none")],
    [t("doctor"), f.doctorId],
  ];
}

function outcomeText(o: HistoryOutcome, lang: Lang): string {
  const t = (k: string, p?: Record<string, string | number>) => pt(lang, k, p);
  return `${t(`outcome.${o.kind}`)}${o.reason ? ` · ${t(`reason.${o.reason}`)}` : ""} · ${o.doctorId}`;
}

function referralLines(r: HistoryReferral, lang: Lang): Line[] {
  const t = (k: string, p?: Record<string, string | number>) => pt(lang, k, p);
  return [
    [t("referralOn", { date: r.date }), r.reasons.map((c) => referralReason(c, lang)).join(sep(lang)) || "—"],
    [t("status"), r.closed ? t("closed") : t("statusOpen")],
    ...r.outcomes.map((o): Line => [`${t("followUps")} ${o.day}`, outcomeText(o, lang)]),
  ];
}

/** Keeps a block of lines (one referral) on one page when it fits. */
function packBlocks(blocks: Line[][], per: number): Line[][] {
  const pages: Line[][] = [];
  let page: Line[] = [];
  for (const b of blocks)
    for (const [i, line] of b.entries()) {
      if (page.length && (page.length >= per || (i === 0 && page.length + b.length > per))) {
        pages.push(page);
        page = [];
      }
      page.push(line);
    }
  if (page.length) pages.push(page);
  return pages;
}

export function historyPages(
  h: PersonHistory,
  lang: Lang,
  per: { readings: number; lines: number },
): HistoryPage[] {
  const t = (k: string, p?: Record<string, string | number>) => pt(lang, k, p);
  // The card's own summary first; its family-doctor and entitlement pages (the villager's) last.
  const card = cardPages(h.card, lang).map((page): HistoryPage => ({ kind: "card", page }));
  const tail = (p: HistoryPage) =>
    p.kind === "card" && (p.page.kind === "doctor" || p.page.kind === "entitlements");
  const pages: HistoryPage[] = card.filter((p) => !tail(p));
  const readings = chunks(h.readings, per.readings);
  for (const rows of readings.length ? readings : [[]]) pages.push({ kind: "readings", rows });
  for (const f of h.followUps)
    for (const lines of chunks(followUpLines(f, lang), per.lines))
      pages.push({
        kind: "lines",
        section: "follow-up",
        title: t("followUp", { date: mmdd(f.visitDate) }),
        lines,
      });
  for (const lines of packBlocks(
    h.referrals.map((r) => referralLines(r, lang)),
    per.lines,
  ))
    pages.push({ kind: "lines", section: "referrals", title: t("referrals"), lines });
  const outcomes = h.outcomes.map(
    (o): Line => [
      `${o.day} · ${t(`programme.${o.programme}`)}${o.due ? ` (${t("due", { date: o.due })})` : ""}`,
      outcomeText(o, lang),
    ],
  );
  for (const lines of chunks(outcomes, per.lines))
    pages.push({ kind: "lines", section: "outcomes", title: t("outcomes"), lines });
  return [...pages, ...card.filter(tail)];
}
