export {
  type CardCheck,
  cardFromReadData,
  checkCard,
  deviceFault,
  FAULT_TEXT,
  localDate,
  splitReadData,
} from "./card.js";
export * from "./codec.js";
export { type DecodedIdCardFrame, decodeIdCardFrame, decodeIdcardHex, parseHex } from "./decode.js";
export { IdCardFrameParser } from "./parser.js";
export { IdCardReader, type IdCardReaderOptions } from "./reader.js";
export {
  type ByteStream,
  type IdCardSimFault,
  IdCardSimulator,
  type IdCardSimulatorOptions,
  type SimCard,
} from "./simulator.js";
export { describeSw3, SamError, SW3, type Sw3Info } from "./sw3.js";
export * from "./text.js";
