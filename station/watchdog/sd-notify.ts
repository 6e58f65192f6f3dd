/**
 * systemd's notify protocol (sd_notify(3)) without a native addon: Node cannot send on a
 * unix datagram socket, so each message goes through `systemd-notify`. The unit must say
 * `NotifyAccess=all`, since the sender is a child process. systemd-notify (v246+) waits until
 * systemd has processed the message (its BARRIER), so a fast-exiting child is not misattributed.
 * Spawning one small process every few seconds costs little even on a Pi.
 */
import { spawn } from "node:child_process";
import type { Logger } from "../util/logger.js";

export type Notify = (assignments: string) => void;

/** Null when not run by systemd as a notify unit (no NOTIFY_SOCKET): nothing to tell. */
export function systemdNotifier(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  command = "systemd-notify",
): Notify | null {
  if (!env.NOTIFY_SOCKET) return null;
  let warned = false;
  return (assignments) => {
    const child = spawn(command, assignments.split("\n"), { stdio: "ignore", env });
    child.on("error", (e) => {
      // Missing systemd-notify means every later ping fails too: say so once, not every ping.
      if (!warned) logger.error(`cannot notify systemd (${command}): ${e.message}`);
      warned = true;
    });
  };
}

/**
 * The ping interval systemd asks for: WATCHDOG_USEC is set when the unit has WatchdogSec=, and
 * WATCHDOG_PID (when set) must be this process. sd_watchdog_enabled(3) advises half the timeout.
 */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(100, Math.floor(usec / 1000 / 2));
}
