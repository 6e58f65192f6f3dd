import { SerialPort } from "serialport";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCommand, encodeResponse } from "../../../drivers/idcard/codec.js";
import { IdCardFrameParser } from "../../../drivers/idcard/parser.js";
import { SerialLink } from "../../../drivers/serial/link.js";
import { openPtyPair, type PtyPair } from "../../../drivers/serial/pty.js";
import type { DeviceStatus } from "../../../drivers/types.js";

const waitStatus = (link: SerialLink<Buffer>, state: DeviceStatus["state"]) =>
  new Promise<DeviceStatus>((resolve) => {
    const fn = (s: DeviceStatus) => {
      if (s.state !== state) return;
      link.off("status", fn);
      resolve(s);
    };
    link.on("status", fn);
  });

describe("SerialLink hot-plug over a real pty (native binding)", () => {
  let pty: PtyPair | undefined;
  let link: SerialLink<Buffer> | undefined;
  let device: SerialPort | undefined;

  afterAll(async () => {
    await link?.stop();
    if (device?.isOpen) await new Promise((r) => device!.close(r));
    await pty?.close();
  });

  it("device vanishes → disconnected (presence watch); comes back → reconnects and answers", async () => {
    pty = await openPtyPair();
    link = new SerialLink<Buffer>({
      path: pty.b,
      baudRate: 115200,
      createParser: () => new IdCardFrameParser(),
      backoff: { initialMs: 100, maxMs: 400 },
      presence: { intervalMs: 200 },
    });
    await link.start();
    expect(link.status.state).toBe("connected");

    const down = waitStatus(link, "disconnected");
    await pty.kill();
    expect(await down).toMatchObject({ code: "unplugged" });

    const up = waitStatus(link, "connected");
    pty = await openPtyPair(pty.dir);
    await up;

    device = new SerialPort({ path: pty.a, baudRate: 115200 });
    device.on("data", () => device!.write(encodeResponse(0x90)));
    await new Promise((r) => device!.once("open", r));
    await expect(
      link.request("after replug", encodeCommand("samStatus"), (f) => f.length >= 3, 2000),
    ).resolves.toEqual(Buffer.from([0, 0, 0x90]));
  });
});
