/**
 * The station's simulated mode: every real driver runs against a simulator that speaks the
 * device's own bytes (GA/T 467 frames, ESC/POS, Bluetooth 0x2A35/0x2A18/RACP, johnny-five IO).
 * SimControl is what the /sim page and /api/sim drive.
 */

import { SimulatedBleTransport } from "../../drivers/ble/sim-transport.js";
import { DEFAULT_UTC_OFFSET_MINUTES, epochToWallTime, type WallTime } from "../../drivers/ble/time.js";
import { BleBpMonitor } from "../../drivers/bp/ble-bp-monitor.js";
import { BPM_STATUS_BIT } from "../../drivers/bp/bpm-codec.js";
import { SimulatedBpCuff } from "../../drivers/bp/sim-cuff.js";
import { BleGlucoseMeter } from "../../drivers/glucose/ble-glucose-meter.js";
import { SENSOR_STATUS_FLAGS } from "../../drivers/glucose/gls-codec.js";
import { SimulatedGlucoseMeter } from "../../drivers/glucose/sim-gls.js";
import { IdCardReader } from "../../drivers/idcard/reader.js";
import { IdCardSimulator } from "../../drivers/idcard/simulator.js";
import { FakeIoPlugin } from "../../drivers/peripherals/io-plugin.js";
import { JohnnyFivePeripherals, type PeripheralPins } from "../../drivers/peripherals/j5-peripherals.js";
import { EscPosPrinter } from "../../drivers/printer/printer.js";
import { PrinterSimulator } from "../../drivers/printer/simulator.js";
import type { CardRead, DeviceSet } from "../../drivers/types.js";
import type { DeviceName } from "../protocol.js";
import { StationError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { openSerialSimLine, type SerialSimLine, type SimTransport } from "./serial-sim.js";

export type BpProfile = "normal" | "high" | "urgent" | "error" | "implausible";
export type GlucoseProfile = "normal" | "high" | "low" | "urgent-high" | "error";

export interface SimControl {
  readonly transport: SimTransport;
  /** Lifts any card still on the reader (and waits until it notices), then places `card`. */
  presentCard(card: CardRead): Promise<void>;
  /** Places `card` on the reader with a read that fails, as a scratched or misplaced card does. */
  cardFault(kind: "unreadable", card: CardRead): Promise<void>;
  liftCard(): void;
  measureBp(
    profile: BpProfile,
    override?: Partial<{ systolic: number; diastolic: number; pulse: number }>,
  ): void;
  measureGlucose(profile: GlucoseProfile, mmolL?: number): void;
  setPlugged(name: DeviceName, plugged: boolean): Promise<void>;
  pressHelp(): void;
  motion(): void;
  /** Text the simulated printer has printed (decoded back from GBK), newest slip last. */
  printedText(): string;
}

const BP: Record<Exclude<BpProfile, "error">, { systolic: number; diastolic: number; pulse: number }> = {
  normal: { systolic: 118, diastolic: 76, pulse: 72 },
  high: { systolic: 152, diastolic: 94, pulse: 80 },
  urgent: { systolic: 186, diastolic: 112, pulse: 96 },
  implausible: { systolic: 60, diastolic: 90, pulse: 70 },
};
const GLUCOSE: Record<Exclude<GlucoseProfile, "error">, number> = {
  normal: 5.4,
  high: 8.2,
  low: 3.2,
  "urgent-high": 18.5,
};
const PINS: PeripheralPins = { statusLed: 13, buzzer: 12, helpButton: 2, motion: 3 };
const BP_ADDRESS = "SIM:BP:00:00:00:01";
const GLS_ADDRESS = "SIM:GL:00:00:00:01";

/** Beijing wall time, as a device set to local time would stamp it. */
const wallTime = (ms: number): WallTime => epochToWallTime(ms, DEFAULT_UTC_OFFSET_MINUTES);

export interface SimDevicesResult {
  devices: DeviceSet;
  control: SimControl;
  close(): Promise<void>;
}

export async function createSimulatedDevices(opts: {
  transport: SimTransport;
  logger: Logger;
  now?: () => number;
}): Promise<SimDevicesResult> {
  const now = opts.now ?? Date.now;
  const log = opts.logger;

  // A resting card keeps answering find, so lifting it is what raises `removed` (the health card
  // closes on it; docs/health-card.md says which readers behave so).
  const idSim = new IdCardSimulator({ findAfterRead: "found" });
  const idLine = await openSerialSimLine(idSim, opts.transport, 115200);
  const cardReader = new IdCardReader({
    path: idLine.path,
    binding: idLine.binding,
    logger: log,
  });
  idLine.bindDriver(cardReader.link);

  const printerSim = new PrinterSimulator();
  const printerLine = await openSerialSimLine(printerSim, opts.transport, 9600);
  const printer = new EscPosPrinter({
    path: printerLine.path,
    binding: printerLine.binding,
    logger: log,
  });
  printerLine.bindDriver(printer.link);

  const cuff = new SimulatedBpCuff({ address: BP_ADDRESS, stepMs: 150 });
  const meter = new SimulatedGlucoseMeter({ address: GLS_ADDRESS });
  // One simulated link per peripheral: the simulated transport holds a single connection.
  const bpLink = new SimulatedBleTransport([cuff], { bonded: true });
  const glsLink = new SimulatedBleTransport([meter], { bonded: true });
  const bp = new BleBpMonitor({
    transport: bpLink,
    address: BP_ADDRESS,
    model: "simulated BLE BPM",
    logger: log.child("bp"),
  });
  const glucose = new BleGlucoseMeter({
    transport: glsLink,
    address: GLS_ADDRESS,
    model: "simulated BLE glucose meter",
    logger: log.child("glucose"),
  });

  const io = new FakeIoPlugin();
  const peripherals = new JohnnyFivePeripherals({
    io,
    pins: PINS,
    logger: log.child("peripherals"),
    motionCalibrationMs: 0,
  });
  const started = peripherals.start();
  io.connect();
  await started;
  // Button wired to ground with the pull-up: idle is high.
  io.setInput(PINS.helpButton, 1);

  // A reader reads a new card only after the previous one has left it, as with a real villager.
  const liftAndWait = async () => {
    idSim.lift();
    for (let i = 0; i < 40 && cardReader.cardPresent; i++) await new Promise((r) => setTimeout(r, 50));
  };

  let glucoseSeq = 0;
  const lines: Record<string, SerialSimLine> = { cardReader: idLine, printer: printerLine };
  const bleLinks: Record<string, [SimulatedBleTransport, string]> = {
    bp: [bpLink, BP_ADDRESS],
    glucose: [glsLink, GLS_ADDRESS],
  };

  const control: SimControl = {
    transport: opts.transport,
    async presentCard(card) {
      await liftAndWait();
      idSim.present(card);
    },
    async cardFault(_kind, card) {
      await liftAndWait();
      idSim.injectFault("read-failed");
      idSim.present(card);
    },
    liftCard: () => idSim.lift(),
    measureBp(profile, override) {
      const base = profile === "error" ? BP.normal : BP[profile];
      const v = { ...base, ...override };
      cuff.startMeasurement({
        unit: "mmHg",
        systolic: v.systolic,
        diastolic: v.diastolic,
        mean: Math.round((v.systolic + 2 * v.diastolic) / 3),
        pulse: v.pulse,
        timestamp: wallTime(now()),
        userId: 1,
        // A real cuff that detects a loose fit still reports numbers, flagged in the status word.
        status: profile === "error" ? BPM_STATUS_BIT.cuffLoose : 0,
      });
    },
    measureGlucose(profile, mmolL) {
      glucoseSeq += 1;
      const insufficient = 1 << SENSOR_STATUS_FLAGS.indexOf("sample-insufficient");
      meter.addRecord({
        measurement: {
          sequence: glucoseSeq,
          baseTime: wallTime(now()),
          timeOffsetMinutes: 0,
          ...(profile === "error"
            ? { sensorStatus: insufficient }
            : {
                concentration: { value: (mmolL ?? GLUCOSE[profile]) / 1000, unit: "mol/L" as const },
                sampleType: 1,
                sampleLocation: 1,
              }),
        },
      });
    },
    async setPlugged(name, plugged) {
      const line = lines[name];
      if (line) return plugged ? line.plug() : line.unplug();
      const ble = bleLinks[name];
      if (ble) {
        const [link, address] = ble;
        link.setReachable(address, plugged);
        if (!plugged) link.dropLink("simulated power-off");
        return;
      }
      throw new StationError("sim-unsupported", `cannot unplug ${name} in simulation`);
    },
    pressHelp() {
      io.setInput(PINS.helpButton, 0);
      setTimeout(() => io.setInput(PINS.helpButton, 1), 100).unref();
    },
    motion() {
      io.setInput(PINS.motion, 1);
      setTimeout(() => io.setInput(PINS.motion, 0), 500).unref();
    },
    printedText: () => printerSim.text.join("\n"),
  };

  return {
    devices: { cardReader, bp, glucose, printer, peripherals },
    control,
    async close() {
      await Promise.allSettled([idLine.close(), printerLine.close()]);
    },
  };
}
