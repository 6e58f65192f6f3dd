import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { JohnnyFive } from "../../../drivers/peripherals/io-plugin.js";
import { FakeIoPlugin, loadJohnnyFive } from "../../../drivers/peripherals/io-plugin.js";
import { JohnnyFivePeripherals } from "../../../drivers/peripherals/j5-peripherals.js";
import type { DeviceStatus } from "../../../drivers/types.js";

const PINS = { statusLed: 13, buzzer: 8, helpButton: 2, motion: 7 };
let five: JohnnyFive;

async function started(opts: { helpLockoutMs?: number } = {}) {
  const io = new FakeIoPlugin();
  const p = new JohnnyFivePeripherals({ io, pins: PINS, five, motionCalibrationMs: 2000, ...opts });
  const statuses: DeviceStatus[] = [];
  p.on("status", (s) => statuses.push(s));
  const starting = p.start();
  io.connect();
  await starting;
  return { io, p, statuses };
}

/** Values written to one pin, in order. */
const writesTo = (io: FakeIoPlugin, pin: number) =>
  io.writes.filter((w) => w.pin === pin).map((w) => w.value);

beforeEach(async () => {
  five ??= await loadJohnnyFive();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("JohnnyFivePeripherals over a fake IO plugin", () => {
  it("reports connected once the board handshake completes", async () => {
    const { p, statuses } = await started();
    expect(p.status.state).toBe("connected");
    expect(statuses.map((s) => s.state)).toEqual(["connected"]);
  });

  it("ready = steady on: one write, no blinking afterwards", async () => {
    const { io, p } = await started();
    io.writes.length = 0;
    p.led("ready");
    vi.advanceTimersByTime(5000);
    expect(writesTo(io, PINS.statusLed)).toEqual([1]);
  });

  it("busy blinks slowly (500 ms) and fault fast (100 ms)", async () => {
    const { io, p } = await started();
    io.writes.length = 0;
    p.led("busy");
    vi.advanceTimersByTime(1999);
    expect(writesTo(io, PINS.statusLed)).toEqual([1, 0, 1, 0]);
    io.writes.length = 0;
    p.led("fault");
    vi.advanceTimersByTime(999);
    expect(writesTo(io, PINS.statusLed)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    io.writes.length = 0;
    p.led("off");
    vi.advanceTimersByTime(2000);
    expect(writesTo(io, PINS.statusLed)).toEqual([0]);
  });

  it("a pattern set before start is shown when the board is ready", async () => {
    const io = new FakeIoPlugin();
    const p = new JohnnyFivePeripherals({ io, pins: PINS, five });
    p.led("ready");
    const starting = p.start();
    io.connect();
    await starting;
    expect(io.level(PINS.statusLed)).toBe(1);
  });

  it("prompt = one short beep; alert = three long beeps", async () => {
    const { io, p } = await started();
    io.writes.length = 0;
    p.buzz("prompt");
    vi.advanceTimersByTime(119);
    expect(io.level(PINS.buzzer)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(io.level(PINS.buzzer)).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(writesTo(io, PINS.buzzer)).toEqual([1, 0]);

    io.writes.length = 0;
    p.buzz("alert");
    vi.advanceTimersByTime(599);
    expect(io.level(PINS.buzzer)).toBe(1);
    vi.advanceTimersByTime(5000);
    expect(writesTo(io, PINS.buzzer)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it("help: a press (pull-up, active low) emits once; presses within the lockout are ignored", async () => {
    const { io, p } = await started({ helpLockoutMs: 3000 });
    const help = vi.fn();
    p.on("help", help);
    io.setInput(PINS.helpButton, 1); // idle high
    vi.advanceTimersByTime(50);
    const press = () => {
      io.setInput(PINS.helpButton, 0);
      vi.advanceTimersByTime(50);
      io.setInput(PINS.helpButton, 1);
      vi.advanceTimersByTime(50);
    };
    press();
    expect(help).toHaveBeenCalledTimes(1);
    press();
    press();
    expect(help).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(3000);
    press();
    expect(help).toHaveBeenCalledTimes(2);
  });

  it("motion: a PIR rising edge after calibration emits 'motion'", async () => {
    const { io, p } = await started();
    const motion = vi.fn();
    p.on("motion", motion);
    io.setInput(PINS.motion, 0);
    vi.advanceTimersByTime(2100); // PIR warm-up
    io.setInput(PINS.motion, 1);
    vi.advanceTimersByTime(100);
    expect(motion).toHaveBeenCalledTimes(1);
  });

  it("a board that never answers fails start() with board-timeout", async () => {
    const io = new FakeIoPlugin();
    const p = new JohnnyFivePeripherals({ io, pins: PINS, five, readyTimeoutMs: 500 });
    const starting = p.start();
    const assertion = expect(starting).rejects.toMatchObject({ code: "board-timeout" });
    await vi.advanceTimersByTimeAsync(500);
    await assertion;
    expect(p.status).toMatchObject({ state: "error", code: "board-timeout" });
  });

  it("stop() turns LED and buzzer off and stops blinking", async () => {
    const { io, p } = await started();
    p.led("fault");
    p.buzz("alert");
    await p.stop();
    io.writes.length = 0;
    vi.advanceTimersByTime(5000);
    expect(io.writes).toEqual([]);
    expect(io.level(PINS.statusLed)).toBe(0);
    expect(io.level(PINS.buzzer)).toBe(0);
    expect(p.status.state).toBe("disconnected");
  });
});
