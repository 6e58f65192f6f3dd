/**
 * Starts a real Mosquitto with the shipped flows/broker/{mosquitto.conf,acl}, its paths templated
 * into a temp folder: throwaway CA and server certificate (scripts/certs-dev.sh), a password file
 * (scripts/mosquitto-passwd.sh) and a listener on a free 127.0.0.1 port. Missing binaries fail the
 * test with the install hint; they are never a reason to skip.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const HINT = "run scripts/install-test-deps.sh";

export interface MosquittoUser {
  username: string;
  password: string;
}

export interface RunningMosquitto {
  port: number;
  url: string;
  dir: string;
  /** The pinned county CA (PEM) and its path. */
  ca: Buffer;
  caFile: string;
  stop(): Promise<void>;
}

export function findBinary(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/usr/bin"])) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {}
  }
  throw new Error(`${name} not found: ${HINT}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: "127.0.0.1" });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

/** The shipped config with its Debian paths moved into `dir` and the listener on `port`. */
export async function renderConfig(dir: string, port: number): Promise<string> {
  const conf = await readFile(join(ROOT, "flows/broker/mosquitto.conf"), "utf8");
  const out = conf
    .replaceAll("/etc/mosquitto/hs/", `${dir}/`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    .replace(/^listener 8883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^log_dest syslog$/m, "log_dest stderr");
  if (out === conf || !out.includes(`listener ${port} 127.0.0.1`))
    throw new Error("mosquitto.conf template changed");
  // As root, Mosquitto 2.0 would drop to user "mosquitto", which cannot read files in a 0700 temp dir.
  return process.getuid?.() === 0 ? `${out}\nuser root\n` : out;
}

export async function startMosquitto(users: MosquittoUser[]): Promise<RunningMosquitto> {
  const mosquitto = findBinary("mosquitto");
  findBinary("mosquitto_passwd");
  findBinary("openssl");
  const dir = await mkdtemp(join(tmpdir(), "hs-mosquitto-"));
  await run("bash", [join(ROOT, "scripts/certs-dev.sh"), dir]);
  const passwd = spawn("bash", [join(ROOT, "scripts/mosquitto-passwd.sh"), join(dir, "passwd")], {
    stdio: ["pipe", "ignore", "pipe"],
  });
  passwd.stdin.end(users.map((u) => `${u.username} ${u.password}\n`).join(""));
  const code = await new Promise<number | null>((r) => passwd.once("exit", r));
  if (code !== 0) throw new Error(`mosquitto-passwd.sh exited ${code}`);
  await writeFile(join(dir, "acl"), await readFile(join(ROOT, "flows/broker/acl")));

  let lastErr = "";
  for (let tries = 0; tries < 3; tries++) {
    const port = await freePort();
    await writeFile(join(dir, "mosquitto.conf"), await renderConfig(dir, port));
    const child = spawn(mosquitto, ["-c", join(dir, "mosquitto.conf")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    if (await waitListening(child, port)) {
      const caFile = join(dir, "ca.crt");
      return {
        port,
        url: `mqtts://127.0.0.1:${port}`,
        dir,
        ca: await readFile(caFile),
        caFile,
        stop: () => stop(child, dir),
      };
    }
    lastErr = stderr;
    child.kill("SIGKILL");
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`mosquitto did not start: ${lastErr}`);
}

async function waitListening(child: ChildProcess, port: number): Promise<boolean> {
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  for (let i = 0; i < 100 && !exited; i++) {
    if (await canConnect(port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}
