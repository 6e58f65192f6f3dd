/** Maps file-system failures to the station's stable error codes, naming the file involved. */
import { StationError } from "../util/errors.js";
import { errnoCode } from "./fs-layer.js";

export function toStorageError(err: unknown, file: string): StationError {
  if (err instanceof StationError) return err;
  const code = errnoCode(err);
  const reason = err instanceof Error ? err.message : String(err);
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return new StationError("disk-full", `存储空间已满 / disk full while writing ${file}`, { file, code });
    case "EROFS":
      return new StationError("disk-readonly", `存储为只读 / storage is read-only: ${file}`, { file, code });
    case "EIO":
      return new StationError("disk-io", `存储读写错误 / disk I/O error on ${file}`, { file, code });
    default:
      return new StationError("storage-failed", `存储失败 / storage failed on ${file}: ${reason}`, {
        file,
        code,
      });
  }
}

export function storeCorrupt(file: string, reason: string): StationError {
  return new StationError("store-corrupt", `记录文件损坏 / record file is corrupt: ${file} (${reason})`, {
    file,
  });
}
