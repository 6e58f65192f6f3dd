/** The persisted time floor: {v, floorMs}, written durably (temp → fsync → rename), mode 0600. */
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "../util/logger.js";

export async function readFloor(file: string, log: Logger): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const v = JSON.parse(text) as { v?: unknown; floorMs?: unknown };
    if (v.v === 1 && typeof v.floorMs === "number" && Number.isFinite(v.floorMs)) return v.floorMs;
  } catch {
    // fall through
  }
  // A torn or edited floor only weakens the check to the release floor; it never stops the station.
  log.warn(`time floor ${file} unreadable; using the release floor`);
  return null;
}

export async function writeFloor(file: string, floorMs: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(JSON.stringify({ v: 1, floorMs, at: new Date(floorMs).toISOString() }));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  const d = await open(dirname(file), "r");
  await d.sync().finally(() => d.close());
}
