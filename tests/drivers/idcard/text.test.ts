import { describe, expect, it } from "vitest";
import { cardFromReadData, checkCard, splitReadData } from "../../../drivers/idcard/card.js";
import { describeSw3, SamError, SW3 } from "../../../drivers/idcard/sw3.js";
import { decodeTextBlock, encodeTextBlock, NATIONS, nationName } from "../../../drivers/idcard/text.js";
import { idCheckChar } from "../../../station/domain/id-number.js";
import { MAN_ID, WOMAN_ID } from "./fixtures.js";

/** Writes a field at the published byte offsets, space padded, independent of encodeTextBlock. */
function layoutBlock(fields: Array<[start: number, end: number, text: string]>): Buffer {
  const b = Buffer.alloc(256);
  b.write(" ".repeat(128), 0, 256, "utf16le");
  for (const [s, e, t] of fields) b.write(t, s, e - s, "utf16le");
  return b;
}

const published = layoutBlock([
  [0, 30, "张秀英"], // name
  [30, 32, "2"], // gender: female
  [32, 36, "01"], // nation: 汉
  [36, 52, "19491231"], // birth date
  [52, 122, "北京市西城区演示街道1号"], // address
  [122, 158, WOMAN_ID], // ID number
  [158, 188, "北京市公安局西城分局"], // issuer
  [188, 204, "20150601"], // valid from
  [204, 220, "长期"], // valid to: no expiry
]);

describe("text block", () => {
  it("decodes the published layout and trims padding", () => {
    expect(decodeTextBlock(published)).toEqual({
      name: "张秀英",
      genderCode: "2",
      sex: "female",
      nationCode: "01",
      nation: "汉",
      birthDate: "1949-12-31",
      address: "北京市西城区演示街道1号",
      idNumber: WOMAN_ID,
      issuer: "北京市公安局西城分局",
      validFrom: "2015-06-01",
      validTo: null,
    });
  });

  it("encodeTextBlock produces exactly the published layout", () => {
    const t = decodeTextBlock(published);
    expect(encodeTextBlock(t)).toEqual(published);
  });

  it("has all 56 nations plus 97/98, and keeps unknown codes raw", () => {
    for (let i = 1; i <= 56; i++) expect(NATIONS[String(i).padStart(2, "0")]).toBeTruthy();
    expect(Object.keys(NATIONS)).toHaveLength(58);
    expect(new Set(Object.values(NATIONS)).size).toBe(58);
    expect([NATIONS["56"], NATIONS["97"], NATIONS["98"]]).toEqual(["基诺", "其他", "外国血统中国籍人士"]);
    expect(nationName("77")).toBe("77");
    const odd = layoutBlock([
      [30, 32, "9"],
      [32, 36, "77"],
      [36, 52, "19800101"],
      [188, 204, "20200101"],
      [204, 220, "20300101"],
    ]);
    const t = decodeTextBlock(odd);
    expect([t.sex, t.nation, t.nationCode, t.validTo]).toEqual(["unknown", "77", "77", "2030-01-01"]);
  });

  it("tolerates NUL padding instead of spaces", () => {
    const b = Buffer.from(published);
    b.fill(0, 6, 30); // name "张秀英" then NULs
    expect(decodeTextBlock(b).name).toBe("张秀英");
  });

  it("rejects a foreign permanent resident card with a typed error, not garbage", () => {
    const b = Buffer.from(published);
    b.write("I", 248, 2, "utf16le");
    expect(() => decodeTextBlock(b)).toThrow(expect.objectContaining({ code: "unsupported-card-type" }));
  });

  it("rejects impossible dates", () => {
    const b = layoutBlock([
      [36, 52, "19490231"],
      [188, 204, "20150601"],
      [204, 220, "长期"],
    ]);
    expect(() => decodeTextBlock(b)).toThrow(expect.objectContaining({ code: "card-text-invalid" }));
  });
});

describe("card checks", () => {
  const base = decodeTextBlock(published);
  const today = "2026-05-01";

  it("accepts a consistent card and shapes a CardRead", () => {
    const r = checkCard(base, today);
    expect(r).toEqual({
      ok: true,
      card: {
        name: "张秀英",
        idNumber: WOMAN_ID,
        sex: "female",
        birthDate: "1949-12-31",
        card: {
          issuer: "北京市公安局西城分局",
          validFrom: "2015-06-01",
          validTo: null,
          nation: "汉",
          address: "北京市西城区演示街道1号",
        },
      },
    });
  });

  it("id-invalid for a bad check digit", () => {
    const bad = `${WOMAN_ID.slice(0, 17)}${WOMAN_ID[17] === "1" ? "2" : "1"}`;
    const r = checkCard({ ...base, idNumber: bad }, today);
    expect(r).toMatchObject({ ok: false, fault: { code: "id-invalid", retryable: false } });
    if (!r.ok) expect(r.fault.message).toMatch(/身份证号码.*\/ The ID number/);
  });

  it("leaves a birth date after today to the runtime, which knows whether the clock is right", () => {
    const first17 = `${WOMAN_ID.slice(0, 6)}20260502${WOMAN_ID.slice(14, 17)}`;
    const future = first17 + idCheckChar(first17);
    const r = checkCard({ ...base, idNumber: future, birthDate: "2026-05-02" }, today);
    expect(r.ok && r.card.birthDate).toBe("2026-05-02");
  });

  it("id-inconsistent when birth date or sex disagree with the number", () => {
    expect(checkCard({ ...base, birthDate: "1949-12-30" }, today)).toMatchObject({
      fault: { code: "id-inconsistent" },
    });
    expect(checkCard({ ...base, sex: "male" }, today)).toMatchObject({ fault: { code: "id-inconsistent" } });
    expect(checkCard({ ...base, idNumber: MAN_ID }, today)).toMatchObject({
      fault: { code: "id-inconsistent" },
    });
  });

  it("card-expired when validTo is before today, not on the day itself", () => {
    expect(checkCard({ ...base, validTo: "2026-04-30" }, today)).toMatchObject({
      fault: { code: "card-expired" },
    });
    expect(checkCard({ ...base, validTo: "2026-05-01" }, today).ok).toBe(true);
  });

  it("splits read data: text length, photo length, text, photo", () => {
    const data = Buffer.concat([Buffer.from([0x01, 0x00, 0x04, 0x00]), published, Buffer.alloc(1024)]);
    expect(splitReadData(data)).toEqual({ text: published, photoBytes: 1024 });
    expect(cardFromReadData(data, today).ok).toBe(true);
    expect(cardFromReadData(data.subarray(0, 100), today)).toMatchObject({
      ok: false,
      fault: { code: "card-text-invalid" },
    });
  });
});

describe("SW3 mapping", () => {
  it.each([
    [SW3.OK, "ok", true],
    [SW3.CARD_FOUND, "card-found", true],
    [SW3.FIND_FAILED, "find-failed", false],
    [SW3.SELECT_FAILED, "select-failed", false],
    [SW3.READ_FAILED, "read-failed", false],
    [SW3.SAM_SELFTEST_FAILED, "sam-selftest-failed", false],
    [SW3.CHECKSUM_ERROR, "checksum-error", false],
    [SW3.LENGTH_ERROR, "length-error", false],
    [SW3.BAD_COMMAND, "bad-command", false],
    [SW3.UNKNOWN_ERROR, "unknown-error", false],
    [0x31, "auth-failed", false],
    [0x32, "auth-failed", false],
    [0x33, "auth-failed", false],
    [SW3.UNKNOWN_CARD_TYPE, "unknown-card-type", false],
    [0x77, "sw3-0x77", false],
  ])("SW3 %s → %s", (sw3, code, ok) => {
    expect(describeSw3(sw3)).toMatchObject({ sw3, code, ok });
  });

  it("SamError names the command and carries the code", () => {
    const e = new SamError("idcard read", describeSw3(0x41));
    expect(e.code).toBe("read-failed");
    expect(e.message).toBe("idcard read: card read failed, place the card again (SW3 0x41)");
  });
});
