import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBpBleHex } from "../../../drivers/bp/decode.js";
import { decodeGlucoseBleHex, decodeRacpHex } from "../../../drivers/glucose/decode.js";
import { decodeTd42xxHex } from "../../../drivers/glucose/td42xx-decode.js";
import { StationError } from "../../../station/util/errors.js";

const DECODERS = { decodeBpBleHex, decodeGlucoseBleHex, decodeRacpHex, decodeTd42xxHex };

describe("CLI decoders: JSON out or a StationError, nothing else", () => {
  for (const [name, decode] of Object.entries(DECODERS)) {
    it(`${name} on random hex`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
          const hex = Buffer.from(bytes).toString("hex");
          try {
            const out = decode(hex);
            expect(JSON.parse(JSON.stringify(out))).toEqual(out);
          } catch (e) {
            expect(e).toBeInstanceOf(StationError);
          }
        }),
        { numRuns: 500 },
      );
    });
  }
});
