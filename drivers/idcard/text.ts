/**
 * The 256-byte text block of a resident ID card (UTF-16LE, space padded). Field byte ranges
 * follow the published layout; see docs in the field notes.
 */
import { isRealDate } from "../../station/domain/id-number.js";
import { StationError } from "../../station/util/errors.js";

export const TEXT_BLOCK_BYTES = 256;

/** [start, end) byte offsets. */
export const TEXT_FIELDS = {
  name: [0, 30],
  gender: [30, 32],
  nation: [32, 36],
  birthDate: [36, 52],
  address: [52, 122],
  idNumber: [122, 158],
  issuer: [158, 188],
  validFrom: [188, 204],
  validTo: [204, 220],
  reserved: [220, 256],
} as const;
export type TextField = keyof typeof TEXT_FIELDS;

/** Foreign permanent resident cards carry 'I' (UTF-16LE 49 00) here and use another layout. */
export const FOREIGN_MARK_OFFSET = 248;

/** GB 3304 nationality codes as printed on the card (without 族). */
export const NATIONS: Readonly<Record<string, string>> = Object.freeze({
  "01": "汉",
  "02": "蒙古",
  "03": "回",
  "04": "藏",
  "05": "维吾尔",
  "06": "苗",
  "07": "彝",
  "08": "壮",
  "09": "布依",
  "10": "朝鲜",
  "11": "满",
  "12": "侗",
  "13": "瑶",
  "14": "白",
  "15": "土家",
  "16": "哈尼",
  "17": "哈萨克",
  "18": "傣",
  "19": "黎",
  "20": "傈僳",
  "21": "佤",
  "22": "畲",
  "23": "高山",
  "24": "拉祜",
  "25": "水",
  "26": "东乡",
  "27": "纳西",
  "28": "景颇",
  "29": "柯尔克孜",
  "30": "土",
  "31": "达斡尔",
  "32": "仫佬",
  "33": "羌",
  "34": "布朗",
  "35": "撒拉",
  "36": "毛南",
  "37": "仡佬",
  "38": "锡伯",
  "39": "阿昌",
  "40": "普米",
  "41": "塔吉克",
  "42": "怒",
  "43": "乌孜别克",
  "44": "俄罗斯",
  "45": "鄂温克",
  "46": "德昂",
  "47": "保安",
  "48": "裕固",
  "49": "京",
  "50": "塔塔尔",
  "51": "独龙",
  "52": "鄂伦春",
  "53": "赫哲",
  "54": "门巴",
  "55": "珞巴",
  "56": "基诺",
  "97": "其他",
  "98": "外国血统中国籍人士",
});

/** GB/T 2261.1 sex codes. */
export const GENDERS: Readonly<Record<string, "male" | "female" | "unknown">> = Object.freeze({
  "0": "unknown",
  "1": "male",
  "2": "female",
  "9": "unknown",
});

/** The nation name for a code; an unknown code is kept as the raw code, never coerced. */
export function nationName(code: string): string {
  return NATIONS[code] ?? code;
}
export function nationCode(nameOrCode: string): string | undefined {
  if (/^\d{2}$/.test(nameOrCode)) return nameOrCode;
  return Object.entries(NATIONS).find(([, n]) => n === nameOrCode)?.[0];
}

export interface IdCardText {
  name: string;
  genderCode: string;
  sex: "male" | "female" | "unknown";
  nationCode: string;
  nation: string;
  birthDate: string; // YYYY-MM-DD
  address: string;
  idNumber: string;
  issuer: string;
  validFrom: string; // YYYY-MM-DD
  /** null = 长期 (no expiry). */
  validTo: string | null;
}

/** Cards pad with spaces; some readers leave NULs. Strip both (\s also covers U+3000). */
function trimPadding(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0 || /\s/.test(s[end - 1]!))) end--;
  return s.slice(0, end).trim();
}

function field(block: Buffer, f: TextField): string {
  const [a, b] = TEXT_FIELDS[f];
  return trimPadding(block.toString("utf16le", a, b));
}

function cardDate(raw: string, what: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new StationError("card-text-invalid", `卡片${what}无效 / invalid ${what} on card: "${raw}"`, {
      field: what,
    });
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function isForeignPermanentResidentCard(block: Buffer): boolean {
  return (
    block.length >= FOREIGN_MARK_OFFSET + 2 &&
    block.toString("utf16le", FOREIGN_MARK_OFFSET, FOREIGN_MARK_OFFSET + 2) === "I"
  );
}

export function decodeTextBlock(block: Buffer): IdCardText {
  if (block.length !== TEXT_BLOCK_BYTES)
    throw new StationError(
      "card-text-invalid",
      `text block has ${block.length} bytes, expected ${TEXT_BLOCK_BYTES}`,
    );
  if (isForeignPermanentResidentCard(block))
    throw new StationError(
      "unsupported-card-type",
      "不支持外国人永久居留身份证，请人工登记 / foreign permanent resident cards are not supported; register manually",
    );
  const genderCode = field(block, "gender");
  const nationCodeRaw = field(block, "nation");
  const validToRaw = field(block, "validTo");
  return {
    name: field(block, "name"),
    genderCode,
    sex: GENDERS[genderCode] ?? "unknown",
    nationCode: nationCodeRaw,
    nation: nationName(nationCodeRaw),
    birthDate: cardDate(field(block, "birthDate"), "birth date"),
    address: field(block, "address"),
    idNumber: field(block, "idNumber"),
    issuer: field(block, "issuer"),
    validFrom: cardDate(field(block, "validFrom"), "valid-from date"),
    validTo: validToRaw === "长期" ? null : cardDate(validToRaw, "valid-to date"),
  };
}

export type TextBlockInput = Omit<IdCardText, "sex" | "nation"> & { foreign?: boolean };

/** Builds a block exactly as a card carries it (used by the simulator and test fixtures). */
export function encodeTextBlock(t: TextBlockInput): Buffer {
  const block = Buffer.alloc(TEXT_BLOCK_BYTES);
  const put = (f: TextField, value: string) => {
    const [a, b] = TEXT_FIELDS[f];
    const chars = (b - a) / 2;
    if (value.length > chars)
      throw new StationError("card-text-invalid", `${f} "${value}" exceeds ${chars} characters`);
    block.write(value.padEnd(chars, " "), a, b - a, "utf16le");
  };
  const compact = (d: string) => d.replaceAll("-", "");
  put("name", t.name);
  put("gender", t.genderCode);
  put("nation", t.nationCode);
  put("birthDate", compact(t.birthDate));
  put("address", t.address);
  put("idNumber", t.idNumber);
  put("issuer", t.issuer);
  put("validFrom", compact(t.validFrom));
  put("validTo", t.validTo === null ? "长期" : compact(t.validTo));
  put("reserved", "");
  if (t.foreign) block.write("I", FOREIGN_MARK_OFFSET, 2, "utf16le");
  return block;
}
