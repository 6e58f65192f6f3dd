/**
 * The health card's words, Simplified Chinese first. Kept beside the health card instead of in
 * i18n.ts; `en` is typed against `zh`, so a missing English text fails the type check.
 */
import { useT } from "../components/common.js";
import type { Lang } from "../i18n.js";

export const hcZh = {
  open: "查看健康档案",
  title: "我的健康档案",
  loading: "正在打开健康档案…",
  prevPage: "上一页",
  nextPage: "下一页",
  pageOf: "第{n}页/共{total}页",
  print: "打印健康卡",
  printing: "打印中…",
  printed: "已打印",
  tagsTitle: "我的情况",
  tagsNone: "没有特别的标记",
  visits: "本站共有{n}次检查记录",
  visitsNone: "本站还没有您的检查记录",
  rejected: "有{n}条记录县平台没有收下，请找医生看看",
  latestTitle: "最近一次和上次比",
  bp: "血压",
  glucose: "血糖",
  lastTime: "上次 {value}（{date}）",
  noneYet: "还没有测过",
  "trend-better": "比上次好一些",
  "trend-same": "和上次差不多",
  "trend-worse": "比上次差一些",
  "trend-none": "没有上次的记录",
  "trend-not-comparable": "上次是不同时间测的，不能直接比",
  chartBpTitle: "血压变化",
  chartGluTitle: "血糖变化",
  last12: "近12个月",
  olderYear: "◀ 往前一年",
  newerYear: "往后一年 ▶",
  yearLabel: "{year}年",
  systolic: "高压",
  diastolic: "低压",
  target: "绿色是目标范围",
  fasting: "● 空腹",
  nonFasting: "■ 饭后/随机",
  rejectedMark: "✕ 县平台退回",
  noPoints: "这段时间没有记录",
  dueTitle: "该做什么",
  "due-annual-checkup": "年度免费体检",
  "due-hypertension": "高血压随访",
  "due-diabetes": "糖尿病随访",
  "due-referral": "转诊后复查",
  overdueDays: "已经过期{n}天，请尽快找医生",
  dueToday: "今天就该做",
  dueIn: "还有{n}天（{date}前）",
  nothingDue: "现在没有要做的检查",
  doctorTitle: "我的家庭医生",
  callDoctor: "电话：{phone}",
  noDoctor: "还没有签约家庭医生，请问村医",
  stationDoctor: "有问题请找村卫生室的医生",
  entTitle: "我能享受的政策",
};

export type HcKey = keyof typeof hcZh;

export const hcEn: Record<HcKey, string> = {
  open: "Health card",
  title: "My health card",
  loading: "Opening your health card…",
  prevPage: "Previous",
  nextPage: "Next page",
  pageOf: "Page {n} of {total}",
  print: "Print my card",
  printing: "Printing…",
  printed: "Printed",
  tagsTitle: "About me",
  tagsNone: "Nothing special noted",
  visits: "{n} check-ups at this station",
  visitsNone: "No check-ups at this station yet",
  rejected: "{n} records were not accepted by the county; please ask the doctor",
  latestTitle: "Latest, compared with last time",
  bp: "Blood pressure",
  glucose: "Blood sugar",
  lastTime: "Last time {value} ({date})",
  noneYet: "Not measured yet",
  "trend-better": "Better than last time",
  "trend-same": "About the same as last time",
  "trend-worse": "Worse than last time",
  "trend-none": "No earlier record",
  "trend-not-comparable": "Last time was measured at a different time of day; not comparable",
  chartBpTitle: "Blood pressure over time",
  chartGluTitle: "Blood sugar over time",
  last12: "Last 12 months",
  olderYear: "◀ Year before",
  newerYear: "Year after ▶",
  yearLabel: "{year}",
  systolic: "Upper",
  diastolic: "Lower",
  target: "Green is the target",
  fasting: "● Fasting",
  nonFasting: "■ After a meal / any time",
  rejectedMark: "✕ Returned by county",
  noPoints: "No records in this period",
  dueTitle: "What to do next",
  "due-annual-checkup": "Free yearly check-up",
  "due-hypertension": "Blood pressure follow-up",
  "due-diabetes": "Diabetes follow-up",
  "due-referral": "Check after a referral",
  overdueDays: "{n} days overdue. Please see the doctor soon",
  dueToday: "Due today",
  dueIn: "In {n} days (by {date})",
  nothingDue: "Nothing is due now",
  doctorTitle: "My family doctor",
  callDoctor: "Phone: {phone}",
  noDoctor: "No family doctor signed yet. Ask the village doctor",
  stationDoctor: "Questions? Ask the clinic's doctor",
  entTitle: "What I am entitled to",
};

export type HcTranslate = (key: HcKey, params?: Record<string, string | number>) => string;

export function hcText(lang: Lang, key: HcKey, params?: Record<string, string | number>): string {
  const text = (lang === "zh" ? hcZh : hcEn)[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function useHc(): { lang: Lang; ht: HcTranslate } {
  const { lang } = useT();
  return { lang, ht: (key, params) => hcText(lang, key, params) };
}
