/**
 * The process seam for command-line GPIO: run a tool to completion, or keep one running and
 * read its stdout line by line. Tests inject a fake that records command lines and feeds
 * output; `nodeProcessRunner` is the real one over child_process.
 */
import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface RunningProcess {
  /** Each complete stdout line, without the newline. */
  onLine(fn: (line: string) => void): void;
  /** Exit, with stderr collected; `killed` is true when we asked it to stop. */
  onExit(fn: (code: number | null, stderr: string, killed: boolean) => void): void;
  /** SIGTERM; resolves once the process has exited (it may hold a GPIO line until then). */
  kill(): Promise<void>;
}

export interface ProcessRunner {
  /** Runs to completion and resolves stdout; rejects with stderr in the message otherwise. */
  run(cmd: string, args: string[]): Promise<string>;
  spawn(cmd: string, args: string[]): RunningProcess;
}

const live = new Set<{ kill(signal?: NodeJS.Signals): boolean }>();
let exitHookInstalled = false;

/**
 * Real runner. Long-lived children are killed when the station exits: an orphaned gpioset
 * would keep holding its line, and the next start would find it busy.
 */
export function nodeProcessRunner(): ProcessRunner {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGTERM");
    });
  }
  return {
    run: (cmd, args) =>
      new Promise((resolve, reject) => {
        execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${cmd} ${args.join(" ")}: ${String(stderr).trim() || err.message}`));
          else resolve(String(stdout));
        });
      }),
    spawn(cmd, args) {
      const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
      live.add(child);
      let stderr = "";
      let killed = false;
      const exited = new Promise<{ code: number | null }>((resolve) => {
        child.once("error", (e) => {
          stderr += e.message;
          resolve({ code: null });
        });
        child.once("close", (code) => resolve({ code }));
      });
      void exited.then(() => live.delete(child));
      child.stderr.on("data", (d: Buffer) => {
        if (stderr.length < 4096) stderr += d.toString();
      });
      const lines = createInterface({ input: child.stdout });
      return {
        onLine: (fn) => void lines.on("line", fn),
        onExit: (fn) => void exited.then(({ code }) => fn(code, stderr.trim(), killed)),
        async kill() {
          killed = true;
          child.kill("SIGTERM");
          await exited;
        },
      };
    },
  };
}
