/**
 * A receipt printer that understands the ESC/POS subset the station sends: it answers DLE EOT
 * like a real printer, decodes GBK text in Chinese mode back into lines, records QR data and
 * cuts, and can run out of paper. Works over any byte stream, like the ID card simulator.
 */
import iconv from "iconv-lite";
import { TypedEmitter } from "../../station/util/emitter.js";
import { attachToStream, type ByteStream } from "../serial/mock-device.js";
import { DLE, ESC, FS, GS, LF } from "./escpos.js";

export interface PrintedLine {
  text: string;
  bold: boolean;
  large: boolean;
  align: "left" | "center" | "right";
}

export type PrinterSimulatorEvents = { output: [Buffer]; cut: [] };

/** Bytes a command needs, or 0 when more must arrive first. */
type Step = { need: number; run?: (b: Buffer) => void };

export class PrinterSimulator extends TypedEmitter<PrinterSimulatorEvents> {
  #pending = Buffer.alloc(0);
  #text: number[] = [];
  #chinese = false;
  #bold = false;
  #large = false;
  #align: PrintedLine["align"] = "left";
  #qrStore: Buffer | undefined;
  paperOut = false;
  paperNearEnd = false;
  coverOpen = false;
  readonly lines: PrintedLine[] = [];
  readonly qrCodes: string[] = [];
  cuts = 0;
  /** Bytes that would have printed while the paper was out. */
  lostBytes = 0;
  unknownBytes = 0;

  receive(chunk: Buffer): void {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    for (;;) {
      const step = this.#step(this.#pending);
      if (step.need === 0 || step.need > this.#pending.length) break;
      step.run?.(this.#pending.subarray(0, step.need));
      this.#pending = this.#pending.subarray(step.need);
    }
  }

  attach(stream: ByteStream): () => void {
    return attachToStream(this, stream);
  }

  /** Bytes held back waiting for the rest of a command (at most one GS ( k block). */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** All printed text, one line per entry. */
  get text(): string[] {
    return this.lines.map((l) => l.text);
  }

  #statusByte(n: number): number | undefined {
    const stopped = this.paperOut || this.coverOpen;
    if (n === 1) return 0x12 | (stopped ? 0x08 : 0);
    if (n === 2) return 0x12 | (this.coverOpen ? 0x04 : 0) | (this.paperOut ? 0x20 : 0);
    if (n === 3) return 0x12;
    if (n === 4) return 0x12 | (this.paperOut ? 0x60 : 0) | (this.paperNearEnd ? 0x0c : 0);
    return undefined;
  }

  #step(b: Buffer): Step {
    if (b.length === 0) return { need: 0 };
    const c = b[0]!;
    if (c === DLE) {
      if (b.length < 2) return { need: 0 };
      if (b[1] !== 0x04) return this.#unknown();
      return {
        need: 3,
        run: (x) => {
          const s = this.#statusByte(x[2]!);
          if (s !== undefined) this.emit("output", Buffer.from([s]));
        },
      };
    }
    if (c === ESC) {
      const op = b[1];
      if (op === undefined) return { need: 0 };
      if (op === 0x40) return { need: 2, run: () => this.#reset() };
      if (op === 0x45) return { need: 3, run: (x) => (this.#bold = x[2] !== 0) };
      if (op === 0x61)
        return { need: 3, run: (x) => (this.#align = (["left", "center", "right"] as const)[x[2]! % 3]!) };
      if (op === 0x64) return { need: 3 };
      return this.#unknown();
    }
    if (c === FS) {
      const op = b[1];
      if (op === undefined) return { need: 0 };
      if (op === 0x26) return { need: 2, run: () => (this.#chinese = true) };
      if (op === 0x2e) return { need: 2, run: () => (this.#chinese = false) };
      return this.#unknown();
    }
    if (c === GS) return this.#gs(b);
    if (c === LF) return { need: 1, run: () => this.#endLine() };
    if (c < 0x20) return this.#unknown();
    return { need: 1, run: (x) => this.#print(x[0]!) };
  }

  #gs(b: Buffer): Step {
    const op = b[1];
    if (op === undefined) return { need: 0 };
    if (op === 0x21) return { need: 3, run: (x) => (this.#large = x[2] !== 0) };
    if (op === 0x56) {
      if (b.length < 3) return { need: 0 };
      return { need: b[2]! >= 65 ? 4 : 3, run: () => this.#cut() };
    }
    if (op === 0x28) {
      if (b.length < 5) return { need: 0 };
      if (b[2] !== 0x6b) return this.#unknown();
      const len = b[3]! + 256 * b[4]!;
      return { need: 5 + len, run: (x) => this.#qr(x.subarray(5)) };
    }
    return this.#unknown();
  }

  #unknown(): Step {
    return { need: 1, run: () => this.unknownBytes++ };
  }

  #qr(body: Buffer): void {
    // body = cn fn [params]; 31 50 30 stores data, 31 51 30 prints it.
    if (body[0] !== 0x31) return;
    if (body[1] === 0x50) this.#qrStore = Buffer.from(body.subarray(3));
    if (body[1] === 0x51 && this.#qrStore) {
      if (this.paperOut) this.lostBytes += this.#qrStore.length;
      else this.qrCodes.push(this.#qrStore.toString("utf8"));
    }
  }

  #print(byte: number): void {
    if (this.paperOut || this.coverOpen) this.lostBytes++;
    else this.#text.push(byte);
  }

  #endLine(): void {
    if (this.paperOut || this.coverOpen) return;
    const raw = Buffer.from(this.#text);
    this.#text = [];
    // Outside Chinese mode the printer uses a single-byte code page: GBK would print as junk.
    const text = this.#chinese ? iconv.decode(raw, "GBK") : raw.toString("latin1");
    this.lines.push({ text, bold: this.#bold, large: this.#large, align: this.#align });
  }

  #cut(): void {
    if (this.paperOut) return;
    this.cuts++;
    this.emit("cut");
  }

  #reset(): void {
    this.#bold = false;
    this.#large = false;
    this.#align = "left";
    this.#chinese = false;
  }
}
