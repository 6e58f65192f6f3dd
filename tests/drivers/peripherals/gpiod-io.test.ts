import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createGpiodIo, GpiodIo, parseGpiodVersion } from "../../../drivers/peripherals/gpiod-io.js";
import type { JohnnyFive } from "../../../drivers/peripherals/io-plugin.js";
import { loadJohnnyFive } from "../../../drivers/peripherals/io-plugin.js";
import { JohnnyFivePeripherals } from "../../../drivers/peripherals/j5-peripherals.js";
import { DETECT, FakeRunner, piRunner } from "./fake-runner.js";

// BCM numbers as wired on a Pi header.
const PINS = { statusLed: 17, buzzer: 18, helpButton: 27, motion: 22 };
let five: JohnnyFive;

const settle = () => vi.advanceTimersByTimeAsync(0);

async function started(version: 1 | 2, levels: Record<number, 0 | 1> = { 27: 1 }) {
  const runner = piRunner(version, levels);
  const io = await createGpiodIo({ chip: "gpiochip0", runner });
  const p = new JohnnyFivePeripherals({ io, pins: PINS, five, motionCalibrationMs: 2000 });
  await p.start();
  await settle();
  return { runner, io, p };
}

beforeEach(async () => {
  five ??= await loadJohnnyFive();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("parseGpiodVersion", () => {
  it("reads the major version from gpioset --version", () => {
    expect(parseGpiodVersion("gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018")).toBe(1);
    expect(parseGpiodVersion("gpioset (libgpiod) v2.2.1\n")).toBe(2);
    expect(parseGpiodVersion("gpioset 0.9")).toBeNull();
  });
});

describe("GpiodIo under JohnnyFivePeripherals, libgpiod v1 (Debian 12)", () => {
  it("detects the tools, checks the chip, and reports connected", async () => {
    const { runner, p, io } = await started(1);
    expect(io.version).toBe(1);
    expect(runner.log.slice(0, 2)).toEqual(["gpioset --version", "gpiodetect"]);
    expect(p.status.state).toBe("connected");
  });

  it("LED and buzzer: one gpioset --mode=signal holds each output line", async () => {
    const { runner, p } = await started(1);
    p.led("ready");
    await settle();
    expect(runner.live("gpioset")).toEqual([
      "gpioset --mode=signal gpiochip0 18=0",
      "gpioset --mode=signal gpiochip0 17=1",
    ]);
    p.buzz("prompt");
    await settle();
    expect(runner.live("gpioset --mode=signal gpiochip0 18")).toEqual([
      "gpioset --mode=signal gpiochip0 18=1",
    ]);
    await vi.advanceTimersByTimeAsync(120);
    expect(runner.live("gpioset --mode=signal gpiochip0 18")).toEqual([
      "gpioset --mode=signal gpiochip0 18=0",
    ]);
  });

  it("blinking never runs two gpiosets on one line and ends on the last value written", async () => {
    const { runner, p } = await started(1);
    p.led("fault"); // 100 ms on / 100 ms off
    for (let t = 0; t < 1000; t += 10) {
      await vi.advanceTimersByTimeAsync(10);
      expect(runner.live("gpioset --mode=signal gpiochip0 17").length).toBeLessThanOrEqual(1);
    }
    p.led("off");
    await settle();
    expect(runner.live("gpioset --mode=signal gpiochip0 17")).toEqual([
      "gpioset --mode=signal gpiochip0 17=0",
    ]);
    expect(
      runner.log.filter((l) => l.startsWith("gpioset --mode=signal gpiochip0 17=1")).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it("help button: pull-up bias, initial level from gpioget, presses from gpiomon edges", async () => {
    const { runner, p } = await started(1);
    expect(runner.log).toContain("gpioget --bias=pull-up gpiochip0 27");
    const mon = runner.monitor(27);
    expect(mon.cmdline).toBe("gpiomon -b --format=%o %e --bias=pull-up gpiochip0 27");
    const help = vi.fn();
    p.on("help", help);
    mon.print("27 0"); // falling: pressed (wired to ground)
    await vi.advanceTimersByTimeAsync(50);
    mon.print("27 1");
    await vi.advanceTimersByTimeAsync(50);
    expect(help).toHaveBeenCalledTimes(1);
    // The button line is an input: it is never driven by gpioset.
    expect(runner.log.some((l) => /^gpioset .* 27=/.test(l))).toBe(false);
  });

  it("PIR: a rising edge after warm-up is motion", async () => {
    const { runner, p } = await started(1);
    const mon = runner.monitor(22);
    expect(mon.cmdline).toBe("gpiomon -b --format=%o %e gpiochip0 22");
    const motion = vi.fn();
    p.on("motion", motion);
    await vi.advanceTimersByTimeAsync(2100);
    mon.print("22 1");
    await vi.advanceTimersByTimeAsync(100);
    expect(motion).toHaveBeenCalledTimes(1);
  });
});

describe("GpiodIo under JohnnyFivePeripherals, libgpiod v2 (Debian 13)", () => {
  it("uses -c, holds outputs with a plain gpioset, and reads falling edges as event type 2", async () => {
    const { runner, p, io } = await started(2);
    expect(io.version).toBe(2);
    p.led("ready");
    await settle();
    expect(runner.live("gpioset -c gpiochip0 17")).toEqual(["gpioset -c gpiochip0 17=1"]);
    expect(runner.log).toContain("gpioget --numeric --bias=pull-up -c gpiochip0 27");
    const mon = runner.monitor(27);
    expect(mon.cmdline).toBe("gpiomon -c gpiochip0 --format=%o %e --bias=pull-up 27");
    const help = vi.fn();
    p.on("help", help);
    mon.print("27 2"); // falling
    await vi.advanceTimersByTimeAsync(50);
    mon.print("27 1"); // rising
    await vi.advanceTimersByTimeAsync(50);
    expect(help).toHaveBeenCalledTimes(1);
    expect(runner.monitor(22).cmdline).toBe("gpiomon -c gpiochip0 --format=%o %e 22");
  });
});

describe("GpiodIo failures", () => {
  it("missing tools and a wrong chip are typed errors that name the fix", async () => {
    const none = new FakeRunner(() => new Error("spawn gpioset ENOENT"));
    await expect(createGpiodIo({ chip: "gpiochip0", runner: none })).rejects.toMatchObject({
      code: "gpio-tools-missing",
      message: expect.stringContaining("apt install gpiod"),
    });
    await expect(createGpiodIo({ chip: "gpiochip4", runner: piRunner(2) })).rejects.toMatchObject({
      code: "gpio-no-chip",
      message: "gpiochip4 not found; gpiodetect lists: gpiochip0, gpiochip1",
    });
    expect(DETECT).toContain("gpiochip1");
  });

  it("a gpiomon that dies (line busy) turns the peripherals' status to error", async () => {
    const { runner, p } = await started(1);
    runner.monitor(22).crash(1, "gpiomon: error waiting for events: Device or resource busy");
    await settle();
    expect(p.status).toMatchObject({
      state: "error",
      code: "board-error",
      detail: expect.stringContaining("busy"),
    });
  });

  it("close() ends every gpioset and gpiomon", async () => {
    const { runner, io, p } = await started(1);
    p.led("ready");
    await settle();
    await io.close();
    expect(runner.live("")).toEqual([]);
  });

  it("rejects analog modes and unknown pins", () => {
    const io = new GpiodIo({ chip: "gpiochip0", runner: piRunner(1) });
    expect(() => io.pinMode(17, io.MODES.PWM)).toThrow(/only digital/);
    expect(() => io.digitalWrite(40, 1)).toThrow(/pin 40 does not exist/);
    expect(io.normalize("GPIO17")).toBe(17);
  });
});
