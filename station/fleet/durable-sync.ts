/**
 * Small synchronous durable files for the fleet agent's own state (bdSeq, applied versions):
 * temp file → fsync → rename → directory fsync, as the record store does (ADR 0001). Synchronous
 * because the bdSeq must be on disk before the CONNECT that registers it as the Will, and the
 * files are a few hundred bytes.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function writeDurableSync(path: string, text: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    // writeFileSync on a descriptor loops until every byte is written.
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dfd = openSync(dir, "r");
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** The parsed JSON, or null when the file does not exist. Other errors throw. */
export function readJsonSync(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}
