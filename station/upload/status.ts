/**
 * What the doctor and county IT see about uploading: one plain object, replaced (never mutated)
 * on every change, so the UI hub can forward it as is and replay the last one on reconnect.
 */

export const UPLOAD_ERROR_CODES = [
  "connect-failed", // broker unreachable, TLS refused, or credentials rejected
  "connection-lost",
  "subscribe-refused", // the broker refused the ack subscription (ACL)
  "ack-malformed", // a message on the ack topic failed validation; ignored
  "ack-timeout", // the archive did not answer in time; the record is retried
  "store-failed", // the local store could not be read or updated
  "record-unencodable", // a stored record cannot be turned into a contract message
  "oversized-message", // the broker sent a packet over MAX_PACKET_BYTES; the link was dropped unread
] as const;
export type UploadErrorCode = (typeof UPLOAD_ERROR_CODES)[number];

export interface UploadError {
  code: UploadErrorCode;
  /** Technician text (English); the UI maps `code` to Chinese-first guidance. */
  message: string;
  at: string;
}

export interface RejectedRecord {
  id: string;
  /** The archive's reason, kept verbatim in the record's sync.rejectReason as well. */
  reason: string;
  code: string | null;
  at: string;
}

export interface UploadStatus {
  connected: boolean;
  /** Records still in the outbox (includes those in flight). */
  pending: number;
  /** Records published and awaiting the archive's acknowledgement. */
  inFlight: number;
  /** Records waiting out a retry delay after an ack timeout. */
  retrying: number;
  lastAckAt: string | null;
  lastError: UploadError | null;
  /**
   * Rejected records, newest last (bounded): read from the store at start, so a rejection is
   * still shown after a restart, then added to as the archive rejects more.
   */
  rejected: RejectedRecord[];
}

/** How a rejection is kept in the record's sync.rejectReason: "code: reason", or the reason alone. */
export function formatRejectReason(code: string | null, reason: string): string {
  return code ? `${code}: ${reason}` : reason;
}

/**
 * The inverse of formatRejectReason. Our codes are kebab-case ASCII, so most reasons with their
 * own colon stay whole; a code-less reason that starts with such a word and ": " reads as coded.
 */
export function parseRejectReason(text: string): { code: string | null; reason: string } {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*): (.*)$/s.exec(text);
  return m ? { code: m[1]!, reason: m[2]! } : { code: null, reason: text };
}

export const initialStatus: UploadStatus = {
  connected: false,
  pending: 0,
  inFlight: 0,
  retrying: 0,
  lastAckAt: null,
  lastError: null,
  rejected: [],
};

/** Chinese-first text for each error code, for screens that show the status to people. */
export const UPLOAD_ERROR_TEXT: Record<UploadErrorCode, string> = {
  "connect-failed":
    "无法连接县级平台，记录已保存在本机，联网后自动上传 / Cannot reach the county server; records are kept here and upload when the link returns",
  "connection-lost": "与县级平台的连接中断，正在重连 / Connection to the county server lost; reconnecting",
  "subscribe-refused":
    "县级平台拒绝了本站的订阅，请联系县信息科 / The county server refused this station's subscription; contact county IT",
  "ack-malformed": "收到无法识别的确认消息，已忽略 / An unreadable acknowledgement was ignored",
  "ack-timeout": "县级平台未及时确认，稍后重试 / The county archive did not confirm in time; retrying later",
  "store-failed": "本机记录库读写失败，请联系维护人员 / The local record store failed; contact maintenance",
  "record-unencodable":
    "有记录无法上传，已标记待处理 / A record could not be encoded and was marked for review",
  "oversized-message":
    "县级平台发来超大消息，已拒收并重连，请联系县信息科 / The county server sent an oversized message; refused unread, reconnecting; contact county IT",
};
