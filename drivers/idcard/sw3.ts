/** SAM status byte SW3 → stable code, bilingual text and whether retrying helps. */
import { StationError } from "../../station/util/errors.js";

export const SW3 = {
  OK: 0x90,
  CARD_FOUND: 0x9f,
  FIND_FAILED: 0x80,
  SELECT_FAILED: 0x81,
  READ_FAILED: 0x41,
  SAM_SELFTEST_FAILED: 0x60,
  CHECKSUM_ERROR: 0x10,
  LENGTH_ERROR: 0x11,
  BAD_COMMAND: 0x21,
  UNKNOWN_ERROR: 0x24,
  AUTH_FAILED_1: 0x31,
  AUTH_FAILED_2: 0x32,
  AUTH_FAILED_3: 0x33,
  UNKNOWN_CARD_TYPE: 0x40,
} as const;

export interface Sw3Info {
  sw3: number;
  code: string;
  ok: boolean;
  zh: string;
  en: string;
  retryable: boolean;
}

type Row = Omit<Sw3Info, "sw3">;
const TABLE = new Map<number, Row>([
  [SW3.OK, { code: "ok", ok: true, zh: "操作成功", en: "OK", retryable: false }],
  [SW3.CARD_FOUND, { code: "card-found", ok: true, zh: "找到卡片", en: "card found", retryable: false }],
  [
    SW3.FIND_FAILED,
    { code: "find-failed", ok: false, zh: "未找到卡片", en: "no card found", retryable: true },
  ],
  [
    SW3.SELECT_FAILED,
    { code: "select-failed", ok: false, zh: "选卡失败", en: "card select failed", retryable: true },
  ],
  [
    SW3.READ_FAILED,
    {
      code: "read-failed",
      ok: false,
      zh: "读卡失败，请重新放卡",
      en: "card read failed, place the card again",
      retryable: true,
    },
  ],
  [
    SW3.SAM_SELFTEST_FAILED,
    {
      code: "sam-selftest-failed",
      ok: false,
      zh: "读卡器安全模块自检失败",
      en: "SAM self-test failed",
      retryable: false,
    },
  ],
  [
    SW3.CHECKSUM_ERROR,
    {
      code: "checksum-error",
      ok: false,
      zh: "读卡器收到的命令校验错误",
      en: "reader reports a command checksum error",
      retryable: true,
    },
  ],
  [
    SW3.LENGTH_ERROR,
    {
      code: "length-error",
      ok: false,
      zh: "读卡器收到的命令长度错误",
      en: "reader reports a command length error",
      retryable: true,
    },
  ],
  [
    SW3.BAD_COMMAND,
    {
      code: "bad-command",
      ok: false,
      zh: "读卡器不支持该命令",
      en: "reader rejected the command",
      retryable: false,
    },
  ],
  [
    SW3.UNKNOWN_ERROR,
    {
      code: "unknown-error",
      ok: false,
      zh: "读卡器未知错误",
      en: "reader reports an unknown error",
      retryable: true,
    },
  ],
  [
    SW3.AUTH_FAILED_1,
    {
      code: "auth-failed",
      ok: false,
      zh: "卡片认证失败，请重新放卡",
      en: "card/SAM authentication failed",
      retryable: true,
    },
  ],
  [
    SW3.AUTH_FAILED_2,
    {
      code: "auth-failed",
      ok: false,
      zh: "卡片认证失败，请重新放卡",
      en: "card/SAM authentication failed",
      retryable: true,
    },
  ],
  [
    SW3.AUTH_FAILED_3,
    {
      code: "auth-failed",
      ok: false,
      zh: "卡片认证失败，请重新放卡",
      en: "card/SAM authentication failed",
      retryable: true,
    },
  ],
  [
    SW3.UNKNOWN_CARD_TYPE,
    {
      code: "unknown-card-type",
      ok: false,
      zh: "无法识别的卡片类型",
      en: "unknown card type",
      retryable: false,
    },
  ],
]);

const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

export function describeSw3(sw3: number): Sw3Info {
  const row = TABLE.get(sw3);
  if (row) return { sw3, ...row };
  // Unknown codes stay visible as themselves rather than being folded into a known one.
  return {
    sw3,
    code: `sw3-${hex(sw3)}`,
    ok: false,
    zh: `读卡器返回未知状态 ${hex(sw3)}`,
    en: `unknown SW3 ${hex(sw3)}`,
    retryable: true,
  };
}

/** A SAM answered with a failure status. */
export class SamError extends StationError {
  constructor(
    readonly command: string,
    readonly info: Sw3Info,
  ) {
    super(info.code, `${command}: ${info.en} (SW3 ${hex(info.sw3)})`, { command, sw3: info.sw3 });
    this.name = "SamError";
  }
}
