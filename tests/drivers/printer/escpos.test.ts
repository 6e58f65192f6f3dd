import { describe, expect, it } from "vitest";
import { EscPosBuilder, encodeSlip, gbk, qrCode } from "../../../drivers/printer/escpos.js";
import { PrinterSimulator } from "../../../drivers/printer/simulator.js";

describe("ESC/POS encoder", () => {
  it("QR code: GS ( k model, size, EC, store (pL pH = len+3), print — exact bytes", () => {
    // biome-ignore format: one command per line, each with its comment
    const expected = Buffer.from([
      0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, // fn 165 (41): model 2 (32)
      0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06, //       fn 167 (43): module size 6
      0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31, //       fn 169 (45): EC level M (31)
      0x1d, 0x28, 0x6b, 0x05, 0x00, 0x31, 0x50, 0x30, //       fn 180 (50): store, pL=5 = 2 data bytes + 3
      0x52, 0x31, //                                            data "R1"
      0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30, //       fn 181 (51): print
    ]);
    expect(qrCode("R1", { moduleSize: 6, ec: "M" })).toEqual(expected);
  });

  it("QR store length crosses into pH for long data", () => {
    const q = qrCode("x".repeat(300), { ec: "H" });
    const store = q.subarray(25, 33);
    // 303 = 0x012F → pL 2F, pH 01
    expect([...store]).toEqual([0x1d, 0x28, 0x6b, 0x2f, 0x01, 0x31, 0x50, 0x30]);
    expect(q[24]).toBe(0x33); // EC H
    expect(() => qrCode("")).toThrow(/1\.\.7089/);
  });

  it("Chinese mode FS & / FS . around GBK text", () => {
    const bytes = new EscPosBuilder().init().chinese(true).line("血压").chinese(false).build();
    // biome-ignore format: one command per line, each with its comment
    const expected = Buffer.from([
      0x1b, 0x40, //             ESC @ init
      0x1c, 0x26, //             FS & enter Chinese mode
      0xd1, 0xaa, 0xd1, 0xb9, // "血压" in GBK
      0x0a, //                   LF
      0x1c, 0x2e, //             FS . leave Chinese mode
    ]);
    expect(bytes).toEqual(expected);
  });

  it("sends the half-width ¥ as the full-width ￥ (A3 A4), never a GB18030 4-byte sequence", () => {
    expect(gbk("¥5")).toEqual(Buffer.from([0xa3, 0xa4, 0x35]));
    expect(gbk("￥")).toEqual(Buffer.from([0xa3, 0xa4]));
  });

  it("strips control bytes from text so data cannot inject commands", () => {
    expect(gbk("A\x1bB\x1dV\n")).toEqual(Buffer.from("A B V ", "latin1"));
  });

  it("style commands: GS ! large, ESC E bold, ESC a align, GS V partial cut", () => {
    const b = new EscPosBuilder().size("large").bold(true).align("center").cut().build();
    expect([...b]).toEqual([0x1d, 0x21, 0x11, 0x1b, 0x45, 0x01, 0x1b, 0x61, 0x01, 0x1d, 0x56, 0x42, 0x00]);
  });

  it("encodeSlip: init + Chinese mode first, leave Chinese mode + cut last; round-trips through the simulator", () => {
    const slip = {
      title: "健康检查小票",
      lines: [
        { text: "血压 128/82 mmHg", bold: true },
        { text: "空腹血糖 5.6 mmol/L", size: "large" as const, align: "center" as const },
        { text: "费用 ¥0（免费）" },
      ],
      qr: "rec-0192a3b4",
    };
    const bytes = encodeSlip(slip);
    expect([...bytes.subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    expect([...bytes.subarray(-6)]).toEqual([0x1c, 0x2e, 0x1d, 0x56, 0x42, 0x00]);
    const sim = new PrinterSimulator();
    // Byte by byte: the simulator must cope with commands split across chunks.
    for (const byte of bytes) sim.receive(Buffer.from([byte]));
    expect(sim.lines).toEqual([
      { text: "健康检查小票", bold: true, large: true, align: "center" },
      { text: "血压 128/82 mmHg", bold: true, large: false, align: "left" },
      { text: "空腹血糖 5.6 mmol/L", bold: false, large: true, align: "center" },
      { text: "费用 ￥0（免费）", bold: false, large: false, align: "left" },
      { text: "", bold: false, large: false, align: "center" },
    ]);
    expect(sim.qrCodes).toEqual(["rec-0192a3b4"]);
    expect(sim.cuts).toBe(1);
    expect(sim.unknownBytes).toBe(0);
  });

  it("the simulator prints GBK outside Chinese mode as junk, which is why FS & matters", () => {
    const sim = new PrinterSimulator();
    sim.receive(new EscPosBuilder().line("血压").build());
    expect(sim.text).toEqual([Buffer.from([0xd1, 0xaa, 0xd1, 0xb9]).toString("latin1")]);
  });
});
