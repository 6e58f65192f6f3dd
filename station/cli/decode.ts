/**
 * `health-station decode <kind> <hex>`: field diagnostics. A technician pastes bytes captured
 * from a device (serial sniffer, nRF Connect) and sees the decoded frame as JSON.
 */
import { decodeBpBleHex } from "../../drivers/bp/decode.js";
import { decodeGlucoseBleHex, decodeGlucoseContextHex, decodeRacpHex } from "../../drivers/glucose/decode.js";
import { decodeTd42xxHex } from "../../drivers/glucose/td42xx-decode.js";
import { decodeIdcardHex } from "../../drivers/idcard/decode.js";
import { StationError } from "../util/errors.js";

export const DECODERS: Record<string, { about: string; decode: (hex: string) => unknown }> = {
  "idcard-frame": {
    about: "ID card reader response frame (GA/T 467), including the text block",
    decode: decodeIdcardHex,
  },
  "bp-ble": {
    about: "Blood Pressure Measurement 0x2A35 / Intermediate Cuff Pressure 0x2A36 value",
    decode: decodeBpBleHex,
  },
  "glucose-ble": { about: "Glucose Measurement 0x2A18 value", decode: decodeGlucoseBleHex },
  "glucose-context": { about: "Glucose Measurement Context 0x2A34 value", decode: decodeGlucoseContextHex },
  racp: { about: "Record Access Control Point 0x2A52 value", decode: decodeRacpHex },
  td42xx: { about: "TaiDoc TD-42xx serial frame (8 bytes)", decode: decodeTd42xxHex },
};

const usage = () =>
  `usage: health-station decode <kind> <hex>\n\nkinds:\n${Object.entries(DECODERS)
    .map(([k, d]) => `  ${k.padEnd(16)} ${d.about}`)
    .join("\n")}\n\nhex may contain spaces, colons or a 0x prefix: "AA AA AA 96 69 …"\n`;

export function runDecode(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): number {
  const [kind, ...hexParts] = argv;
  if (!kind || kind === "--help" || kind === "-h") {
    io.stdout(usage());
    return kind ? 0 : 2;
  }
  const decoder = DECODERS[kind];
  if (!decoder) {
    io.stderr(`health-station decode: unknown kind "${kind}"\n${usage()}`);
    return 2;
  }
  const hex = hexParts.join("");
  if (!hex) {
    io.stderr(`health-station decode: no bytes given for ${kind}\n`);
    return 2;
  }
  try {
    io.stdout(`${JSON.stringify(decoder.decode(hex), null, 2)}\n`);
    return 0;
  } catch (e) {
    const msg = e instanceof StationError ? `${e.code}: ${e.message}` : (e as Error).message;
    io.stderr(`health-station decode ${kind}: ${msg}\n`);
    return 1;
  }
}
