/** A real Mosquitto on a free port on 127.0.0.1, plain TCP and anonymous (this test only). */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/pg-test-server.js";

export interface Mosquitto {
  url: string;
  stop(): Promise<void>;
}

const BIN = "/usr/sbin/mosquitto";

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export async function startMosquitto(): Promise<Mosquitto> {
  if (!existsSync(BIN)) throw new Error(`${BIN} missing: install the Debian package \`mosquitto\``);
  const dir = await mkdtemp(join(tmpdir(), "hs-mosq-"));
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  // Mosquitto drops QoS 1 messages beyond max_queued_messages (default 1000) per client; an
  // archive receiver catching up a backlog needs more (docs/county-archive.md).
  const lines = [
    `listener ${port} 127.0.0.1`,
    "allow_anonymous true",
    "persistence false",
    "max_queued_messages 100000",
  ];
  await writeFile(conf, `${lines.join("\n")}\n`);
  const proc: ChildProcess = spawn(BIN, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr?.on("data", (d) => (log += d));
  for (let i = 0; i < 100 && !(await canConnect(port)); i++) {
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await canConnect(port))) {
    proc.kill("SIGKILL");
    throw new Error(`mosquitto did not start: ${log}`);
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
