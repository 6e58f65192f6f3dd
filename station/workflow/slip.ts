/**
 * Lays out the check-up slip (pure). The printer driver encodes it (ESC/POS, GBK). The slip
 * leaves the clinic with the villager, so it carries a masked name and no ID number.
 */
import type { Slip } from "../../drivers/types.js";
import { maskName } from "../domain/id-number.js";
import type { AssessmentOutcome, Session } from "./types.js";

const BP_CLASS_ZH: Record<string, string> = {
  normal: "正常",
  "high-normal": "正常高值",
  grade1: "1级高血压",
  grade2: "2级高血压",
  grade3: "3级高血压",
  "isolated-systolic": "单纯收缩期高血压",
};
const GLU_CLASS_ZH: Record<string, string> = {
  hypoglycaemia: "低血糖",
  normal: "正常",
  "impaired-fasting": "空腹血糖受损",
  "diabetes-range": "偏高（糖尿病范围）",
};
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
      text: `  ${BP_CLASS_ZH[a.bp.class] ?? a.bp.class}${a.bp.readingsAveraged > 1 ? `（${a.bp.readingsAveraged}次平均）` : ""}`,
    });
  }
  const pulse = session.bpReadings.at(-1)?.pulse;
  if (pulse) lines.push({ text: `心率 ${Math.round(pulse)} 次/分` });
  if (a.glucose) {
    lines.push({ text: `血糖 ${a.glucose.mmolL.toFixed(1)} mmol/L`, size: "large", bold: true });
    lines.push({
      text: `  ${SAMPLE_ZH[a.glucose.sampleType] ?? a.glucose.sampleType} · ${GLU_CLASS_ZH[a.glucose.class] ?? a.glucose.class}`,
    });
  }
  if (a.referral.urgent) lines.push({ text: "！请马上找医生！", size: "large", bold: true, align: "center" });
  lines.push({ text: outcome.villagerAction.zh });
  for (const adv of outcome.advice.slice(0, 4)) lines.push({ text: `· ${adv.zh}` });
  if (a.followUpDue) lines.push({ text: `下次随访 ${a.followUpDue}` });
  lines.push({ text: `家庭医生 ${ctx.doctor.name} ${ctx.doctor.phone}` });
  lines.push({ text: `记录号 ${session.recordId.slice(-12)}` });
  return { title: "健康检查小票", lines, qr: session.recordId };
}
