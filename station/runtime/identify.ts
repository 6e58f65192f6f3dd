/**
 * Turns a card read or a manual entry into a validated Person, or a specific fault the villager
 * and the doctor can act on. Nothing unvalidated becomes a record's identity.
 */

import { FAULT_TEXT as CARD_TEXT } from "../../drivers/idcard/card.js";
import type { CardRead } from "../../drivers/types.js";
import {
  ID_NUMBER_REASON,
  type IdNumberError,
  normaliseIdNumber,
  parseIdNumber,
} from "../domain/id-number.js";
import { nameProblem } from "../domain/names.js";
import { type Person, Person as PersonSchema, type RosterEntry } from "../domain/schema.js";
import type { Fault } from "../workflow/types.js";

export type Identified = { ok: true; person: Person } | { ok: false; fault: Fault };

const ID_FAULT: Record<Exclude<IdNumberError, "birth-after-today">, Fault> = {
  format: {
    code: "id-invalid",
    message: {
      zh: "身份证号码格式不对，请找医生手动登记。",
      en: "The ID number is malformed. Please ask the doctor to register you.",
    },
    retryable: false,
  },
  "check-digit": {
    code: "id-invalid",
    message: {
      zh: "身份证号码校验不通过，请找医生手动登记。",
      en: "The ID number fails its check digit. Please ask the doctor.",
    },
    retryable: false,
  },
  "birth-date": {
    code: "id-invalid",
    message: {
      zh: "身份证上的出生日期不对，请找医生。",
      en: "The birth date in the ID number is impossible. Please ask the doctor.",
    },
    retryable: false,
  },
  region: {
    code: "id-invalid",
    message: {
      zh: "身份证号码的地区码不对，请找医生。",
      en: "The ID number has an impossible region code. Please ask the doctor.",
    },
    retryable: false,
  },
};

/**
 * A card whose birth date is after today, on a clock TimeGuard trusts: the county archive would
 * refuse the record, so the villager is told the card cannot be used and sent to the doctor. The
 * reader's own words, so the recorded clip `card-rejected-id-invalid` speaks them.
 */
const CARD_ID_INVALID: Fault = {
  code: "id-invalid",
  message: { zh: CARD_TEXT["id-invalid"]!.zh, en: CARD_TEXT["id-invalid"]!.en },
  retryable: false,
};

/** The doctor typed the number: tell them exactly what is wrong with it, so they can check it. */
function manualIdFault(error: IdNumberError): Fault {
  const r = ID_NUMBER_REASON[error];
  return {
    code: "id-invalid",
    message: {
      zh: `身份证号码无效：${r.zh}。请核对号码。`,
      en: `The ID number is not valid: ${r.en}. Please check it.`,
    },
    retryable: true,
  };
}

export const CARD_EXPIRED: Fault = {
  code: "card-expired",
  message: {
    zh: "身份证已过期，请找医生手动登记。",
    en: "This ID card has expired. Please ask the doctor to register you.",
  },
  retryable: false,
};

const INCONSISTENT: Fault = {
  code: "id-inconsistent",
  message: {
    zh: "身份证信息不一致，请找医生核对。",
    en: "The card's details disagree with its ID number. Please ask the doctor.",
  },
  retryable: false,
};

/** A name with control or bidi-override characters: shown, printed or archived it could mislead. */
export const NAME_INVALID: Fault = {
  code: "name-invalid",
  message: {
    zh: "姓名中有无法显示的字符，请找医生手动登记。",
    en: "The name contains characters that cannot be shown. Please ask the doctor to register you.",
  },
  retryable: false,
};

/**
 * `clockSuspect`: the station's clock is known to be wrong, so `today` cannot judge a birth date
 * or a card's expiry; the card is accepted on its own checks and the record is flagged.
 */
export function identifyFromCard(card: CardRead, today: string, clockSuspect = false): Identified {
  // A suspect clock cannot judge a birth date: refusing then would turn villagers away for the
  // station's fault. The record carries clockSuspect, and the archive judges by its own date.
  const parsed = parseIdNumber(card.idNumber, clockSuspect ? undefined : today);
  if (!parsed.ok)
    return {
      ok: false,
      fault: parsed.error === "birth-after-today" ? CARD_ID_INVALID : ID_FAULT[parsed.error]!,
    };
  if (!clockSuspect && card.card.validTo && card.card.validTo < today)
    return { ok: false, fault: CARD_EXPIRED };
  if (nameProblem(card.name.trim()) === "control-character") return { ok: false, fault: NAME_INVALID };
  const candidate = {
    idNumber: parsed.value.idNumber,
    name: card.name.trim(),
    sex: card.sex === "unknown" ? parsed.value.sex : card.sex,
    birthDate: card.birthDate,
    source: "card",
    card: card.card,
  };
  const r = PersonSchema.safeParse(candidate);
  if (!r.success) return { ok: false, fault: INCONSISTENT };
  return { ok: true, person: r.data };
}

export const NOT_ON_ROSTER_NEEDS_NAME: Fault = {
  code: "name-required",
  message: { zh: "此人不在花名册上，请同时输入姓名。", en: "Not on the roster: please enter the name too." },
  retryable: true,
};

/** Manual entry by the village doctor: name comes from the roster, or must be typed. */
export function identifyManual(
  rawId: string,
  name: string | undefined,
  roster: RosterEntry | null,
  today: string,
  clockSuspect = false,
): Identified {
  const parsed = parseIdNumber(normaliseIdNumber(rawId), clockSuspect ? undefined : today);
  if (!parsed.ok) return { ok: false, fault: manualIdFault(parsed.error) };
  const finalName = roster?.name ?? name?.trim();
  if (!finalName) return { ok: false, fault: NOT_ON_ROSTER_NEEDS_NAME };
  if (nameProblem(finalName) === "control-character") return { ok: false, fault: NAME_INVALID };
  const r = PersonSchema.safeParse({
    idNumber: parsed.value.idNumber,
    name: finalName,
    sex: parsed.value.sex,
    birthDate: parsed.value.birthDate,
    source: "manual",
  });
  if (!r.success) return { ok: false, fault: INCONSISTENT };
  return { ok: true, person: r.data };
}

export { normaliseIdNumber };
