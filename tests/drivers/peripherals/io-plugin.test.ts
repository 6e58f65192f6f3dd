import { describe, expect, it } from "vitest";
import { createFirmataIo, FakeIoPlugin, loadJohnnyFive } from "../../../drivers/peripherals/io-plugin.js";
import { LED_PATTERNS, PatternPlayer } from "../../../drivers/peripherals/patterns.js";

describe("lazy loading of johnny-five and firmata", () => {
  it("firmata's load-time failure (a thrown string) becomes a StationError", async () => {
    // firmata/lib/com.js throws the bare string below when serialport 8's binding is missing.
    const failing = async () => {
      throw "Missing serialport dependency";
    };
    await expect(createFirmataIo("/dev/serial/by-id/usb-Arduino", failing)).rejects.toMatchObject({
      code: "peripherals-io-unavailable",
      message: expect.stringContaining("Missing serialport dependency"),
    });
  });

  it("a missing johnny-five becomes a StationError", async () => {
    const failing = async () => {
      throw new Error("Cannot find package 'johnny-five'");
    };
    await expect(loadJohnnyFive(failing)).rejects.toMatchObject({ code: "peripherals-io-unavailable" });
  });

  it("createFirmataIo constructs the loaded class with the port path", async () => {
    class StubFirmata extends FakeIoPlugin {
      constructor(readonly path: string) {
        super();
      }
    }
    const io = await createFirmataIo("/dev/ttyACM0", async () => ({ default: StubFirmata }));
    expect((io as StubFirmata).path).toBe("/dev/ttyACM0");
  });
});

describe("FakeIoPlugin", () => {
  it("reports input changes only, like Firmata", () => {
    const io = new FakeIoPlugin();
    const seen: number[] = [];
    io.digitalRead(3, (v) => seen.push(v));
    io.setInput(3, 1);
    io.setInput(3, 1);
    io.setInput(3, 0);
    expect(seen).toEqual([1, 0]);
  });

  it("rejects pins that do not exist", () => {
    expect(() => new FakeIoPlugin(4).digitalWrite(9, 1)).toThrow(/pin 9/);
  });
});

describe("PatternPlayer", () => {
  it("a steady pattern writes once and sets no timer", () => {
    const out: boolean[] = [];
    new PatternPlayer((on) => out.push(on)).play(LED_PATTERNS.ready);
    expect(out).toEqual([true]);
  });
});
