/** Voice prompt texts. Short, plain sentences: they are read aloud to elderly villagers. */
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
  // Health card (station/health-card). Parameters: {visits} a count; {sbp} {dbp} mmHg;
  // {mmol} mmol/L; {trend} one of VOICE_WORDS' trend keys; {overdue} items past their date.
  "health-card-open": {
    zh: "这是您的健康档案，共有{visits}次记录。请按下一页查看。",
    en: "This is your health card, with {visits} records. Press next page to read on.",
  },
  "health-card-trend": {
    zh: "图上是您的血压。最近一次是{sbp}比{dbp}，和上次比{trend}。绿色区域是目标范围。",
    en: "The chart shows your blood pressure. The latest was {sbp} over {dbp}; compared with last time it is {trend}. The green band is the target.",
  },
  "health-card-glucose-trend": {
    zh: "图上是您的血糖。最近一次是{mmol}，和上次比{trend}。绿色区域是空腹的目标范围。",
    en: "The chart shows your blood sugar. The latest was {mmol}; compared with last time it is {trend}. The green band is the fasting target.",
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

/** Words a parameter may name instead of a number (kept here so every clip has its text). */
export const VOICE_WORDS: Record<string, Text> = {
  better: { zh: "好一些", en: "better" },
  same: { zh: "差不多", en: "about the same" },
  worse: { zh: "差一些", en: "worse" },
  none: { zh: "没有上次的记录", en: "there is no earlier record" },
  "not-comparable": { zh: "不能直接比", en: "not directly comparable" },
};

/** The text of a key with its parameters filled in, in both languages. */
export function voiceText(key: VoiceKey, params: VoiceParams = {}): Text {
  const fill = (t: string, lang: keyof Text) =>
    t.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = params[name];
      if (v === undefined) return m;
      return typeof v === "string" && VOICE_WORDS[v] ? VOICE_WORDS[v][lang] : String(v);
    });
  return { zh: fill(VOICE[key].zh, "zh"), en: fill(VOICE[key].en, "en") };
}
