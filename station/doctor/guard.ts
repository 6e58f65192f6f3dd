/**
 * Every doctor request must come from the kiosk's own page: the Host is one this server
 * answers as, the Origin is that same host, the browser (when it says) calls it same-origin,
 * and the body is JSON (which a cross-site form cannot send without a CORS preflight that
 * this server never grants). The session cookie is HttpOnly and SameSite=Strict on top.
 */
import type { IncomingMessage } from "node:http";
import { StationError } from "../util/errors.js";

export const COOKIE = "hs_doctor";

/** Host headers this station answers doctor requests on: loopback, the bind address, and the config's extra names. */
export function allowedHosts(bindHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set([bindHost, "127.0.0.1", "localhost", ...extra]);
  return new Set([...names].map((h) => `${h}:${port}`));
}

export function checkRequest(req: IncomingMessage, hosts: ReadonlySet<string>): void {
  const host = req.headers.host ?? "";
  if (!hosts.has(host)) throw new StationError("forbidden-host", `请求的主机不对 / Host "${host}" refused`);
  const origin = req.headers.origin;
  if (origin !== `http://${host}`)
    throw new StationError(
      "forbidden-origin",
      `只接受本机页面的请求 / Origin "${origin ?? "(none)"}" refused`,
    );
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin")
    throw new StationError("forbidden-origin", `Sec-Fetch-Site "${String(site)}" refused`);
  if (req.method !== "POST") throw new StationError("method-not-allowed", "doctor routes take POST only");
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/json"))
    throw new StationError("unsupported-media-type", "doctor routes take application/json only");
}

export function tokenFrom(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE) return v.join("=");
  }
  return undefined;
}

export function sessionCookie(token: string): string {
  return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/api/doctor`;
}

export const CLEAR_COOKIE = `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/api/doctor; Max-Age=0`;
