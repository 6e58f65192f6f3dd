/**
 * Writes a whole file to a folder someone picked (a USB stick): temp file in the same folder →
 * write → fsync → rename → fsync the folder. A reader never sees a half-written file under the
 * final name, and a failed write leaves no temp behind. Errors name the folder and say what to do.
 */
import { basename, dirname, join } from "node:path";
import { syncDir } from "../storage/durable-adapter.js";
import { errnoCode, type FsLayer, nodeFs } from "../storage/fs-layer.js";
import { StationError } from "./errors.js";

function explain(err: unknown, dir: string): StationError {
  const code = errnoCode(err);
  if (code === "ENOENT" || code === "ENOTDIR")
    return new StationError("export-folder-missing", `文件夹不存在 / folder does not exist: ${dir}`);
  if (code === "ENOSPC" || code === "EDQUOT")
    return new StationError(
      "export-folder-full",
      `磁盘已满，文件未写入 / folder is full, nothing written: ${dir}`,
    );
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return new StationError("export-folder-readonly", `文件夹不可写 / folder is not writable: ${dir}`);
  return new StationError("export-failed", `写入失败 / write failed in ${dir}: ${(err as Error).message}`);
}

/** `fs` is injected by tests to fail with ENOSPC part-way, as a full USB stick does. */
export async function writeFileAtomic(file: string, data: string, fs: FsLayer = nodeFs): Promise<void> {
  const dir = dirname(file);
  try {
    await fs.readdir(dir);
  } catch (e) {
    throw explain(e, dir);
  }
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fh = await fs.open(tmp, "wx");
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
    await syncDir(dir, fs);
  } catch (e) {
    await fs.unlink(tmp).catch(() => {});
    throw explain(e, dir);
  }
}
