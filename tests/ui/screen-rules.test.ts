import { describe, expect, it } from "vitest";
import type { DeviceStatusView, ViewState } from "../../station/protocol.js";
import { missingDevice, navButtons, neededDevice } from "../../ui/src/screen-rules.js";
import { attract, bpReady, identified, person } from "./fakes.js";

const down: DeviceStatusView = { state: "disconnected", since: "2025-11-22T10:00:00+08:00" };
const up: DeviceStatusView = { state: "connected", since: "2025-11-22T10:00:00+08:00" };
const reading = { systolic: 150, diastolic: 95, pulse: 70, unit: "mmHg", statusFlags: [] };

describe("screen rules", () => {
  it("knows which device each waiting screen needs", () => {
    expect(neededDevice(attract, null)).toBe("cardReader");
    expect(neededDevice(attract, "keypad")).toBeNull();
    expect(neededDevice(bpReady, null)).toBe("bp");
    expect(neededDevice({ ...bpReady, phase: "done" } as ViewState, null)).toBeNull();
    const waiting: ViewState = {
      step: "glucose",
      person,
      phase: "waiting",
      sampleType: "fasting",
      skippable: true,
      fault: null,
    };
    expect(neededDevice(waiting, null)).toBe("glucose");
    expect(neededDevice({ ...waiting, phase: "sample-type" }, null)).toBeNull();
    expect(neededDevice(identified, null)).toBeNull();
  });

  it("explains a missing device only when it is reported disconnected", () => {
    expect(missingDevice(bpReady, null, { bp: down })).toBe("bp");
    expect(missingDevice(bpReady, null, { bp: up })).toBeNull();
    expect(missingDevice(bpReady, null, {})).toBeNull();
    expect(missingDevice(bpReady, null, { glucose: down })).toBeNull();
    expect(missingDevice(attract, null, { cardReader: down })).toBe("cardReader");
    // A reader whose security module failed is as unusable as an unplugged one.
    expect(missingDevice(attract, null, { cardReader: { ...down, state: "error", code: "sam-fault" } })).toBe(
      "cardReader",
    );
  });

  it("offers back and cancel only where the station honours them", () => {
    expect(navButtons(attract, null)).toEqual({ back: false, cancel: false });
    expect(navButtons(attract, "keypad")).toEqual({ back: true, cancel: true });
    expect(navButtons(identified, null)).toEqual({ back: false, cancel: true });
    expect(navButtons({ step: "consent", person }, null)).toEqual({ back: true, cancel: true });
    expect(navButtons(bpReady, null)).toEqual({ back: true, cancel: true });
    expect(navButtons({ ...bpReady, phase: "measuring" } as ViewState, null).back).toBe(false);
    expect(navButtons({ ...bpReady, phase: "done", readings: [reading] } as ViewState, null).back).toBe(
      false,
    );
    expect(navButtons({ step: "saving", person, error: null }, null)).toEqual({ back: false, cancel: false });
    expect(navButtons(null, null)).toEqual({ back: false, cancel: false });
  });
});
