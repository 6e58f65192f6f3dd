/**
 * A resident ID whose birth date is after the station's local date: refused before any record is
 * made, with words for whoever is at the station (villager at the card reader, doctor typing it),
 * unless the clock is suspect. The same numbers through the county archive's decision agree.
 */
import { describe, expect, it } from "vitest";
import type { CardRead } from "../../drivers/types.js";
import { dateIn, idCheckChar, parseIdNumber } from "../../station/domain/id-number.js";
import { identifyFromCard, identifyManual } from "../../station/runtime/identify.js";
import { VOICE } from "../../station/workflow/voice.js";

const TODAY = "2026-11-30";
function idBorn(yyyymmdd: string): string {
  const first17 = `510104${yyyymmdd}011`;
  return first17 + idCheckChar(first17);
}
function card(id: string): CardRead {
  const info = parseIdNumber(id);
  if (!info.ok) throw new Error(`fixture ${id} is not a valid number: ${info.error}`);
  return {
    name: "王小宝",
    idNumber: id,
    sex: info.value.sex,
    birthDate: info.value.birthDate,
    card: {
      issuer: "某县公安局",
      validFrom: "2026-11-30",
      validTo: "2031-11-30",
      nation: "01",
      address: "某村",
    },
  };
}
const BORN_TODAY = idBorn("20261130");
const BORN_TOMORROW = idBorn("20261201");

describe("card tap", () => {
  it("accepts a baby born today and refuses one born tomorrow, sending the villager to the doctor", () => {
    expect(identifyFromCard(card(BORN_TODAY), TODAY, false).ok).toBe(true);
    const r = identifyFromCard(card(BORN_TOMORROW), TODAY, false);
    expect(r).toMatchObject({ ok: false, fault: { code: "id-invalid", retryable: false } });
    if (r.ok) return;
    expect(r.fault.message.zh).toContain("身份证号码校验未通过");
    // The screen's words are the recorded clip's words, so the clip is what is spoken.
    expect(VOICE["card-rejected-id-invalid"]).toEqual(r.fault.message);
  });

  it("does not refuse on the date alone when the clock is suspect", () => {
    expect(identifyFromCard(card(BORN_TOMORROW), TODAY, true).ok).toBe(true);
  });
});

describe("doctor's manual entry", () => {
  it("accepts born today and refuses born tomorrow with the specific reason", () => {
    expect(identifyManual(BORN_TODAY, "王小宝", null, TODAY, false).ok).toBe(true);
    const r = identifyManual(BORN_TOMORROW, "王小宝", null, TODAY, false);
    expect(r).toEqual({
      ok: false,
      fault: {
        code: "id-invalid",
        message: {
          zh: "身份证号码无效：出生日期晚于今天。请核对号码。",
          en: "The ID number is not valid: the birth date is after today. Please check it.",
        },
        retryable: true,
      },
    });
    expect(identifyManual(BORN_TOMORROW, "王小宝", null, TODAY, true).ok).toBe(true);
  });

  const valid = idBorn("19500101");
  it.each([
    [idBorn("20260230"), "出生日期不存在"], // 30 February
    [`${valid.slice(0, 17)}${valid[17] === "0" ? "1" : "0"}`, "校验位错误"],
    [`09${valid.slice(2)}`, "地区码无效"],
    [valid.slice(0, 17), "应为17位数字加校验位"],
  ])("names what is wrong with %s", (id, words) => {
    const r = identifyManual(id, "王小宝", null, TODAY, false);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fault.message.zh).toBe(`身份证号码无效：${words}。请核对号码。`);
  });
});

describe("dateIn", () => {
  it("is the clinic's date, not UTC's: 07:00 Beijing time on 30 November is 30 November", () => {
    const ms = Date.parse("2026-11-29T23:00:00Z");
    expect(dateIn(ms, "Asia/Shanghai")).toBe("2026-11-30");
    expect(dateIn(ms, "UTC")).toBe("2026-11-29");
  });
});
