import { describe, expect, it } from "vitest";
import type { Timers } from "../../ui/src/client/station-client.js";
import { createKeypadModel, KEYPAD_IDLE_MS } from "../../ui/src/models/keypad-model.js";

/** Manual timers: fire() runs what is due, so idle behaviour is tested without real time. */
function manualTimers() {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = nextId++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => {
      due.delete(h as number);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...due]) {
      if (t.at <= now) {
        due.delete(id);
        t.fn();
      }
    }
  };
  return { timers, advance, pending: () => due.size };
}

function setup(accept = true) {
  const submitted: Array<[string, string | undefined]> = [];
  let closed = 0;
  const clock = manualTimers();
  const keypad = createKeypadModel({
    submit: async (id, name) => {
      submitted.push([id, name]);
      return accept;
    },
    close: () => {
      closed += 1;
    },
    timers: clock.timers,
  });
  keypad.open();
  const type = (s: string) => {
    for (const ch of s) keypad.press(ch);
  };
  return { keypad, submitted, closed: () => closed, clock, type };
}

const VALID = "11010519491231002X";

describe("KeypadModel", () => {
  it("accepts digits, and X only as the 18th character, up to 18", () => {
    const { keypad, type } = setup();
    type("X12a");
    expect(keypad.id.value).toBe("12");
    type("101051949123100");
    expect(keypad.id.value).toHaveLength(17);
    type("X99");
    expect(keypad.id.value).toBe("12101051949123100X");
    keypad.backspace();
    expect(keypad.id.value).toHaveLength(17);
    expect(keypad.complete.value).toBe(false);
  });

  it("refuses a wrong check digit without sending", async () => {
    const { keypad, submitted, type } = setup();
    type("110105194912310021");
    await keypad.submit();
    expect(keypad.problem.value).toBe("check");
    expect(submitted).toEqual([]);
    keypad.backspace();
    expect(keypad.problem.value).toBeNull();
  });

  it("sends a valid number with a trimmed name, then forgets it and closes", async () => {
    const { keypad, submitted, closed, type } = setup();
    type(VALID);
    keypad.setName("  张三丰 ");
    await keypad.submit();
    expect(submitted).toEqual([[VALID, "张三丰"]]);
    expect(closed()).toBe(1);
    expect(keypad.id.value).toBe("");
    expect(keypad.name.value).toBe("");
  });

  it("sends no name when none was typed, and keeps the entry when the station refuses", async () => {
    const { keypad, submitted, closed, type } = setup(false);
    type(VALID);
    await keypad.submit();
    expect(submitted).toEqual([[VALID, undefined]]);
    expect(keypad.problem.value).toBe("rejected");
    expect(keypad.id.value).toBe(VALID);
    expect(closed()).toBe(0);
  });

  it("clears itself and closes after a minute untouched", () => {
    const { keypad, closed, clock, type } = setup();
    type("1101");
    clock.advance(KEYPAD_IDLE_MS - 1);
    type("0");
    clock.advance(KEYPAD_IDLE_MS - 1);
    expect(closed()).toBe(0);
    clock.advance(1);
    expect(closed()).toBe(1);
    expect(keypad.id.value).toBe("");
    expect(clock.pending()).toBe(0);
  });
});
