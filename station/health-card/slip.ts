/**
 * The health-card slip (pure). It leaves the clinic with the villager: masked name, never the
 * ID number. The printer driver encodes it (ESC/POS, GBK).
 */
import type { Slip } from "../../drivers/types.js";
import type { HealthCard, Trend } from "./types.js";

const TREND_ZH: Record<Trend, string> = {
  better: "比上次好一些",
  same: "和上次差不多",
  worse: "比上次差一些",
  none: "没有上次的记录",
  "not-comparable": "和上次测的时间不同，不能直接比",
};
const DUE_ZH: Record<string, string> = {
  "annual-checkup": "年度免费体检",
  hypertension: "高血压随访",
  diabetes: "糖尿病随访",
  referral: "转诊后复查",
};
const SAMPLE_ZH: Record<string, string> = { fasting: "空腹", random: "随机", postprandial: "餐后2小时" };

export interface HealthCardSlipContext {
  clinicName: string;
  localTime: string;
}

export function buildHealthCardSlip(card: HealthCard, ctx: HealthCardSlipContext): Slip {
  const lines: Slip["lines"] = [
    { text: ctx.clinicName, align: "center" },
    { text: `打印时间 ${ctx.localTime}` },
    { text: `姓名 ${card.person.name}  ${card.person.age}岁` },
  ];
  const { bp, glucose } = card.latest;
  if (bp) {
    lines.push({ text: `血压 ${bp.now.systolic}/${bp.now.diastolic} mmHg（${bp.now.date}）`, bold: true });
    lines.push({ text: `  ${TREND_ZH[bp.trend]}` });
  }
  if (glucose) {
    const s = SAMPLE_ZH[glucose.now.sampleType] ?? glucose.now.sampleType;
    lines.push({
      text: `血糖 ${glucose.now.mmolL.toFixed(1)} mmol/L ${s}（${glucose.now.date}）`,
      bold: true,
    });
    lines.push({ text: `  ${TREND_ZH[glucose.trend]}` });
  }
  if (!bp && !glucose) lines.push({ text: "本站还没有您的检查记录" });
  for (const d of card.due) {
    const when =
      d.status === "overdue" ? `已过期${d.daysOverdue}天` : d.daysLeft === 0 ? "今天到期" : `${d.dueDate}前`;
    lines.push({ text: `${DUE_ZH[d.kind] ?? d.kind}：${when}` });
  }
  if (card.rejectedCount > 0) lines.push({ text: `有${card.rejectedCount}条记录县平台未收，请找医生` });
  if (card.doctor) lines.push({ text: `家庭医生 ${card.doctor.name} ${card.doctor.phone}` });
  for (const t of card.entitlements.zh.slice(0, 4)) lines.push({ text: t });
  return { title: "健康卡", lines };
}
