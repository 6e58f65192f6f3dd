/**
 * From a read response to a CardRead the station can trust: layout decode, ID number check,
 * consistency with the printed birth date and sex, expiry. Failures become DeviceFaults with
 * Chinese-first bilingual messages the UI and the manual-entry path can show as they are.
 */
import { parseIdNumber } from "../../station/domain/id-number.js";
import { StationError } from "../../station/util/errors.js";
import type { CardRead, DeviceFault } from "../types.js";
import { decodeTextBlock, type IdCardText, TEXT_BLOCK_BYTES } from "./text.js";

export const FAULT_TEXT: Readonly<Record<string, { zh: string; en: string; retryable: boolean }>> = {
  "id-invalid": {
    zh: "身份证号码校验未通过，请人工核对后登记",
    en: "The ID number failed validation; check it and register manually",
    retryable: false,
  },
  "id-inconsistent": {
    zh: "身份证号码与卡面出生日期或性别不一致，请人工核对",
    en: "The ID number does not match the birth date or sex on the card; check manually",
    retryable: false,
  },
  "card-expired": {
    zh: "身份证已过有效期，请人工核对后登记",
    en: "The ID card has expired; check it and register manually",
    retryable: false,
  },
  "unsupported-card-type": {
    zh: "不支持此类证件（如外国人永久居留身份证），请人工登记",
    en: "This card type (e.g. foreign permanent resident card) is not supported; register manually",
    retryable: false,
  },
  "card-text-invalid": {
    zh: "卡片信息无法识别，请重新放卡或人工登记",
    en: "The card data could not be understood; place the card again or register manually",
    retryable: true,
  },
};

export function deviceFault(
  code: string,
  fallback?: { zh: string; en: string; retryable: boolean },
): DeviceFault {
  const t = FAULT_TEXT[code] ?? fallback ?? { zh: "读卡出错", en: "card reader error", retryable: true };
  return { code, message: `${t.zh} / ${t.en}`, retryable: t.retryable };
}

export interface ReadData {
  text: Buffer;
  /** WLT photo length; the photo itself needs a proprietary decoder and is ignored. */
  photoBytes: number;
}

/** Data after SW1–SW3 of a successful read: text length, photo length (both BE), text, photo. */
export function splitReadData(data: Buffer): ReadData {
  if (data.length < 4)
    throw new StationError("card-text-invalid", `read response has only ${data.length} data bytes`);
  const textLen = data.readUInt16BE(0);
  const photoLen = data.readUInt16BE(2);
  if (textLen !== TEXT_BLOCK_BYTES)
    throw new StationError("card-text-invalid", `text length ${textLen}, expected ${TEXT_BLOCK_BYTES}`);
  if (data.length < 4 + textLen + photoLen)
    throw new StationError(
      "card-text-invalid",
      `read response truncated: ${data.length} < ${4 + textLen + photoLen}`,
    );
  return { text: data.subarray(4, 4 + textLen), photoBytes: photoLen };
}

export type CardCheck = { ok: true; card: CardRead } | { ok: false; fault: DeviceFault };

/** `today` is the station's local date, YYYY-MM-DD. */
export function checkCard(t: IdCardText, today: string): CardCheck {
  // No `today` here: the reader's clock may be wrong, and only the runtime knows whether it is
  // (TimeGuard). A birth date after today is judged there (station/runtime/identify.ts).
  const id = parseIdNumber(t.idNumber);
  if (!id.ok) return { ok: false, fault: deviceFault("id-invalid") };
  if (id.value.birthDate !== t.birthDate || (t.sex !== "unknown" && t.sex !== id.value.sex))
    return { ok: false, fault: deviceFault("id-inconsistent") };
  if (t.validTo !== null && t.validTo < today) return { ok: false, fault: deviceFault("card-expired") };
  return {
    ok: true,
    card: {
      name: t.name,
      idNumber: id.value.idNumber,
      sex: t.sex,
      birthDate: t.birthDate,
      card: {
        issuer: t.issuer,
        validFrom: t.validFrom,
        validTo: t.validTo,
        nation: t.nation,
        address: t.address,
      },
    },
  };
}

/** Decode + check in one step; decode errors with a code become faults too. */
export function cardFromReadData(data: Buffer, today: string): CardCheck {
  try {
    return checkCard(decodeTextBlock(splitReadData(data).text), today);
  } catch (err) {
    if (err instanceof StationError) return { ok: false, fault: deviceFault(err.code) };
    throw err;
  }
}

/** Local calendar date in a time zone (the station's, not the server's UTC). */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}
