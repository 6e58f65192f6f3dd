/**
 * A throwaway PostgreSQL server for tests: initdb into a temp dir, start on a free port on
 * 127.0.0.1 with its socket in the same dir. PostgreSQL refuses to run as root, so as root
 * the server runs as the `postgres` system user. Missing binaries are an error, not a skip.
 *
 *   npx tsx scripts/pg-test-server.ts start   → prints PGURL=… and PGDIR=…, leaves it running
 *   npx tsx scripts/pg-test-server.ts stop <PGDIR>
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PgTestServer {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<ver>/bin holding initdb, pg_ctl and postgres. */
export function findPostgresBin(root = "/usr/lib/postgresql"): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = join(root, v, "bin");
    if (["initdb", "pg_ctl", "postgres"].every((f) => existsSync(join(bin, f)))) return bin;
  }
  throw new Error(
    `PostgreSQL server binaries not found under ${root}/<version>/bin (initdb, pg_ctl, postgres). ` +
      "Install the Debian package `postgresql` (apt-get install postgresql) to run the archive's Postgres tests.",
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function runAs(user: string | null, cmd: string, args: string[]): string {
  const [file, argv] = user ? ["runuser", ["-u", user, "--", cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function pgUser(): { user: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { user: "postgres", uid, gid };
}

/**
 * `durable`: keep PostgreSQL's fsync and synchronous commit on, as a county's server runs, for
 * benchmarks. Tests leave it off.
 */
export async function startPgTestServer(o: { durable?: boolean } = {}): Promise<PgTestServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), "hs-pg-"));
  const as = pgUser();
  if (as) chownSync(dir, as.uid, as.gid);
  const data = join(dir, "data");
  const user = as?.user ?? null;
  try {
    runAs(user, join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? err}`);
  }
  const port = await freePort();
  // fsync off for tests: a test database need not survive a power cut, and the suite runs faster.
  const fast = o.durable ? "" : " -c fsync=off -c synchronous_commit=off";
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast}`;
  try {
    runAs(user, join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-o",
      opts,
      "-w",
      "-t",
      "60",
      "start",
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`postgres did not start: ${(err as { stderr?: string }).stderr ?? err}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    stop: async () => stopPgTestServer(dir),
  };
}

export async function stopPgTestServer(dir: string): Promise<void> {
  const bin = findPostgresBin();
  const user = pgUser()?.user ?? null;
  try {
    runAs(user, join(bin, "pg_ctl"), ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [cmd, dir] = process.argv.slice(2);
  if (cmd === "start") {
    const s = await startPgTestServer();
    console.log(`PGURL=${s.url}\nPGDIR=${s.dir}`);
  } else if (cmd === "stop" && dir) {
    await stopPgTestServer(dir);
  } else {
    console.error("usage: pg-test-server.ts start | stop <PGDIR>");
    process.exitCode = 2;
  }
}
