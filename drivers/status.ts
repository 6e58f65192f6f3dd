import type { DeviceState, DeviceStatus } from "./types.js";

/**
 * The status after a change, or null when state and code are unchanged: a repeated status is
 * not news, and re-emitting it would reset `since` and spam the screen and the fleet.
 */
export function nextStatus(
  prev: DeviceStatus,
  state: DeviceState,
  since: string,
  code?: string,
  detail?: string,
): DeviceStatus | null {
  if (prev.state === state && prev.code === code) return null;
  return { state, ...(code ? { code } : {}), ...(detail ? { detail } : {}), since };
}
