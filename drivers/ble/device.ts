/** What the Bluetooth device facades (BP cuff, glucose meter) share: their options and their link. */
import type { Logger } from "../../station/util/logger.js";
import { type BackoffOptions, BleLink, type BleLinkOptions } from "./link.js";
import type { BleTransport } from "./transport.js";

export interface BleDeviceOptions {
  transport: BleTransport;
  /** MAC address, e.g. "A4:C1:38:00:11:22" (from config, found by scanning once at install). */
  address: string;
  model?: string;
  serial?: string;
  logger?: Logger;
  backoff?: BackoffOptions;
  clock?: () => Date;
  /** Zone of the device's wall clock; default China Standard Time (+480). */
  utcOffsetMinutes?: number;
  /** A device timestamp further than this from the station clock is ignored. Default 10. */
  maxClockSkewMinutes?: number;
}

/** The facade's BleLink: transport, address, backoff and clock from its options, plus its hooks. */
export function deviceLink(
  o: BleDeviceOptions,
  logger: Logger,
  hooks: Pick<BleLinkOptions, "onConnected" | "onStatus" | "requireBond">,
): BleLink {
  return new BleLink({
    transport: o.transport,
    address: o.address,
    logger,
    ...(o.backoff ? { backoff: o.backoff } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...hooks,
  });
}
