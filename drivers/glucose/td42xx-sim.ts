/**
 * A simulated TD-42xx meter that speaks the same 8-byte frames, over any Duplex (a pty via
 * socat, a PassThrough pair) or called directly with `receive`. Commands it does not know,
 * out-of-range record indexes and any command while asleep get no reply, which is what the
 * host's timeout handles. Records are stored newest-first by default.
 */
import type { Duplex } from "node:stream";
import type { WallTime } from "../ble/time.js";
import {
  decodeTdDateTime,
  encodeTd42xxFrame,
  encodeTdDateTime,
  encodeTdRecordValue,
  scanTd42xxFrames,
  TD_CMD,
  type Td42xxFrame,
} from "./td42xx-codec.js";

export interface TdSimRecord {
  time: WallTime;
  mgdl: number;
  meal: "none" | "before" | "after";
}

export interface Td42xxSimulatorOptions {
  /** BCD model number, default 0x4277. */
  model?: number;
  /** Oldest first, as tests write them. */
  records?: TdSimRecord[];
  /** Store index 0 = newest (default) or index 0 = oldest. */
  newestFirst?: boolean;
  clock?: WallTime;
}

export class Td42xxSimulator {
  readonly #model: number;
  readonly #newestFirst: boolean;
  /** Oldest first. */
  readonly #records: TdSimRecord[];
  #clock: WallTime;
  #rest: Uint8Array = new Uint8Array();
  /** While false the meter is off/asleep and answers nothing. */
  awake = true;
  /** Host frames seen, for assertions. */
  readonly received: Td42xxFrame[] = [];

  constructor(options: Td42xxSimulatorOptions = {}) {
    this.#model = options.model ?? 0x4277;
    this.#newestFirst = options.newestFirst ?? true;
    this.#records = [...(options.records ?? [])];
    this.#clock = options.clock ?? { year: 2026, month: 1, day: 1, hours: 8, minutes: 0, seconds: 0 };
  }

  get recordCount(): number {
    return this.#records.length;
  }

  /** A new test on the meter. */
  addRecord(r: TdSimRecord): void {
    this.#records.push(r);
  }

  /** Host bytes in (any chunking), reply frames out. */
  receive(chunk: Uint8Array): Uint8Array[] {
    const buf = new Uint8Array(this.#rest.length + chunk.length);
    buf.set(this.#rest, 0);
    buf.set(chunk, this.#rest.length);
    const scan = scanTd42xxFrames(buf);
    this.#rest = scan.rest;
    const replies: Uint8Array[] = [];
    for (const f of scan.frames) {
      if (f.dir !== "host") continue;
      this.received.push(f);
      const r = this.awake ? this.#answer(f) : null;
      if (r) replies.push(r);
    }
    return replies;
  }

  /** Answers host frames arriving on `stream`. Returns a detach function. */
  attach(stream: Duplex): () => void {
    const onData = (chunk: Buffer) => {
      for (const r of this.receive(chunk)) stream.write(Buffer.from(r));
    };
    stream.on("data", onData);
    return () => stream.off("data", onData);
  }

  #answer(f: Td42xxFrame): Uint8Array | null {
    const reply = (data: ArrayLike<number>) => encodeTd42xxFrame(f.cmd, data, "meter");
    const index = f.data[0]! | (f.data[1]! << 8);
    switch (f.cmd) {
      case TD_CMD.connect:
        return reply([0, 0, 0, 0]);
      case TD_CMD.readModel:
        return reply([this.#model & 0xff, this.#model >> 8, 0, 0]);
      case TD_CMD.readClock:
        return reply(encodeTdDateTime(this.#clock));
      case TD_CMD.setClock:
        this.#clock = decodeTdDateTime(f.data);
        return reply(encodeTdDateTime(this.#clock));
      case TD_CMD.readingCount:
        return reply([this.#records.length & 0xff, this.#records.length >> 8, 0, 0]);
      case TD_CMD.recordTime: {
        const r = this.#at(index);
        return r ? reply(encodeTdDateTime(r.time)) : null;
      }
      case TD_CMD.recordValue: {
        const r = this.#at(index);
        return r ? reply(encodeTdRecordValue(r.mgdl, r.meal)) : null;
      }
      case TD_CMD.clearMemory:
        this.#records.length = 0;
        return reply([0, 0, 0, 0]);
      case TD_CMD.powerOff:
        this.awake = false;
        return null;
      default:
        return null;
    }
  }

  #at(index: number): TdSimRecord | undefined {
    const n = this.#records.length;
    if (index >= n) return undefined;
    return this.#records[this.#newestFirst ? n - 1 - index : index];
  }
}
