/**
 * The reader's side of the SAM serial protocol, byte for byte: it frames host commands with
 * the same parser, answers with correctly checksummed response frames, and models a card
 * being placed and lifted. It talks over any byte stream (a MockBinding adapter in unit
 * tests, a real SerialPort on a socat pty in integration tests).
 */
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import type { BadFrame } from "../serial/frame-parser.js";
import { attachToStream, type ByteStream } from "../serial/mock-device.js";
import type { CardRead } from "../types.js";
import { type CommandName, commandName, encodeResponse } from "./codec.js";
import { IdCardFrameParser } from "./parser.js";
import { SW3 } from "./sw3.js";
import { encodeTextBlock, nationCode, TEXT_BLOCK_BYTES } from "./text.js";

export type { ByteStream };

/** A card to place on the simulated reader; codes override what is derived from CardRead. */
export type SimCard = CardRead & { genderCode?: string; nationCode?: string; foreign?: boolean };

export type IdCardSimFault =
  | "bad-checksum" // next response has its CHK inverted
  | "garbage" // next response is preceded by line noise, including a stray partial preamble
  | "split" // next response arrives in two writes
  | "silence" // next command gets no answer
  | "read-failed" // next read answers SW3 41
  | "auth-failed"; // next read answers SW3 31

export interface IdCardSimulatorOptions {
  /** What find answers while a card that was already read stays on the reader (default: not found). */
  findAfterRead?: "not-found" | "found";
  photoBytes?: number;
}

export type IdCardSimulatorEvents = {
  output: [Buffer];
  command: [CommandName | "unknown"];
};

type Phase = "absent" | "placed" | "found" | "selected" | "read";

export class IdCardSimulator extends TypedEmitter<IdCardSimulatorEvents> {
  readonly #parser = new IdCardFrameParser();
  readonly #opts: Required<IdCardSimulatorOptions>;
  readonly #faults: IdCardSimFault[] = [];
  #card: SimCard | undefined;
  #phase: Phase = "absent";
  #samHealthy = true;
  readonly received: Array<CommandName | "unknown"> = [];

  constructor(opts: IdCardSimulatorOptions = {}) {
    super();
    this.#opts = { findAfterRead: opts.findAfterRead ?? "not-found", photoBytes: opts.photoBytes ?? 1024 };
    this.#parser.on("data", (payload: Buffer) => this.#handle(payload));
    this.#parser.on("badFrame", (bad: BadFrame) => {
      // A real SAM answers a command with a wrong checksum with SW3 10.
      if (bad.reason === "bad-checksum") this.#send(encodeResponse(SW3.CHECKSUM_ERROR));
    });
  }

  /** Bytes from the host. */
  receive(chunk: Buffer): void {
    this.#parser.write(chunk);
  }

  /** Wires the simulator to a stream; returns a detach function. */
  attach(stream: ByteStream): () => void {
    return attachToStream(this, stream);
  }

  present(card: SimCard): void {
    this.#card = card;
    this.#phase = "placed";
  }
  lift(): void {
    this.#card = undefined;
    this.#phase = "absent";
  }
  setSamHealthy(ok: boolean): void {
    this.#samHealthy = ok;
  }
  injectFault(fault: IdCardSimFault, count = 1): void {
    for (let i = 0; i < count; i++) this.#faults.push(fault);
  }
  clearFaults(): void {
    this.#faults.length = 0;
  }

  #takeFault(...kinds: IdCardSimFault[]): IdCardSimFault | undefined {
    const i = this.#faults.findIndex((f) => kinds.includes(f));
    return i < 0 ? undefined : this.#faults.splice(i, 1)[0];
  }

  #handle(payload: Buffer): void {
    const name = payload.length >= 2 ? commandName(payload[0]!, payload[1]!) : undefined;
    this.received.push(name ?? "unknown");
    this.emit("command", name ?? "unknown");
    if (this.#takeFault("silence")) return;
    this.#send(this.#answer(name));
  }

  #answer(name: CommandName | undefined): Buffer {
    if (!this.#samHealthy && name !== "reset") return encodeResponse(SW3.SAM_SELFTEST_FAILED);
    switch (name) {
      case "reset":
      case "samStatus":
        return encodeResponse(SW3.OK);
      case "samId":
        return encodeResponse(SW3.OK, Buffer.from("0501000020231108000000010000000a", "hex"));
      case "find":
        if (this.#phase === "read")
          return encodeResponse(this.#opts.findAfterRead === "found" ? SW3.CARD_FOUND : SW3.FIND_FAILED);
        if (this.#phase === "absent") return encodeResponse(SW3.FIND_FAILED);
        this.#phase = "found";
        return encodeResponse(SW3.CARD_FOUND);
      case "select":
        if (this.#phase !== "found") return encodeResponse(SW3.SELECT_FAILED);
        this.#phase = "selected";
        return encodeResponse(SW3.OK);
      case "read": {
        if (this.#phase !== "selected" || !this.#card) return encodeResponse(SW3.READ_FAILED);
        this.#phase = "read";
        const fault = this.#takeFault("read-failed", "auth-failed");
        if (fault) return encodeResponse(fault === "read-failed" ? SW3.READ_FAILED : SW3.AUTH_FAILED_1);
        return encodeResponse(SW3.OK, this.#readData(this.#card));
      }
      default:
        return encodeResponse(SW3.BAD_COMMAND);
    }
  }

  #readData(card: SimCard): Buffer {
    const nation = card.nationCode ?? nationCode(card.card.nation ?? "");
    if (!nation)
      throw new StationError("sim-card-invalid", `unknown nation "${card.card.nation}"; set nationCode`);
    if (!card.card.validFrom || card.card.validTo === undefined)
      throw new StationError(
        "sim-card-invalid",
        "card.validFrom and card.validTo (null = 长期) are required",
      );
    const text = encodeTextBlock({
      name: card.name,
      genderCode: card.genderCode ?? { male: "1", female: "2", unknown: "0" }[card.sex],
      nationCode: nation,
      birthDate: card.birthDate,
      address: card.card.address ?? "",
      idNumber: card.idNumber,
      issuer: card.card.issuer ?? "",
      validFrom: card.card.validFrom,
      validTo: card.card.validTo,
      ...(card.foreign ? { foreign: true } : {}),
    });
    const head = Buffer.alloc(4);
    head.writeUInt16BE(TEXT_BLOCK_BYTES, 0);
    head.writeUInt16BE(this.#opts.photoBytes, 2);
    // The WLT photo is opaque to the station; zeros keep the frame the right size.
    return Buffer.concat([head, text, Buffer.alloc(this.#opts.photoBytes)]);
  }

  #send(frame: Buffer): void {
    const fault = this.#takeFault("bad-checksum", "garbage", "split");
    if (fault === "bad-checksum") {
      const bad = Buffer.from(frame);
      bad[bad.length - 1]! ^= 0xff;
      this.emit("output", bad);
    } else if (fault === "garbage") {
      this.emit(
        "output",
        Buffer.concat([Buffer.from([0x00, 0x13, 0xaa, 0xaa, 0x55, 0xaa, 0xaa, 0xaa]), frame]),
      );
    } else if (fault === "split") {
      const mid = Math.floor(frame.length / 2);
      this.emit("output", frame.subarray(0, mid));
      this.emit("output", frame.subarray(mid));
    } else this.emit("output", frame);
  }
}
