/**
 * ESC/POS receipt printer on a serial (or USB-serial) port. Before and after each slip it asks
 * for real-time status (DLE EOT 1, 2, 4), so paper-out, cover-open and offline become a status
 * the station shows and a rejected print it can report.
 */
import type { DeviceRef } from "../../station/domain/schema.js";
import { TypedEmitter } from "../../station/util/emitter.js";
import { StationError } from "../../station/util/errors.js";
import { type Logger, silentLogger } from "../../station/util/logger.js";
import { type BackoffOptions, type SerialBinding, SerialLink } from "../serial/link.js";
import { Mutex } from "../serial/mutex.js";
import type { DeviceStatus, Printer, PrinterEvents, Slip } from "../types.js";
import { encodeSlip, type SlipEncodeOptions } from "./escpos.js";
import {
  conditionFault,
  dleEot,
  interpretStatus,
  PRINTER_FAULTS,
  type PrinterCondition,
  type PrinterFaultCode,
  StatusByteParser,
  type StatusQuery,
} from "./status.js";

export interface EscPosPrinterOptions {
  path: string;
  baudRate?: number;
  binding?: SerialBinding;
  model?: string;
  /** Some printers never answer DLE EOT; then status is not checked and faults go unseen. */
  statusQueries?: boolean;
  statusTimeoutMs?: number;
  /** Idle status poll so paper-out shows before someone waits for a slip; 0 turns it off. */
  pollIntervalMs?: number;
  slip?: SlipEncodeOptions;
  logger?: Logger;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => Date;
}

export class EscPosPrinter extends TypedEmitter<PrinterEvents> implements Printer {
  readonly ref: DeviceRef;
  readonly link: SerialLink<number>;
  readonly #opts: EscPosPrinterOptions;
  readonly #log: Logger;
  readonly #jobs = new Mutex();
  readonly #now: () => Date;
  #status: DeviceStatus;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: EscPosPrinterOptions) {
    super();
    this.#opts = opts;
    this.#now = opts.now ?? (() => new Date());
    this.#log = (opts.logger ?? silentLogger).child("printer");
    this.ref = { kind: "printer", model: opts.model ?? "ESC/POS receipt printer", transport: "serial" };
    this.link = new SerialLink<number>({
      path: opts.path,
      baudRate: opts.baudRate ?? 9600,
      createParser: () => new StatusByteParser(),
      logger: this.#log,
      now: this.#now,
      ...(opts.binding ? { binding: opts.binding } : {}),
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
    this.#status = this.link.status;
    this.link.on("status", (s) => this.#setStatus(s));
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.link.start();
    if (this.link.connected) await this.refreshStatus().catch((e: Error) => this.#log.warn(e.message));
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.link.stop();
  }

  /** Asks the printer for its condition and updates `status`. */
  async refreshStatus(): Promise<PrinterCondition | undefined> {
    if (this.#opts.statusQueries === false) return undefined;
    let cond: PrinterCondition;
    try {
      const [s1, s2, s4] = [await this.#query(1), await this.#query(2), await this.#query(4)];
      cond = interpretStatus(s1, s2, s4);
    } catch (err) {
      if (err instanceof StationError && err.code === "timeout") {
        this.#fault("printer-no-response", err.message);
        throw new StationError("printer-no-response", this.#message("printer-no-response"), {
          cause: err.message,
        });
      }
      throw err;
    }
    const code = conditionFault(cond);
    if (code) this.#fault(code);
    else this.#setStatus({ state: "connected", since: this.#now().toISOString() });
    return cond;
  }

  print(slip: Slip): Promise<void> {
    const bytes = encodeSlip(slip, this.#opts.slip);
    return this.#jobs.run(async () => {
      this.#throwIfFault(await this.refreshStatus());
      await this.link.send("printer slip", bytes);
      // Paper can run out mid-slip; the station must then offer a reprint.
      this.#throwIfFault(await this.refreshStatus());
    });
  }

  #throwIfFault(cond: PrinterCondition | undefined): void {
    const code = cond && conditionFault(cond);
    if (code) throw new StationError(code, this.#message(code));
  }

  #message(code: PrinterFaultCode): string {
    return `${PRINTER_FAULTS[code].zh} / ${PRINTER_FAULTS[code].en}`;
  }

  #query(n: StatusQuery): Promise<number> {
    return this.link.request(
      `printer DLE EOT ${n}`,
      dleEot(n),
      () => true,
      this.#opts.statusTimeoutMs ?? 1000,
    );
  }

  #fault(code: PrinterFaultCode, detail?: string): void {
    this.#setStatus({
      state: "error",
      code,
      detail: detail ?? PRINTER_FAULTS[code].en,
      since: this.#now().toISOString(),
    });
  }

  #setStatus(s: DeviceStatus): void {
    if (s.state === this.#status.state && s.code === this.#status.code) return;
    this.#status = s;
    this.emit("status", s);
  }

  #schedule(): void {
    const every = this.#opts.pollIntervalMs ?? 10_000;
    if (!this.#running || every <= 0) return;
    this.#timer = setTimeout(() => {
      const run = this.link.connected ? this.refreshStatus() : Promise.resolve(undefined);
      void run.catch((e: Error) => this.#log.debug(e.message)).finally(() => this.#schedule());
    }, every);
  }
}
