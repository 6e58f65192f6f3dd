/**
 * Plain-language guidance for device faults, by code, for drivers that give none. The villager
 * never sees a technician's English message; an unknown code gets a safe generic text per device.
 */
import type { DeviceFault } from "../../drivers/types.js";
import type { Fault, Text } from "../workflow/types.js";

const BY_CODE: Record<string, Text> = {
  "read-failed": {
    zh: "没有读到身份证，请把卡放平，再放一次。",
    en: "The card could not be read. Lay it flat on the reader and try again.",
  },
  "unsupported-card-type": {
    zh: "这种证件读不了，请找医生手动登记。",
    en: "This kind of card cannot be read. Please ask the doctor to register you.",
  },
  "sam-selftest-failed": {
    zh: "读卡器出故障了，请找医生手动登记。",
    en: "The card reader has a fault. Please ask the doctor to register you.",
  },
  "cuff-loose": {
    zh: "袖带太松，请重新绑好袖带后再测一次。",
    en: "The cuff is loose. Refit it and measure again.",
  },
  "body-movement": {
    zh: "测量时身体动了，请坐好保持不动，再测一次。",
    en: "You moved during the measurement. Sit still and measure again.",
  },
  "bp-implausible": {
    zh: "这次读数不可信，请重新绑好袖带，安静坐好后再测一次。",
    en: "This reading cannot be right. Refit the cuff, sit quietly and measure again.",
  },
  "sample-insufficient": {
    zh: "血量不够，请换一条新试纸，多挤一点血再测。",
    en: "Not enough blood. Use a new strip with a bigger drop.",
  },
  "paper-out": {
    zh: "打印机没纸了，请找医生换纸。",
    en: "The printer is out of paper. Please ask the doctor.",
  },
};

const GENERIC: Record<string, Text> = {
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
  printer: { zh: "打印出了问题，请找医生。", en: "Printing failed. Please ask the doctor." },
};

export function faultFor(device: keyof typeof GENERIC, f: DeviceFault): Fault {
  const message = f.guidance ?? BY_CODE[f.code] ?? GENERIC[device]!;
  return { code: f.code, message, retryable: f.retryable };
}
