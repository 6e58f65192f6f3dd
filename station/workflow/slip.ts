/**
 * Lays out the check-up slip (pure). The printer driver encodes it (ESC/POS, GBK). The slip
 * leaves the clinic with the villager, so it carries a masked name and no ID number.
 */
import type { Slip } from "../../drivers/types.js";
import { maskName } from "../domain/id-number.js";
import type { AssessmentOutcome, Session } from "./types.js";
import { bpVerdict, glucoseIsLow, glucoseVerdict } from "./verdict.js";

/** The verdict words the screen shows (verdict.ts): a slip is not a diagnosis either. */
const VERDICT_ZH: Record<string, string> = { normal: "正常", raised: "偏高", high: "很高", danger: "危险" };
const SAMPLE_ZH: Record<string, string> = { fasting: "空腹", random: "随机", postprandial: "餐后2小时" };

export interface SlipContext {
  clinicName: string;
  stationId: string;
  /** Local date-time text, e.g. 2026-11-22 14:05. */
  localTime: string;
  doctor: { name: string; phone: string };
}

export function buildSlip(session: Session, outcome: AssessmentOutcome, ctx: SlipContext): Slip {
  const a = outcome.assessment;
  const reasons = a.referral.reasons;
  const lines: Slip["lines"] = [
    { text: ctx.clinicName, align: "center" },
    { text: `时间 ${ctx.localTime}`, align: "left" },
    { text: `姓名 ${maskName(session.person.name)}  ${session.age}岁`, align: "left" },
  ];
  if (a.bp) {
    lines.push({
      text: `血压 ${Math.round(a.bp.systolic)}/${Math.round(a.bp.diastolic)} mmHg`,
      size: "large",
      bold: true,
    });
    lines.push({
      text: `  ${VERDICT_ZH[bpVerdict(a.bp.systolic, a.bp.diastolic, reasons)]}${a.bp.readingsAveraged > 1 ? `（${a.bp.readingsAveraged}次测量的平均值）` : ""}`,
    });
  }
  const pulse = session.bpReadings.at(-1)?.pulse;
  if (pulse) lines.push({ text: `心率 ${Math.round(pulse)} 次/分` });
  if (a.glucose) {
    lines.push({ text: `血糖 ${a.glucose.mmolL.toFixed(1)} mmol/L`, size: "large", bold: true });
    lines.push({
      text: `  ${SAMPLE_ZH[a.glucose.sampleType] ?? a.glucose.sampleType} · ${glucoseIsLow(a.glucose.class, reasons) ? "太低，危险" : VERDICT_ZH[glucoseVerdict(a.glucose.class, reasons)]}`,
    });
  }
  if (a.referral.urgent) lines.push({ text: "！请马上找医生！", size: "large", bold: true, align: "center" });
  // The referral text is for the doctor the villager is sent to; the kiosk screen does not show it.
  if (outcome.doctorAlert) lines.push({ text: `转诊说明：${outcome.doctorAlert.zh}` });
  lines.push({ text: outcome.villagerAction.zh });
  for (const adv of outcome.advice.slice(0, 4)) lines.push({ text: `· ${adv.zh}` });
  if (a.followUpDue) lines.push({ text: `下次随访 ${a.followUpDue}` });
  lines.push({ text: `家庭医生 ${ctx.doctor.name} ${ctx.doctor.phone}` });
  lines.push({ text: `记录号 ${session.recordId.slice(-12)}` });
  return { title: "健康检查小票", lines, qr: session.recordId };
}
