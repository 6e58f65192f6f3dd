/**
 * Record Access Control Point (0x2A52) of the glucose profile: requests the station writes
 * and the responses the meter indicates. Layout: opcode u8, operator u8, operand.
 * The station fetches the newest record with "report stored records / last record"
 * (operator 6), which every GLS meter must support, instead of pulling the whole memory.
 */
import { ByteReader, ByteWriter, type Decoded, decodeWith, fail, ok, toHex } from "../ble/bytes.js";

export const RACP_OPCODE = {
  reportRecords: 1,
  deleteRecords: 2,
  abort: 3,
  reportCount: 4,
  countResponse: 5,
  responseCode: 6,
} as const;

export const RACP_OPERATOR = {
  null: 0,
  all: 1,
  lessOrEqual: 2,
  greaterOrEqual: 3,
  withinRange: 4,
  first: 5,
  last: 6,
} as const;

/** Filter type preceding an operand for operators 2–4. */
export const RACP_FILTER = { sequenceNumber: 1, userFacingTime: 2 } as const;

export const RACP_RESPONSE_CODES: Record<number, string> = {
  1: "success",
  2: "opcode-not-supported",
  3: "invalid-operator",
  4: "operator-not-supported",
  5: "invalid-operand",
  6: "no-records-found",
  7: "abort-unsuccessful",
  8: "procedure-not-completed",
  9: "operand-not-supported",
};

const OPCODE_NAMES: Record<number, string> = {
  1: "report-records",
  2: "delete-records",
  3: "abort",
  4: "report-count",
  5: "count-response",
  6: "response-code",
};
const OPERATOR_NAMES: Record<number, string> = {
  0: "null",
  1: "all",
  2: "less-or-equal",
  3: "greater-or-equal",
  4: "within-range",
  5: "first",
  6: "last",
};

export function encodeRacp(
  opcode: number,
  operator: number,
  operand: Uint8Array = new Uint8Array(),
): Uint8Array {
  const out = new Uint8Array(2 + operand.length);
  out[0] = opcode;
  out[1] = operator;
  out.set(operand, 2);
  return out;
}

export const racp = {
  reportLast: () => encodeRacp(RACP_OPCODE.reportRecords, RACP_OPERATOR.last),
  reportAll: () => encodeRacp(RACP_OPCODE.reportRecords, RACP_OPERATOR.all),
  /** Records with sequence number ≥ seq (filter type 1). */
  reportFromSequence: (seq: number) =>
    encodeRacp(
      RACP_OPCODE.reportRecords,
      RACP_OPERATOR.greaterOrEqual,
      new ByteWriter().u8(RACP_FILTER.sequenceNumber).u16(seq).bytes(),
    ),
  count: () => encodeRacp(RACP_OPCODE.reportCount, RACP_OPERATOR.all),
  deleteAll: () => encodeRacp(RACP_OPCODE.deleteRecords, RACP_OPERATOR.all),
  abort: () => encodeRacp(RACP_OPCODE.abort, RACP_OPERATOR.null),
  /** Meter side: the count response and the general response code. */
  countResponse: (count: number) =>
    encodeRacp(RACP_OPCODE.countResponse, RACP_OPERATOR.null, new ByteWriter().u16(count).bytes()),
  responseCode: (requestOpcode: number, code: number) =>
    encodeRacp(RACP_OPCODE.responseCode, RACP_OPERATOR.null, Uint8Array.of(requestOpcode, code)),
};

export type RacpMessage =
  | { kind: "count-response"; count: number }
  | {
      kind: "response-code";
      requestOpcode: number;
      requestName: string | null;
      code: number;
      name: string | null;
      success: boolean;
    }
  | {
      kind: "request";
      opcode: number;
      opcodeName: string | null;
      operator: number;
      operatorName: string | null;
      /** Hex, for operands this build does not interpret. */
      operand: string;
    };

export function decodeRacp(bytes: Uint8Array): Decoded<RacpMessage> {
  return decodeWith("record access control point", () => {
    const r = new ByteReader(bytes);
    const opcode = r.u8();
    const operator = r.u8();
    if (opcode === RACP_OPCODE.countResponse) return ok({ kind: "count-response", count: r.u16() });
    if (opcode === RACP_OPCODE.responseCode) {
      const requestOpcode = r.u8();
      const code = r.u8();
      return ok({
        kind: "response-code",
        requestOpcode,
        requestName: OPCODE_NAMES[requestOpcode] ?? null,
        code,
        name: RACP_RESPONSE_CODES[code] ?? null,
        success: code === 1,
      });
    }
    if (opcode === 0 || opcode > 6) return fail("reserved-opcode", `reserved RACP opcode ${opcode}`);
    return ok({
      kind: "request",
      opcode,
      opcodeName: OPCODE_NAMES[opcode] ?? null,
      operator,
      operatorName: OPERATOR_NAMES[operator] ?? null,
      operand: toHex(bytes.subarray(r.position)),
    });
  });
}
