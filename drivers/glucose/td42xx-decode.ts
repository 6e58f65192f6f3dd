/**
 * `health-station decode td42xx <hex>`: any run of bytes → the valid frames in it, each
 * with its meaning. Throws StationError when no valid frame is found.
 */
import { StationError } from "../../station/util/errors.js";
import { parseHex, toHex } from "../ble/bytes.js";
import {
  decodeTdCount,
  decodeTdDateTime,
  decodeTdModel,
  decodeTdRecordValue,
  scanTd42xxFrames,
  TD_CMD,
  type Td42xxFrame,
  tdMealToSampleType,
} from "./td42xx-codec.js";

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(TD_CMD).map(([k, v]) => [v, k]));

function meaning(f: Td42xxFrame): unknown {
  if (f.dir === "host") {
    if (f.cmd === TD_CMD.recordTime || f.cmd === TD_CMD.recordValue)
      return { recordIndex: f.data[0]! | (f.data[1]! << 8) };
    if (f.cmd === TD_CMD.setClock) return { clock: decodeTdDateTime(f.data) };
    return null;
  }
  switch (f.cmd) {
    case TD_CMD.readClock:
    case TD_CMD.recordTime:
    case TD_CMD.setClock:
      return { time: decodeTdDateTime(f.data) };
    case TD_CMD.readModel:
      return { model: decodeTdModel(f.data) };
    case TD_CMD.readingCount:
      return { count: decodeTdCount(f.data) };
    case TD_CMD.recordValue: {
      const v = decodeTdRecordValue(f.data);
      return {
        ...v,
        mmolL: Math.round((v.mgdl / 18.016) * 100) / 100,
        sampleType: tdMealToSampleType(v.meal),
      };
    }
    default:
      return null;
  }
}

export function decodeTd42xxHex(hex: string): unknown {
  const r = scanTd42xxFrames(parseHex(hex));
  if (r.frames.length === 0)
    throw new StationError(
      "decode-no-frame",
      `no valid TD-42xx frame (51 cmd m0 m1 m2 m3 A3|A5 chk) in the input; ${r.badFrames} candidate(s) failed the direction or checksum test`,
    );
  return {
    frames: r.frames.map((f) => ({
      cmd: f.cmd,
      command: NAMES[f.cmd] ?? null,
      dir: f.dir,
      data: toHex(f.data),
      meaning: meaning(f),
    })),
    droppedBytes: r.droppedBytes,
    badFrames: r.badFrames,
    incompleteTail: toHex(r.rest),
  };
}
