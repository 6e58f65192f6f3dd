/**
 * Coverage as a CSV file for the county (UTF-8 with BOM, so Excel on a county PC reads the
 * Chinese), and as a slip for the station's ESC/POS printer (the driver encodes GBK).
 */
import type { Slip } from "../../drivers/types.js";
import type { Coverage, Indicator, IndicatorId } from "./coverage.js";

export const INDICATOR_TEXT: Record<IndicatorId, { zh: string; en: string }> = {
  "annual-checkup-65": { zh: "65岁以上年度体检", en: "Annual check-up, 65+" },
  "annual-checkup-roster": { zh: "名单人员年度体检", en: "Annual check-up, roster" },
  "hypertension-managed": { zh: "高血压规范管理", en: "Hypertension managed" },
  "diabetes-managed": { zh: "糖尿病规范管理", en: "Diabetes managed" },
  "bp-controlled": { zh: "血压控制", en: "BP controlled" },
  "referral-14d": { zh: "转诊14天内随访", en: "Referrals followed in 14 days" },
};

const pct = (r: number | null) => (r === null ? "" : (r * 100).toFixed(1));

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function coverageCsv(c: Coverage, stationId: string): string {
  const rows: string[][] = [
    [
      "station",
      "village",
      "period",
      "indicator",
      "indicator_zh",
      "numerator",
      "denominator",
      "percent",
      "target_percent",
      "met",
    ],
  ];
  for (const scope of [c.station, ...c.villages])
    for (const [period, list] of [
      [c.month, scope.month],
      [c.year, scope.year],
    ] as const)
      for (const i of list as Indicator[])
        rows.push([
          stationId,
          scope.village || "(全站 station)",
          period,
          i.id,
          INDICATOR_TEXT[i.id].zh,
          String(i.numerator),
          String(i.denominator),
          pct(i.ratio),
          i.target === null ? "" : String(i.target * 100),
          i.met === null ? "" : i.met ? "yes" : "no",
        ]);
  return `\uFEFF${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** The station's figures for the year and month; villages one line each for the year. */
export function coverageSlip(c: Coverage, clinicName: string): Slip {
  const lines: Slip["lines"] = [
    { text: clinicName, align: "center" },
    { text: `覆盖率 ${c.asOf}`, align: "center", bold: true },
  ];
  const line = (i: Indicator) =>
    `${INDICATOR_TEXT[i.id].zh} ${i.numerator}/${i.denominator} ${i.ratio === null ? "-" : `${pct(i.ratio)}%`}${i.target === null ? "" : ` (目标${i.target * 100}%)`}`;
  lines.push({ text: `${c.year}年`, bold: true });
  for (const i of c.station.year) lines.push({ text: line(i) });
  lines.push({ text: `${c.month}月`, bold: true });
  for (const i of c.station.month) lines.push({ text: line(i) });
  for (const v of c.villages) {
    lines.push({ text: v.village || "(名单外)", bold: true });
    for (const i of v.year) if (i.denominator > 0) lines.push({ text: line(i) });
  }
  return { title: "覆盖率 Coverage", lines };
}
