export { type DeviceLocator, type DiscoveryResult, resolveSerialDevice, udevadmOnPath } from "./discovery.js";
export { type BadFrame, FrameParser, type ParserStats, type ScanResult } from "./frame-parser.js";
export {
  type BackoffOptions,
  backoffDelay,
  type SerialBinding,
  SerialLink,
  type SerialLinkOptions,
} from "./link.js";
export {
  attachToMockLink,
  attachToMockPort,
  type MockPortBinding,
  type SimulatedDevice,
} from "./mock-device.js";
export { Mutex } from "./mutex.js";
export { openPtyPair, type PtyPair, socatAvailable } from "./pty.js";
