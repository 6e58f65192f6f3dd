/**
 * Runs a byte-level device simulator behind a MockBinding port: what the driver writes is fed
 * to the simulator, what the simulator sends is injected with emitData. Lets unit tests and
 * the station's simulated mode exercise the real codec, parser and facade end to end.
 */
import type { SerialPortMock } from "serialport";
import type { DeviceStatus } from "../types.js";

/** MockBinding's port type (reached through serialport: binding-mock's ESM entry ships no types). */
export type MockPortBinding = NonNullable<SerialPortMock["port"]>;

export interface SimulatedDevice {
  receive(chunk: Buffer): void;
  on(event: "output", fn: (chunk: Buffer) => void): unknown;
  off(event: "output", fn: (chunk: Buffer) => void): unknown;
}

/** Any byte stream a simulator can sit on: a real SerialPort (pty) or a test double. */
export interface ByteStream {
  write(chunk: Buffer): unknown;
  on(event: "data", fn: (chunk: Buffer) => void): unknown;
  off(event: "data", fn: (chunk: Buffer) => void): unknown;
}

/** Wires a simulator to a byte stream: stream data in, simulator output out. Returns detach. */
export function attachToStream(device: SimulatedDevice, stream: ByteStream): () => void {
  const onData = (c: Buffer) => device.receive(c);
  const onOut = (b: Buffer) => stream.write(b);
  stream.on("data", onData);
  device.on("output", onOut);
  return () => {
    stream.off("data", onData);
    device.off("output", onOut);
  };
}

/** Attaches to one open mock port; returns a detach function. */
export function attachToMockPort(port: MockPortBinding, device: SimulatedDevice): () => void {
  const original = port.write;
  port.write = async (buffer: Buffer) => {
    await original.call(port, buffer);
    device.receive(Buffer.from(buffer));
  };
  const onOutput = (chunk: Buffer) => {
    if (port.isOpen) port.emitData(Buffer.from(chunk));
  };
  device.on("output", onOutput);
  return () => {
    port.write = original;
    device.off("output", onOutput);
  };
}

interface LinkLike {
  readonly port: { port?: unknown } | undefined;
  on(event: "status", fn: (s: DeviceStatus) => void): unknown;
  off(event: "status", fn: (s: DeviceStatus) => void): unknown;
}

/** Keeps the device attached across reconnects (each open makes a new MockPortBinding). */
export function attachToMockLink(link: LinkLike, device: SimulatedDevice): () => void {
  let detach: (() => void) | undefined;
  const bind = () => {
    detach?.();
    detach = undefined;
    const port = link.port?.port as MockPortBinding | undefined;
    if (port) detach = attachToMockPort(port, device);
  };
  const onStatus = (s: DeviceStatus) => {
    if (s.state === "connected") bind();
  };
  link.on("status", onStatus);
  bind();
  return () => {
    link.off("status", onStatus);
    detach?.();
  };
}
