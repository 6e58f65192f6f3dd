import { describe, expect, it } from "vitest";
import { nodeProcessRunner } from "../../../drivers/peripherals/process-runner.js";

describe("nodeProcessRunner (real child processes)", () => {
  it("run() resolves stdout and rejects with stderr", async () => {
    const r = nodeProcessRunner();
    expect(await r.run("sh", ["-c", "echo 'gpioset (libgpiod) v1.6.3'"])).toBe("gpioset (libgpiod) v1.6.3\n");
    await expect(r.run("sh", ["-c", "echo 'no such chip' >&2; exit 1"])).rejects.toThrow(/no such chip/);
  });

  it("spawn() streams stdout lines and kill() waits for the exit", async () => {
    const p = nodeProcessRunner().spawn("sh", ["-c", "echo '27 0'; echo '27 1'; exec sleep 30"]);
    const lines: string[] = [];
    const exits: Array<[number | null, boolean]> = [];
    p.onExit((code, _stderr, killed) => exits.push([code, killed]));
    await new Promise<void>((resolve) =>
      p.onLine((l) => {
        lines.push(l);
        if (lines.length === 2) resolve();
      }),
    );
    expect(lines).toEqual(["27 0", "27 1"]);
    await p.kill();
    await Promise.resolve();
    expect(exits).toEqual([[null, true]]);
  });

  it("a process that exits by itself reports its code and stderr, not killed", async () => {
    const p = nodeProcessRunner().spawn("sh", ["-c", "echo 'Device or resource busy' >&2; exit 1"]);
    const exit = await new Promise<[number | null, string, boolean]>((resolve) =>
      p.onExit((code, stderr, killed) => resolve([code, stderr, killed])),
    );
    expect(exit).toEqual([1, "Device or resource busy", false]);
  });
});
