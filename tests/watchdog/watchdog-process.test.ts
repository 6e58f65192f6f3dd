/**
 * The real station process under a stand-in for systemd's notify socket: it reports READY and
 * pings the watchdog; when its event loop hangs (a busy loop injected through the inspector,
 * exactly what a hung handler would do) the pings stop, and what systemd does after WatchdogSec
 * (SIGABRT, then Restart=always) brings it back on the same data.
 *
 * Not covered here: systemd itself (this machine does not boot with it). The unit's
 * WatchdogSec/NotifyAccess settings are checked by tests/release; a Pi run is listed in
 * docs/deployment.md.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ROOT } from "../e2e/station-process.js";
import { killAll, spawnUntilReady, track } from "../faults/lib/children.js";
import { until } from "../faults/lib/wait.js";

// Reads datagrams without an ancillary buffer, so systemd-notify's BARRIER fd is closed at once.
const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("LISTENING", flush=True)
while True:
    print(s.recv(4096).decode().replace("\\n", " "), flush=True)
`;

const WATCHDOG_USEC = 1_000_000; // WatchdogSec=1: pings every 500 ms
let dir: string;
let socketPath: string;
let receiver: ChildProcess;
let received = "";

const count = (what: RegExp) => (received.match(new RegExp(what, "g")) ?? []).length;

async function startStation(configPath: string) {
  return spawnUntilReady(
    process.execPath,
    ["--inspect=127.0.0.1:0", "--import", "tsx", "station/main.ts", "--config", configPath],
    {
      cwd: ROOT,
      env: { ...process.env, NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: String(WATCHDOG_USEC) },
    },
    /^READY (http:\/\/\S+)$/m,
    "station",
    60_000,
  );
}

/** Runs `for(;;){}` on the station's main thread through the inspector: a real hung loop. */
async function hangEventLoop(output: string): Promise<void> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`no inspector URL in:\n${output}`);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ id: 1, method: "Runtime.evaluate", params: { expression: "for(;;){}" } }));
  // The evaluation never answers; give the message time to reach the main thread, then let go.
  await new Promise((r) => setTimeout(r, 200));
  ws.terminate();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "watchdog-"));
  socketPath = join(dir, "notify.sock");
  receiver = track(spawn("python3", ["-c", RECEIVER, socketPath], { stdio: ["ignore", "pipe", "inherit"] }));
  receiver.stdout?.on("data", (d: Buffer) => {
    received += d.toString();
  });
  await until(
    () => received,
    (r) => r.includes("LISTENING"),
    "the notify-socket receiver",
    10_000,
  );
});

afterAll(async () => {
  await killAll();
  await rm(dir, { recursive: true, force: true });
});

describe("systemd watchdog, real station process", () => {
  it("pings while healthy, stops when the event loop hangs, and comes back after systemd's restart", async () => {
    const configPath = join(dir, "config.json");
    await writeFile(
      configPath,
      JSON.stringify({
        version: 1,
        server: { port: 0 },
        dataDir: join(dir, "data"),
        upload: { embeddedArchiveDir: join(dir, "archive") },
      }),
    );
    const first = await startStation(configPath);
    await until(
      () => count(/READY=1/),
      (n) => n === 1,
      "READY=1",
      10_000,
    );
    await until(
      () => count(/WATCHDOG=1/),
      (n) => n >= 3,
      "three watchdog pings",
      10_000,
    );

    await hangEventLoop(first.output());
    // One ping may already be on its way (systemd-notify is a separate process).
    await new Promise((r) => setTimeout(r, 600));
    const atHang = count(/WATCHDOG=1/);
    await new Promise((r) => setTimeout(r, (3 * WATCHDOG_USEC) / 1000));
    expect(count(/WATCHDOG=1/)).toBe(atHang); // three watchdog periods with no ping

    // What systemd does when WatchdogSec passes without a ping (WatchdogSignal=SIGABRT).
    await first.signal("SIGABRT");
    await startStation(configPath); // Restart=always
    await until(
      () => count(/READY=1/),
      (n) => n === 2,
      "READY=1 after the restart",
      10_000,
    );
    const afterRestart = count(/WATCHDOG=1/);
    await until(
      () => count(/WATCHDOG=1/),
      (n) => n >= afterRestart + 2,
      "pings after the restart",
      10_000,
    );
  }, 120_000);
});
