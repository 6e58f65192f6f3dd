/**
 * Puts a byte-level device simulator on the far end of a serial line, so the station's real
 * driver (codec, parser, facade, serialport) runs unchanged. Over socat pseudo-terminals when
 * socat is installed; otherwise over serialport's in-process MockBinding.
 */
import { SerialPort, SerialPortMock } from "serialport";
import { attachToMockLink, type SimulatedDevice } from "../../drivers/serial/mock-device.js";
import { openPtyPair, type PtyPair } from "../../drivers/serial/pty.js";
import { StationError } from "../util/errors.js";

export type SimTransport = "pty" | "mock";

interface Attachable extends SimulatedDevice {
  attach(stream: NodeJS.ReadWriteStream): () => void;
}

export interface SerialSimLine {
  /** Path the real driver opens. */
  path: string;
  /** Binding for the driver: undefined = the real one (pty), or MockBinding. */
  binding: typeof SerialPortMock.binding | undefined;
  /** Call once the driver exists (mock transport: ties the simulator to the driver's port). */
  bindDriver(link: Parameters<typeof attachToMockLink>[0]): void;
  /** Simulates pulling the USB plug: the device path disappears. */
  unplug(): Promise<void>;
  plug(): Promise<void>;
  close(): Promise<void>;
}

let mockSeq = 0;

async function openSimEnd(path: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  return port;
}

export async function openSerialSimLine(
  sim: Attachable,
  transport: SimTransport,
  baudRate: number,
): Promise<SerialSimLine> {
  if (transport === "mock") {
    const path = `/dev/sim-${process.pid}-${++mockSeq}`;
    SerialPortMock.binding.createPort(path, { echo: false, record: false });
    let detach: (() => void) | null = null;
    const unsupported = async () => {
      throw new StationError(
        "sim-unsupported",
        "unplugging needs socat pseudo-terminals (apt-get install socat)",
      );
    };
    return {
      path,
      binding: SerialPortMock.binding,
      bindDriver: (link) => {
        detach = attachToMockLink(link, sim);
      },
      unplug: unsupported,
      plug: unsupported,
      close: async () => detach?.(),
    };
  }

  let pty: PtyPair = await openPtyPair();
  let port = await openSimEnd(pty.a, baudRate);
  let detach = sim.attach(port);
  let plugged = true;
  const closePort = async () => {
    detach();
    if (port.isOpen) await new Promise((r) => port.close(r));
  };
  return {
    path: pty.b,
    binding: undefined,
    bindDriver: () => {},
    async unplug() {
      if (!plugged) return;
      plugged = false;
      await closePort();
      await pty.kill();
    },
    async plug() {
      if (plugged) return;
      pty = await openPtyPair(pty.dir);
      port = await openSimEnd(pty.a, baudRate);
      detach = sim.attach(port);
      plugged = true;
    },
    async close() {
      await closePort();
      await pty.close();
    },
  };
}
