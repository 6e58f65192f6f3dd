/** The refusal of a new check-up while the disk is below its reserve; no I/O, so the voice table can import it. */
import type { Fault } from "../workflow/types.js";

export const DISK_LOW_FAULT: Fault = {
  code: "disk-low",
  message: {
    zh: "存储空间快满了，现在不能开始新的检查。请找医生。",
    en: "Storage is almost full, so a new check-up cannot start. Please call the doctor.",
  },
  retryable: false,
};
