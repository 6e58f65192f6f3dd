import { parseHex } from "../../../drivers/ble/bytes.js";

/** Fixtures, checksums worked by hand in the comments. */
export const FX = {
  // 51 start | 2B read count | 00 00 00 00 | A3 host→meter | chk (51+2B+A3) & FF = 1F
  hostCount: parseHex("51 2b 00 00 00 00 a3 1f"),
  // 51 | 2B | 03 00 = 3 records, 00 00 | A5 meter→host | chk (51+2B+03+A5) & FF = 24
  meterCount3: parseHex("51 2b 03 00 00 00 a5 24"),
  // 51 | 2B | 01 00 = 1 record, 00 00 | A5 | chk (51+2B+01+A5) & FF = 22
  meterCount1: parseHex("51 2b 01 00 00 00 a5 22"),
  // 51 | 26 record value | 63 00 = 99 mg/dL | 06 | 40 before meal | A5 | chk (51+26+63+06+40+A5) & FF = C5
  meterValue99Before: parseHex("51 26 63 00 06 40 a5 c5"),
  // 51 | 25 record time | 61 34 = date word 0x3461 (y26 m3 d1) | 1E min 30 | 08 hour | A5 | chk = D6
  meterTime: parseHex("51 25 61 34 1e 08 a5 d6"),
  // 51 | 24 model | 77 42 = BCD 0x4277 | 00 00 | A5 | chk (51+24+77+42+A5) & FF = D3
  meterModel: parseHex("51 24 77 42 00 00 a5 d3"),
  // 51 | 50 power off | 00 00 00 00 | A3 | chk (51+50+A3) & FF = 44 (same bytes a public TaiDoc table lists)
  hostPowerOff: parseHex("51 50 00 00 00 00 a3 44"),
};
