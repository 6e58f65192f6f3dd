/**
 * A real Mosquitto with the shipped config (TLS, password file, ACL; tests/mqtt/mosquitto.ts
 * renders it) that can be stopped and started again on the same port and persistence folder, so
 * a test can take the county broker away and bring it back as an outage would.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { canConnect, findBinary, freePort, type MosquittoUser, renderConfig } from "../../mqtt/mosquitto.js";
import { track } from "./children.js";
import { until } from "./wait.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../../..");

export interface FaultBroker {
  url: string;
  port: number;
  caFile: string;
  ca: Buffer;
  isUp(): boolean;
  /** SIGTERM (Mosquitto saves its persistence file) or SIGKILL. */
  down(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  up(): Promise<void>;
  /** Broker stderr so far (connection log), for failure messages. */
  log(): string;
  close(): Promise<void>;
}

export async function startFaultBroker(users: MosquittoUser[]): Promise<FaultBroker> {
  const bin = findBinary("mosquitto");
  const dir = await mkdtemp(join(tmpdir(), "hs-faults-broker-"));
  await run("bash", [join(ROOT, "scripts/certs-dev.sh"), dir]);
  const passwd = spawn("bash", [join(ROOT, "scripts/mosquitto-passwd.sh"), join(dir, "passwd")], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  passwd.stdin.end(users.map((u) => `${u.username} ${u.password}\n`).join(""));
  const code = await new Promise<number | null>((r) => passwd.once("exit", r));
  if (code !== 0) throw new Error(`mosquitto-passwd.sh exited ${code}: run scripts/install-test-deps.sh`);
  await writeFile(join(dir, "acl"), await readFile(join(ROOT, "flows/broker/acl")));
  const port = await freePort();
  await writeFile(join(dir, "mosquitto.conf"), await renderConfig(dir, port));
  const caFile = join(dir, "ca.crt");
  let child: ChildProcess | null = null;
  let log = "";

  const up = async (): Promise<void> => {
    if (child) return;
    const c = track(spawn(bin, ["-c", join(dir, "mosquitto.conf")], { stdio: ["ignore", "ignore", "pipe"] }));
    c.on("error", (err) => {
      log += `spawn failed: ${err.message} (run scripts/install-test-deps.sh)\n`;
    });
    c.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    child = c;
    await until(
      async () => c.exitCode === null && (await canConnect(port)),
      Boolean,
      `mosquitto listening on ${port} (log: ${log.slice(-500)})`,
      10_000,
      50,
    );
  };
  const down = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill(signal);
    await exited;
  };
  await up();
  return {
    url: `mqtts://127.0.0.1:${port}`,
    port,
    caFile,
    ca: await readFile(caFile),
    isUp: () => child !== null,
    down,
    up,
    log: () => log,
    close: async () => {
      await down();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
