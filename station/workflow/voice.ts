/**
 * Voice prompt texts, one per prompt key. Short, plain sentences: they are read aloud to elderly
 * villagers. Variable parts are `{placeholders}` filled from the prompt's structured params
 * (station/workflow/prompt.ts): `{bp}`/`{glucose}` are verdicts (VERDICT_WORDS). Keys are
 * stable: recorded audio is made from this table (`npm run voice`, docs/voice.md).
 */

import { BP_GUIDANCE } from "../../drivers/bp/bp-assess.js";
import { GLUCOSE_GUIDANCE } from "../../drivers/glucose/gls-assess.js";
import { FAULT_TEXT as CARD_TEXT } from "../../drivers/idcard/card.js";
import { DISK_LOW_FAULT } from "../disk/fault.js";
import type { BaseVoiceKey, Text } from "./types.js";

/**
 * What a device fault says when its code has no text of its own (runtime/fault-text.ts shows the
 * same words on screen): the `bp-fault`, `glucose-fault` and `card-rejected` prompts.
 */
export const GENERIC_FAULT: Record<"card-reader" | "bp" | "glucose", Text> = {
  "card-reader": {
    zh: "读卡没有成功，请再放一次卡；还不行请找医生。",
    en: "Reading the card failed. Try again, or ask the doctor.",
  },
  bp: {
    zh: "血压没有量好，请坐好再测一次；还不行请找医生。",
    en: "The blood pressure measurement failed. Sit still and try again, or ask the doctor.",
  },
  glucose: {
    zh: "血糖没有测好，请换一条新试纸再测；还不行请找医生。",
    en: "The glucose test failed. Use a new strip and try again, or ask the doctor.",
  },
};

const BASE_VOICE: Record<BaseVoiceKey, Text> = {
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
  "bp-ready-repeat": {
    zh: "现在量第二次。袖带不要取下，按血压计上的开始键。",
    en: "Now the second reading. Keep the cuff on and press start on the monitor.",
  },
  "bp-measuring": {
    zh: "正在测量，请不要动，不要说话。",
    en: "Measuring. Please keep still and do not talk.",
  },
  "bp-repeat": {
    zh: "血压偏高。请坐着休息一下，我们再量一次。",
    en: "Your blood pressure is raised. Please sit and rest; we will measure again.",
  },
  "bp-repeat-very-high": {
    zh: "血压很高。请坐着休息，不要走开，我们马上再量一次。如果头痛、胸闷，请马上叫医生。",
    en: "Your blood pressure is very high. Sit and rest, do not leave; we will measure again soon. If you have a headache or chest pain, call the doctor now.",
  },
  "bp-fault": GENERIC_FAULT.bp,
  "bp-done": {
    zh: "血压量好了。请按“下一步”。",
    en: "Blood pressure done. Please press Next.",
  },
  "glucose-sample-type": {
    zh: "请告诉我们，您现在是空腹，还是饭后？",
    en: "Please tell us: have you eaten, or are you fasting?",
  },
  "glucose-ready": {
    zh: "请把试纸插进血糖仪，采血后滴在试纸上。",
    en: "Insert a strip into the meter, then put a drop of blood on it.",
  },
  "glucose-fault": GENERIC_FAULT.glucose,
  saving: { zh: "正在保存，请稍等。", en: "Saving. Please wait." },
  "result-normal": {
    zh: "检查完了。血压{bp}，血糖{glucose}。请保持好习惯。",
    en: "All done. Blood pressure: {bp}. Blood sugar: {glucose}. Keep up your good habits.",
  },
  "result-raised": {
    zh: "检查完了。血压{bp}，血糖{glucose}。请按屏幕上的日期再来复查。",
    en: "All done. Blood pressure: {bp}. Blood sugar: {glucose}. Please come back for a recheck by the date on the screen.",
  },
  "result-high": {
    zh: "检查完了。血压{bp}，血糖{glucose}。请今天就告诉医生。",
    en: "All done. Blood pressure: {bp}. Blood sugar: {glucose}. Please tell the doctor today.",
  },
  "result-urgent": {
    zh: "请马上找医生！血压{bp}，血糖{glucose}。请不要自己回家。",
    en: "Please see the doctor now! Blood pressure: {bp}. Blood sugar: {glucose}. Do not go home alone.",
  },
  "result-urgent-low": {
    zh: "请马上找医生！血糖太低，危险。请马上吃几块糖或喝糖水，不要自己回家。",
    en: "Please see the doctor now! Your blood sugar is dangerously low. Eat some sugar or drink sweet water now, and do not go home alone.",
  },
  "save-failed": {
    zh: "结果还没有保存好，请找医生帮忙。请不要离开。",
    en: "Your result is not saved yet. Please ask the doctor for help, and do not leave.",
  },
  "card-rejected": GENERIC_FAULT["card-reader"],
  "help-called": {
    zh: "已通知医生，请稍等，医生马上来。",
    en: "The doctor has been called. Please wait; the doctor is coming.",
  },
  "still-there": {
    zh: "您还在吗？要继续的话，请点一下屏幕。",
    en: "Are you still there? To carry on, please touch the screen.",
  },
  goodbye: { zh: "谢谢，再见。", en: "Thank you. Goodbye." },
  // Health card (station/health-card). {visits}, {overdue}, {sys}, {dia}, {glucose} are numbers;
  // the comparison with last time is in the key, so every word of it has a recorded clip.
  "health-card-loading": { zh: "正在打开您的健康档案。", en: "Opening your health card." },
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

/** The verdict words spoken for `{bp}` and `{glucose}`; "none" when not measured. */
export const VERDICT_WORDS: Record<string, Text> = {
  normal: { zh: "正常", en: "normal" },
  raised: { zh: "偏高", en: "raised" },
  high: { zh: "很高", en: "very high" },
  danger: { zh: "危险", en: "danger" },
  low: { zh: "太低", en: "too low" },
  none: { zh: "没有测", en: "not measured" },
};

/** Device names in `device-problem-<device>`; the kiosk shows the same names (ui/src/i18n.ts dev*). */
export const DEVICE_WORDS: Record<string, Text> = {
  cardReader: { zh: "读卡器", en: "Card reader" },
  bp: { zh: "血压计", en: "BP monitor" },
  glucose: { zh: "血糖仪", en: "Glucose meter" },
  printer: { zh: "打印机", en: "Printer" },
  peripherals: { zh: "指示灯", en: "Lights" },
};

const entries = (prefix: string, table: Readonly<Record<string, { zh: string; en: string }>>) =>
  Object.entries(table).map(([code, t]): [string, Text] => [`${prefix}-${code}`, { zh: t.zh, en: t.en }]);

/**
 * Every prompt key and its words. A fault speaks its own reason ("袖带太松…"), so each fault code
 * with a text of its own has a key (`bp-fault-cuff-loose`), recorded like any other prompt; so
 * has each device that can be missing (`device-problem-bp`).
 */
export const VOICE: Readonly<Record<string, Text>> = {
  ...BASE_VOICE,
  ...Object.fromEntries([
    ...entries("bp-fault", BP_GUIDANCE),
    ...entries("glucose-fault", GLUCOSE_GUIDANCE),
    ...entries("card-rejected", CARD_TEXT),
    // A card tap refused because the disk is below its reserve speaks that reason.
    ...entries("card-rejected", { [DISK_LOW_FAULT.code]: DISK_LOW_FAULT.message }),
    ...Object.entries(DEVICE_WORDS).map(([device, w]): [string, Text] => [
      `device-problem-${device}`,
      {
        zh: `${w.zh}现在用不了。请找医生来看一下。`,
        en: `${w.en}: not working. Please ask the doctor to check it.`,
      },
    ]),
  ]),
};
