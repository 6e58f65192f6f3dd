/**
 * Closed code lists the assessment rules reason about. Texts for every code live in the
 * policy pack (station/assessment/policy/*.json), never here.
 */

/**
 * Danger signs that call for urgent referral when a doctor records them. Source: 国家基本公共卫生服务规范
 * (第三版, 2017), 高血压患者健康管理服务规范 and 2型糖尿病患者健康管理服务规范, "随访评估" step (危急情况).
 */
export const DANGER_SYMPTOMS = [
  "consciousness-change", // 意识改变 / 意识或行为改变
  "severe-headache-dizziness", // 剧烈头痛或头晕
  "nausea-vomiting", // 恶心呕吐
  "blurred-vision", // 视力模糊
  "eye-pain", // 眼痛
  "palpitations-chest-tightness", // 心悸胸闷
  "dyspnoea-orthopnoea", // 喘憋不能平卧
  "pregnant-breastfeeding-high-bp", // 处于妊娠期或哺乳期同时血压高于正常
  "acetone-breath", // 呼气有烂苹果样丙酮味
  "sweating", // 出汗
  "appetite-loss", // 食欲减退
  "polydipsia-polyuria", // 多饮、多尿
  "abdominal-pain", // 腹痛
  "deep-rapid-breathing", // 深大呼吸
  "skin-flushing", // 皮肤潮红
  "persistent-tachycardia", // 持续性心动过速（心率超过100次/分钟）
  "fever-over-39", // 体温超过39摄氏度
  "sudden-vision-loss", // 视力突然骤降
  "pregnant-breastfeeding-high-glucose", // 妊娠期及哺乳期血糖高于正常
  "other-unmanageable", // 存在不能处理的其他疾病
] as const;
export type DangerSymptom = (typeof DANGER_SYMPTOMS)[number];

/** Reasons for an urgent referral, stored in Assessment.referral.reasons (symptoms as `symptom:<code>`). */
export const REFERRAL_REASONS = ["sbp-severe", "dbp-severe", "glucose-severe-high", "glucose-low"] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

/** The nine constitution types of the elderly TCM questionnaire. */
export const TCM_TYPES = [
  "balanced", // 平和质
  "qi-deficient", // 气虚质
  "yang-deficient", // 阳虚质
  "yin-deficient", // 阴虚质
  "phlegm-damp", // 痰湿质
  "damp-heat", // 湿热质
  "blood-stasis", // 血瘀质
  "qi-stagnation", // 气郁质
  "special", // 特禀质
] as const;
export type TcmType = (typeof TCM_TYPES)[number];

/**
 * Every advice key the rules can emit. A policy pack must carry zh and en text for each one,
 * so a result can never point at advice that is missing.
 */
export const ADVICE_KEYS = [
  "bp.normal",
  "bp.high-normal",
  "bp.grade1",
  "bp.grade2",
  "bp.grade3",
  "bp.isolated-systolic",
  "bp.above-target",
  "bp.remeasure",
  "glucose.normal",
  "glucose.impaired-fasting",
  "glucose.diabetes-range",
  "glucose.severe-high",
  "glucose.hypoglycaemia",
  "glucose.remeasure",
  "pulse.fast",
  "pulse.irregular",
  "topic.salt",
  "topic.diet",
  "topic.exercise",
  "topic.medication",
  "topic.see-doctor",
  "referral.urgent",
  ...TCM_TYPES.map((t) => `tcm.${t}` as const),
] as const;
export type AdviceKey = (typeof ADVICE_KEYS)[number];

/** The one main thing the villager is told to do, read aloud first. */
export const ACTIONS = ["urgent", "recheck", "followup", "routine", "remeasure"] as const;
export type Action = (typeof ACTIONS)[number];

export const HOSPITAL_LEVELS = ["township", "county", "prefecture", "provincial"] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];
