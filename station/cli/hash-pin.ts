/**
 * `health-station hash-pin [--id-number]`: reads a PIN (or a doctor's ID number) on stdin and
 * prints the scrypt hash for the station config (docs/doctor.md). Never on the command line,
 * where it would stay in the shell history and the process list.
 */

import { hashSecret, PIN_RE } from "../doctor/secret-hash.js";
import { normaliseIdNumber, parseIdNumber } from "../domain/id-number.js";

export interface HashPinIo {
  stdin: () => Promise<string>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export async function runHashPin(args: string[], io: HashPinIo): Promise<number> {
  const idMode = args.includes("--id-number");
  const unknown = args.filter((a) => a !== "--id-number");
  if (unknown.length) {
    io.stderr(
      `hash-pin: unknown option ${unknown[0]}\nusage: health-station hash-pin [--id-number] < secret\n`,
    );
    return 2;
  }
  const raw = (await io.stdin()).trim();
  if (idMode) {
    const p = parseIdNumber(normaliseIdNumber(raw));
    if (!p.ok) {
      io.stderr(`hash-pin: not a valid resident ID number (${p.error})\n`);
      return 1;
    }
    io.stdout(`${await hashSecret(p.value.idNumber)}\n`);
    return 0;
  }
  if (!PIN_RE.test(raw)) {
    io.stderr("hash-pin: a PIN is 4 to 8 digits\n");
    return 1;
  }
  io.stdout(`${await hashSecret(raw)}\n`);
  return 0;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
