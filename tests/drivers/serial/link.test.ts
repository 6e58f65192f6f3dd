import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeCommand, encodeResponse } from "../../../drivers/idcard/codec.js";
import { IdCardFrameParser } from "../../../drivers/idcard/parser.js";
import { backoffDelay, SerialLink } from "../../../drivers/serial/link.js";
import { attachToMockPort, type MockPortBinding } from "../../../drivers/serial/mock-device.js";
import type { DeviceStatus } from "../../../drivers/types.js";
import { StationError } from "../../../station/util/errors.js";

const binding = SerialPortMock.binding;
let seq = 0;
const links: SerialLink<Buffer>[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const l of links.splice(0)) await l.stop();
  binding.reset();
});

function makeLink(opts: { create?: boolean } = {}) {
  const path = `/dev/ttyMOCK-link-${seq++}`;
  if (opts.create !== false) binding.createPort(path, { record: true, echo: false });
  const link = new SerialLink<Buffer>({
    path,
    baudRate: 115200,
    binding,
    createParser: () => new IdCardFrameParser(),
    backoff: { initialMs: 100, maxMs: 10_000 },
    random: () => 0.5,
  });
  links.push(link);
  const statuses: DeviceStatus[] = [];
  link.on("status", (s) => statuses.push(s));
  return { link, path, statuses };
}

const mockPort = (link: SerialLink<Buffer>) => link.port!.port as MockPortBinding;
const anyFrame = (f: Buffer) => f.length >= 3;

/** A device that answers every command at once with SW3 90, from inside the write. */
function echoOk() {
  const listeners = new Set<(b: Buffer) => void>();
  return {
    receive: () => {
      for (const l of listeners) l(encodeResponse(0x90));
    },
    on: (_e: "output", fn: (b: Buffer) => void) => listeners.add(fn),
    off: (_e: "output", fn: (b: Buffer) => void) => listeners.delete(fn),
  };
}

describe("backoffDelay", () => {
  it("doubles from the initial delay, is capped, and jitters within [d/2, d]", () => {
    const mid = (a: number) => backoffDelay(a, { initialMs: 250, maxMs: 10_000 }, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6].map(mid)).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000]);
    expect(backoffDelay(50, {}, () => 1)).toBe(10_000);
    expect(backoffDelay(3, { initialMs: 250 }, () => 0)).toBe(1000);
  });
});

describe("SerialLink", () => {
  it("opens, answers a request, and passes unsolicited frames on", async () => {
    const { link, statuses } = makeLink();
    await link.start();
    expect(statuses.map((s) => s.state)).toEqual(["connected"]);
    attachToMockPort(mockPort(link), echoOk());
    // The answer arrives while the write is still in flight: the waiter must already exist.
    const r = await link.request("test find", encodeCommand("find"), anyFrame, 1000);
    expect(r).toEqual(Buffer.from([0, 0, 0x90]));
    expect(mockPort(link).recording).toEqual(encodeCommand("find"));
    const unsolicited = new Promise<Buffer>((res) => link.once("frame", res));
    mockPort(link).emitData(encodeResponse(0x9f));
    expect(await unsolicited).toEqual(Buffer.from([0, 0, 0x9f]));
  });

  it("serialises requests: the second command is written only after the first is answered", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { link } = makeLink();
    await link.start();
    const port = mockPort(link);
    const a = link.request("first", encodeCommand("find"), anyFrame, 1000);
    const b = link.request("second", encodeCommand("select"), anyFrame, 1000);
    await vi.advanceTimersByTimeAsync(10);
    expect(port.recording).toEqual(encodeCommand("find"));
    port.emitData(encodeResponse(0x9f));
    expect(await a).toEqual(Buffer.from([0, 0, 0x9f]));
    await vi.advanceTimersByTimeAsync(10);
    expect(port.recording).toEqual(Buffer.concat([encodeCommand("find"), encodeCommand("select")]));
    port.emitData(encodeResponse(0x90));
    expect(await b).toEqual(Buffer.from([0, 0, 0x90]));
  });

  it("a request times out with a message naming the command", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { link } = makeLink();
    await link.start();
    const p = link.request("idcard read", encodeCommand("read"), anyFrame, 3000);
    const caught = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3000);
    const err = await caught;
    expect(err).toBeInstanceOf(StationError);
    expect(err).toMatchObject({ code: "timeout", message: "idcard read: no response within 3000 ms" });
  });

  it("hot-plug: unplug → disconnected at once, pending request rejected, reconnect with backoff, resume", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { link, path, statuses } = makeLink();
    await link.start();
    const pending = link
      .request("idcard find", encodeCommand("find"), anyFrame, 5000)
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1);
    // What the native binding does when a read fails because the USB device vanished.
    binding.reset(); // the device node is gone while unplugged
    link.port!._disconnected(new Error("EIO: device unplugged"));
    await vi.advanceTimersByTimeAsync(0);
    expect(link.status).toMatchObject({ state: "disconnected", code: "unplugged" });
    expect(await pending).toMatchObject({
      code: "disconnected",
      message: expect.stringMatching(/^idcard find: /),
    });
    // Retries fail while the device is absent: 100·2^0, then 2^1 … with jitter 0.5 → 75, 150, 300 ms.
    await vi.advanceTimersByTimeAsync(75 + 150 + 300);
    expect(link.stats.reconnects).toBe(3);
    expect(link.status.state).toBe("disconnected");
    binding.createPort(path, { record: true, echo: false }); // plugged back in
    await vi.advanceTimersByTimeAsync(600);
    expect(link.status.state).toBe("connected");
    expect(statuses.map((s) => `${s.state}:${s.code ?? ""}`)).toEqual([
      "connected:",
      "disconnected:unplugged",
      "disconnected:open-failed",
      "connected:",
    ]);
    attachToMockPort(mockPort(link), echoOk());
    await expect(link.request("again", encodeCommand("find"), anyFrame, 1000)).resolves.toEqual(
      Buffer.from([0, 0, 0x90]),
    );
  });

  it("a port error also counts as unplugged and recovers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { link } = makeLink();
    await link.start();
    link.port!.emit("error", new Error("EIO"));
    await vi.advanceTimersByTimeAsync(0);
    expect(link.status).toMatchObject({ state: "disconnected", code: "port-error" });
    await vi.advanceTimersByTimeAsync(100);
    expect(link.status.state).toBe("connected");
  });

  it("starts even when the device is absent, then connects when it appears", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { link, path } = makeLink({ create: false });
    await link.start();
    expect(link.status).toMatchObject({ state: "disconnected", code: "open-failed" });
    await expect(link.request("x", encodeCommand("find"), anyFrame, 100)).rejects.toThrow(
      /x: serial port .* is not open/,
    );
    binding.createPort(path, { record: true, echo: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(link.status.state).toBe("connected");
  });

  it("presence watch: a vanished device node means unplugged within the interval, even with no port error", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const path = `/dev/ttyMOCK-link-${seq++}`;
    binding.createPort(path, { record: true, echo: false });
    let present = true;
    const link = new SerialLink<Buffer>({
      path,
      baudRate: 9600,
      binding,
      createParser: () => new IdCardFrameParser(),
      presence: { intervalMs: 1000, exists: async () => present },
      random: () => 0.5,
    });
    links.push(link);
    await link.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(link.status.state).toBe("connected");
    present = false;
    binding.reset();
    await vi.advanceTimersByTimeAsync(1000);
    expect(link.status).toMatchObject({ state: "disconnected", code: "unplugged" });
  });

  it("stop() closes the port and does not reconnect", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { link } = makeLink();
    await link.start();
    await link.stop();
    expect(link.status).toMatchObject({ state: "disconnected", code: "stopped" });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(link.status.code).toBe("stopped");
    expect(link.stats.reconnects).toBe(0);
  });
});

describe("a write slower than the response timeout", () => {
  it("rejects the request with the timeout, and leaves no unhandled rejection behind", async () => {
    const { link } = makeLink();
    await link.start();
    // A loaded machine (or a slow USB-serial adapter) can hold the write callback past the timeout.
    vi.spyOn(link, "write").mockImplementation(() => new Promise((r) => setTimeout(r, 60)));
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      await expect(link.request("slow", Buffer.from([1, 2, 3]), anyFrame, 10)).rejects.toMatchObject({
        code: "timeout",
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
