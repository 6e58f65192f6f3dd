/**
 * Byte fixtures for the SAM serial protocol, one comment per byte group. The CHK comment
 * shows the XOR it was computed from; codec.test.ts recomputes every one.
 */

import type { SimCard } from "../../../drivers/idcard/simulator.js";
import { idCheckChar } from "../../../station/domain/id-number.js";

// biome-ignore format: one byte group per line, each with its comment
export const FIND_CMD = Buffer.from([
  0xaa, 0xaa, 0xaa, 0x96, 0x69, // preamble
  0x00, 0x03, //                   LEN = 3: CMD, PARA, CHK
  0x20, 0x01, //                   CMD 20 PARA 01: find card
  0x22, //                         CHK = 00^03^20^01
]);

// biome-ignore format: one byte group per line, each with its comment
export const SAM_STATUS_CMD = Buffer.from([
  0xaa, 0xaa, 0xaa, 0x96, 0x69, // preamble
  0x00, 0x03, //                   LEN = 3
  0x11, 0xff, //                   CMD 11 PARA FF: SAM status
  0xed, //                         CHK = 00^03^11^FF
]);

// biome-ignore format: one byte group per line, each with its comment
export const CARD_FOUND_RSP = Buffer.from([
  0xaa, 0xaa, 0xaa, 0x96, 0x69, // preamble
  0x00, 0x04, //                   LEN = 4: SW1, SW2, SW3, CHK
  0x00, 0x00, 0x9f, //             SW1 SW2 SW3 = 9F: card found
  0x9b, //                         CHK = 00^04^00^00^9F
]);

// biome-ignore format: one byte group per line, each with its comment
export const FIND_FAILED_RSP = Buffer.from([
  0xaa, 0xaa, 0xaa, 0x96, 0x69, // preamble
  0x00, 0x04, //                   LEN = 4
  0x00, 0x00, 0x80, //             SW3 = 80: find failed
  0x84, //                         CHK = 00^04^00^00^80
]);

// biome-ignore format: one byte group per line, each with its comment
export const OK_RSP = Buffer.from([
  0xaa, 0xaa, 0xaa, 0x96, 0x69, // preamble
  0x00, 0x04, //                   LEN = 4
  0x00, 0x00, 0x90, //             SW3 = 90: OK
  0x94, //                         CHK = 00^04^00^00^90
]);

// biome-ignore format: one byte group per line, each with its comment
export const OK_RSP_BAD_CHK = Buffer.from([
  0xaa, 0xaa, 0xaa, 0x96, 0x69, // preamble
  0x00, 0x04, //                   LEN = 4
  0x00, 0x00, 0x90, //             SW3 = 90
  0x95, //                         CHK wrong on purpose (should be 94)
]);

// biome-ignore format: one byte group per line, each with its comment
export const GARBAGE = Buffer.from([
  0x00, 0xff, 0x13, //             line noise
  0xaa, 0xaa, //                   a partial preamble that goes nowhere
  0x96, 0x69, 0x55, //             more noise
]);

/** A valid fictional ID number for a woman born 1949-12-31 (GB 11643 worked example form). */
export function makeId(first17: string): string {
  return first17 + idCheckChar(first17);
}
export const WOMAN_ID = makeId("11010519491231002");
export const MAN_ID = makeId("51010219800101001");

export const SAMPLE_CARD: SimCard = {
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
};

export const MAN_CARD: SimCard = {
  name: "王建国",
  idNumber: MAN_ID,
  sex: "male",
  birthDate: "1980-01-01",
  card: {
    issuer: "成都市公安局锦江分局",
    validFrom: "2020-03-15",
    validTo: "2040-03-15",
    nation: "彝",
    address: "四川省成都市锦江区演示路2号",
  },
};
