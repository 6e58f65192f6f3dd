import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../station/util/logger.js";
import { watchdogIntervalMs } from "../../station/watchdog/sd-notify.js";
import { type HealthProbe, Watchdog } from "../../station/watchdog/watchdog.js";

function rig(opts: { lag?: number; probes?: HealthProbe[] } = {}) {
  const sent: string[] = [];
  let lag = opts.lag ?? 0;
  const wd = new Watchdog({
    notify: (s) => sent.push(s),
    intervalMs: 1_000,
    probeTimeoutMs: 200,
    maxLoopLagMs: 5_000,
    logger: silentLogger,
    loopLag: () => lag,
    probes: opts.probes ?? [],
  });
  return { wd, sent, setLag: (v: number) => (lag = v) };
}

describe("Watchdog", () => {
  afterEach(() => vi.useRealTimers());

  it("pings every interval while healthy", async () => {
    vi.useFakeTimers();
    const { wd, sent } = rig();
    wd.start();
    await vi.advanceTimersByTimeAsync(3_500);
    wd.stop();
    expect(sent).toEqual(["WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(3); // nothing after stop
  });

  it("stops pinging while the loop lags beyond its limit, and resumes after", async () => {
    const { wd, sent, setLag } = rig({ lag: 7_000 });
    expect(await wd.round()).toBe(false);
    expect(wd.failing).toMatch(/event loop lagged 7000 ms/);
    setLag(40);
    expect(await wd.round()).toBe(true);
    expect(wd.failing).toBeNull();
    expect(sent).toEqual(["WATCHDOG=1"]);
  });

  it("does not ping when a probe fails, naming the probe", async () => {
    const { wd, sent } = rig({
      probes: [
        { name: "store", check: () => undefined },
        {
          name: "device supervision",
          check: () => {
            throw new Error("devices not started");
          },
        },
      ],
    });
    expect(await wd.round()).toBe(false);
    expect(wd.failing).toBe("device supervision: devices not started");
    expect(sent).toEqual([]);
  });

  it("treats a probe that never answers (a hung store) as unhealthy", async () => {
    vi.useFakeTimers();
    const { wd, sent } = rig({ probes: [{ name: "store", check: () => new Promise<void>(() => {}) }] });
    const r = wd.round();
    await vi.advanceTimersByTimeAsync(250);
    expect(await r).toBe(false);
    expect(wd.failing).toBe("store did not answer within 200 ms");
    expect(sent).toEqual([]);
  });
});

describe("watchdogIntervalMs", () => {
  it("is half of WATCHDOG_USEC, and only for this process", () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000" }, 42)).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "42" }, 42)).toBe(15_000);
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "7" }, 42)).toBeNull();
    expect(watchdogIntervalMs({}, 42)).toBeNull();
    expect(watchdogIntervalMs({ WATCHDOG_USEC: "nonsense" }, 42)).toBeNull();
  });
});
