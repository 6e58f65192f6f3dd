import type { IncomingMessage, ServerResponse } from "node:http";
import { StationError, toEnvelope } from "../util/errors.js";

const MAX_BODY = 64 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new StationError("body-too-large", `request body over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new StationError("bad-json", "request body is not valid JSON");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(data),
    "cache-control": "no-store",
  });
  res.end(data);
}

const STATUS_BY_CODE: Record<string, number> = {
  "not-found": 404,
  "method-not-allowed": 405,
  "body-too-large": 413,
  "sim-disabled": 404,
  "bad-path": 400,
  "host-not-allowed": 403,
  "origin-not-allowed": 403,
  "doctor-session-required": 401,
  "unsupported-media-type": 415,
  // The doctor's lists (station/doctor-lists): printer and export-folder faults.
  "printer-missing": 409,
  "export-folder-missing": 422,
  "export-folder-readonly": 422,
  "export-folder-full": 507,
  internal: 500,
};

export function sendError(res: ServerResponse, err: unknown): void {
  const env = toEnvelope(err);
  sendJson(res, STATUS_BY_CODE[env.code] ?? (err instanceof StationError ? 400 : 500), env);
}
