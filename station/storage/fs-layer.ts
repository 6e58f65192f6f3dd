/**
 * The file-system operations the store uses, behind one small interface so tests can record the
 * order of calls (temp → sync → rename → directory sync) and inject ENOSPC/EIO without mocking
 * node:fs.
 */
import * as fsp from "node:fs/promises";

export interface FileHandleLike {
  writeFile(data: string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FsLayer {
  /** flags as for fs.open: "wx" for a new temp file, "r" to open a directory for fsync. */
  open(path: string, flags: string): Promise<FileHandleLike>;
  readFile(path: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ ino: number; size: number; mtimeMs: number }>;
}

export const nodeFs: FsLayer = {
  open: async (path, flags) => {
    // Personal data: readable by the service user only, whatever the umask (docs/security.md).
    const fh = await fsp.open(path, flags, 0o600);
    return {
      writeFile: (data) => fh.writeFile(data, "utf8"),
      sync: () => fh.sync(),
      close: () => fh.close(),
    };
  },
  readFile: (path) => fsp.readFile(path, "utf8"),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  copyFile: (from, to) => fsp.copyFile(from, to),
  unlink: (path) => fsp.unlink(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true, mode: 0o700 });
  },
  readdir: (path) => fsp.readdir(path),
  stat: (path) => fsp.stat(path),
};

export function errnoCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err && typeof err.code === "string") return err.code;
  return undefined;
}
