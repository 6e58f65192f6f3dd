/**
 * A fake ProcessRunner: records every command line, answers one-shot tools from a table,
 * and keeps spawned processes "running" until killed, so a test can feed gpiomon lines and
 * see which gpioset processes hold which lines.
 */
import type { ProcessRunner, RunningProcess } from "../../../drivers/peripherals/process-runner.js";

export class FakeProcess implements RunningProcess {
  readonly #lines: Array<(l: string) => void> = [];
  readonly #exits: Array<(code: number | null, stderr: string, killed: boolean) => void> = [];
  alive = true;
  constructor(readonly cmdline: string) {}

  onLine(fn: (line: string) => void): void {
    this.#lines.push(fn);
  }
  onExit(fn: (code: number | null, stderr: string, killed: boolean) => void): void {
    this.#exits.push(fn);
  }
  async kill(): Promise<void> {
    this.#end(null, "", true);
  }
  /** The tool prints a line on stdout. */
  print(line: string): void {
    if (this.alive) for (const fn of this.#lines) fn(line);
  }
  /** The tool exits by itself (an error, a line taken by another process). */
  crash(code: number, stderr: string): void {
    this.#end(code, stderr, false);
  }
  #end(code: number | null, stderr: string, killed: boolean): void {
    if (!this.alive) return;
    this.alive = false;
    for (const fn of this.#exits) fn(code, stderr, killed);
  }
}

export class FakeRunner implements ProcessRunner {
  /** Every command line, in order, one-shot and spawned alike. */
  readonly log: string[] = [];
  readonly spawned: FakeProcess[] = [];

  constructor(readonly answer: (cmdline: string) => string | Error) {}

  async run(cmd: string, args: string[]): Promise<string> {
    const line = [cmd, ...args].join(" ");
    this.log.push(line);
    const a = this.answer(line);
    if (a instanceof Error) throw a;
    return a;
  }
  spawn(cmd: string, args: string[]): FakeProcess {
    const p = new FakeProcess([cmd, ...args].join(" "));
    this.log.push(p.cmdline);
    this.spawned.push(p);
    return p;
  }
  /** Live processes whose command line starts with `prefix`. */
  live(prefix: string): string[] {
    return this.spawned.filter((p) => p.alive && p.cmdline.startsWith(prefix)).map((p) => p.cmdline);
  }
  /** The live gpiomon watching `line` (the line offset is its last argument). */
  monitor(line: number): FakeProcess {
    const p = this.spawned.find(
      (s) => s.alive && s.cmdline.startsWith("gpiomon") && s.cmdline.endsWith(` ${line}`),
    );
    if (!p) throw new Error(`no gpiomon on line ${line}; spawned: ${this.log.join(" | ")}`);
    return p;
  }
}

export const DETECT = "gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n";

/** A runner that answers like libgpiod v1.6.3 or v2.2.1 on a Pi with the given input levels. */
export function piRunner(version: 1 | 2, levels: Record<number, 0 | 1> = {}): FakeRunner {
  return new FakeRunner((line) => {
    if (line === "gpioset --version")
      return `gpioset (libgpiod) v${version === 1 ? "1.6.3" : "2.2.1"}\nCopyright (C) 2017-2023 Bartosz Golaszewski\n`;
    if (line === "gpiodetect") return DETECT;
    if (line.startsWith("gpioget")) return `${levels[Number(line.split(" ").at(-1))] ?? 0}\n`;
    return new Error(`unexpected command: ${line}`);
  });
}
