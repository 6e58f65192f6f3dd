import { Duplex, PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { encodeTd42xxFrame, TD_CMD } from "../../../drivers/glucose/td42xx-codec.js";
import { Td42xxSimulator } from "../../../drivers/glucose/td42xx-sim.js";
import { FX } from "./td42xx-fixtures.js";

describe("Td42xxSimulator", () => {
  it("answers over any Duplex with the same bytes a meter sends", async () => {
    const toMeter = new PassThrough();
    const fromMeter = new PassThrough();
    const link = Duplex.from({ readable: toMeter, writable: fromMeter });
    const sim = new Td42xxSimulator({
      records: [
        {
          time: { year: 2026, month: 3, day: 1, hours: 8, minutes: 30, seconds: 0 },
          mgdl: 99,
          meal: "before",
        },
      ],
    });
    sim.attach(link);
    const replies: Buffer[] = [];
    fromMeter.on("data", (b: Buffer) => replies.push(b));
    toMeter.write(Buffer.from([0x13, ...FX.hostCount])); // leading noise is skipped
    toMeter.write(Buffer.from(encodeTd42xxFrame(TD_CMD.recordValue, [0, 0, 0, 0]).subarray(0, 5)));
    toMeter.write(Buffer.from(encodeTd42xxFrame(TD_CMD.recordValue, [0, 0, 0, 0]).subarray(5)));
    toMeter.write(Buffer.from(encodeTd42xxFrame(TD_CMD.readModel)));
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(replies)).toEqual(
      Buffer.from([...FX.meterCount1, ...FX.meterValue99Before, ...FX.meterModel]),
    );
  });

  it("answers nothing while asleep, or for an index past the end", () => {
    const sim = new Td42xxSimulator();
    expect(sim.receive(encodeTd42xxFrame(TD_CMD.recordTime, [5, 0, 0, 0]))).toEqual([]);
    sim.awake = false;
    expect(sim.receive(FX.hostCount)).toEqual([]);
    expect(sim.received).toHaveLength(2);
  });
});
