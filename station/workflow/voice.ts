/** Voice prompt texts. Short, plain sentences: they are read aloud to elderly villagers. */
import type { VoiceParam } from "../protocol.js";
import type { Text, VoiceKey, VoiceParams } from "./types.js";

export const VOICE: Record<VoiceKey, Text> = {
  welcome: { zh: "您好，请把身份证放在读卡器上。", en: "Hello. Please place your ID card on the reader." },
  "confirm-identity": { zh: "请看屏幕，确认是不是您本人。", en: "Please check the screen: is this you?" },
  consent: {
    zh: "我们要给您量血压和血糖，结果会保存到县里的健康档案。您同意吗？",
    en: "We will measure your blood pressure and blood sugar and save the results to the county health record. Do you agree?",
  },
  "bp-ready": {
    zh: "请坐好，把袖带套在左上臂，然后按血压计上的开始键。",
    en: "Please sit down, put the cuff on your left upper arm, and press start on the monitor.",
  },
  "bp-repeat": {
    zh: "血压有点高，请休息一下，我们再量一次。",
    en: "Your blood pressure is a little high. Please rest; we will measure again.",
  },
  "bp-fault": {
    zh: "这次没有量好，请按屏幕提示再试一次。",
    en: "That measurement did not work. Please follow the screen and try again.",
  },
  "glucose-sample-type": {
    zh: "请告诉我们，您现在是空腹，还是饭后？",
    en: "Please tell us: have you eaten, or are you fasting?",
  },
  "glucose-ready": {
    zh: "请把试纸插进血糖仪，采血后滴在试纸上。",
    en: "Insert a strip into the meter, then put a drop of blood on it.",
  },
  "glucose-fault": {
    zh: "血糖没有测好，请换一张新试纸再试。",
    en: "The glucose test did not work. Please use a new strip and try again.",
  },
  "result-normal": {
    zh: "检查完了，结果正常。请拿好打印的小票。",
    en: "All done. Your results are normal. Please take your printed slip.",
  },
  "result-abnormal": {
    zh: "检查完了，有的结果偏高，请看屏幕上的建议，并告诉医生。",
    en: "All done. Some results are high. Please read the advice and tell your doctor.",
  },
  "result-urgent": {
    zh: "请马上找医生！您的结果需要尽快看医生。",
    en: "Please see the doctor now! Your results need urgent attention.",
  },
  "save-failed": {
    zh: "结果还没有保存好，请找医生帮忙。请不要离开。",
    en: "Your result is not saved yet. Please ask the doctor for help, and do not leave.",
  },
  "card-rejected": {
    zh: "这张卡不能用，请找医生帮您登记。",
    en: "This card cannot be used. Please ask the doctor to register you.",
  },
  goodbye: { zh: "谢谢，再见。", en: "Thank you. Goodbye." },
  // Health card (station/health-card). Parameters are structured (VoiceParam): {visits} and
  // {overdue} counts, {sys} {dia} mmHg, {glucose} mmol/L. The comparison with last time is in
  // the key (better / same / worse / other), so every word of it has a recorded clip.
  "health-card-open": {
    zh: "这是您的健康档案，共有{visits}次记录。请按下一页查看。",
    en: "This is your health card, with {visits} records. Press next page to read on.",
  },
  "health-card-bp-better": {
    zh: "图上是您的血压。最近一次是{sys}比{dia}，比上次好一些。绿色区域是目标范围。",
    en: "The chart shows your blood pressure. The latest was {sys} over {dia}, better than last time. The green band is the target.",
  },
  "health-card-bp-same": {
    zh: "图上是您的血压。最近一次是{sys}比{dia}，和上次差不多。绿色区域是目标范围。",
    en: "The chart shows your blood pressure. The latest was {sys} over {dia}, about the same as last time. The green band is the target.",
  },
  "health-card-bp-worse": {
    zh: "图上是您的血压。最近一次是{sys}比{dia}，比上次差一些，请告诉医生。绿色区域是目标范围。",
    en: "The chart shows your blood pressure. The latest was {sys} over {dia}, worse than last time; please tell the doctor. The green band is the target.",
  },
  "health-card-bp-other": {
    zh: "图上是您的血压。最近一次是{sys}比{dia}，没有可以比较的上次记录。绿色区域是目标范围。",
    en: "The chart shows your blood pressure. The latest was {sys} over {dia}; there is no earlier reading to compare with. The green band is the target.",
  },
  "health-card-glucose-better": {
    zh: "图上是您的血糖。最近一次是{glucose}，比上次好一些。绿色区域是空腹的目标范围。",
    en: "The chart shows your blood sugar. The latest was {glucose}, better than last time. The green band is the fasting target.",
  },
  "health-card-glucose-same": {
    zh: "图上是您的血糖。最近一次是{glucose}，和上次差不多。绿色区域是空腹的目标范围。",
    en: "The chart shows your blood sugar. The latest was {glucose}, about the same as last time. The green band is the fasting target.",
  },
  "health-card-glucose-worse": {
    zh: "图上是您的血糖。最近一次是{glucose}，比上次差一些，请告诉医生。绿色区域是空腹的目标范围。",
    en: "The chart shows your blood sugar. The latest was {glucose}, worse than last time; please tell the doctor. The green band is the fasting target.",
  },
  "health-card-glucose-other": {
    zh: "图上是您的血糖。最近一次是{glucose}，没有可以比较的上次记录。绿色区域是空腹的目标范围。",
    en: "The chart shows your blood sugar. The latest was {glucose}; there is no earlier reading of the same kind to compare with. The green band is the fasting target.",
  },
  "health-card-due": {
    zh: "您有{overdue}项检查已经过期，请找医生安排。",
    en: "Overdue items: {overdue}. Please ask the doctor to arrange them.",
  },
  "health-card-needs-card": {
    zh: "请把您的身份证放在读卡器上，才能查看健康档案。",
    en: "Please place your own ID card on the reader to open your health card.",
  },
};

const UNITS: Record<string, Text> = {
  mmHg: { zh: "毫米汞柱", en: " mmHg" },
  mmolL: { zh: "毫摩尔每升", en: " mmol/L" },
  bpm: { zh: "次每分", en: " per minute" },
  days: { zh: "天", en: " days" },
  times: { zh: "次", en: " times" },
};
const VERDICTS: Record<string, Text> = {
  normal: { zh: "正常", en: "normal" },
  raised: { zh: "偏高", en: "raised" },
  high: { zh: "很高", en: "high" },
  danger: { zh: "危险", en: "dangerous" },
  low: { zh: "偏低", en: "low" },
};
const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** One structured parameter as text (the kiosk speaks the same value from recorded parts). */
export function paramText(p: VoiceParam, lang: keyof Text): string {
  switch (p.kind) {
    case "number":
      return `${p.value.toFixed(p.decimals ?? 0)}${p.unit ? (UNITS[p.unit]?.[lang] ?? "") : ""}`;
    case "verdict":
      return VERDICTS[p.value]?.[lang] ?? p.value;
    case "date":
      return lang === "zh" ? `${p.month}月${p.day}日` : `${p.day} ${MONTHS_EN[p.month - 1] ?? p.month}`;
  }
}

/** The text of a key with its parameters filled in, in both languages. */
export function voiceText(key: VoiceKey, params: VoiceParams = {}): Text {
  const fill = (t: string, lang: keyof Text) =>
    t.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = params[name];
      return v ? paramText(v, lang) : m;
    });
  return { zh: fill(VOICE[key].zh, "zh"), en: fill(VOICE[key].en, "en") };
}
