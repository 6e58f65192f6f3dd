/**
 * Who may use each route. Every HTTP route and the WebSocket declares one `Access`; the server
 * runs `checkRequest` before any handler, so a route cannot forget its check.
 *
 * - public: static UI files. Any page may load them (they hold nothing personal); Host checked.
 * - kiosk:  the kiosk's own page (API and /ws). Same origin only.
 * - sim:    like kiosk, and the route exists only when the devices are simulated.
 * - doctor: like kiosk, and the doctor's session check (from station/doctor) must pass.
 *
 * A browser always sends Origin on a WebSocket upgrade and on a POST, so a page from another
 * origin is refused here. A request without Origin comes from a local program (curl, a script),
 * not from a web page; the station binds to loopback, and local users are the data-at-rest
 * threat (docs/security.md). The Host check stops DNS rebinding, where a foreign page is served
 * under a name that resolves to 127.0.0.1.
 */
import type { IncomingMessage } from "node:http";
import { StationError } from "../util/errors.js";

export const ACCESS = ["public", "kiosk", "sim", "doctor"] as const;
export type Access = (typeof ACCESS)[number];

/** Methods that change state: these need a JSON body, so a no-cors form or text POST cannot. */
export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface HostPolicy {
  /** Host names (no port) the station answers to; compared case-insensitively. */
  readonly hosts: ReadonlySet<string>;
}

/** The configured names plus the loopback names the kiosk browser uses. */
export function hostPolicy(serverHost: string, extra: readonly string[]): HostPolicy {
  const names = [serverHost, "localhost", "127.0.0.1", "[::1]", ...extra];
  return { hosts: new Set(names.map((n) => bracketV6(n.trim().toLowerCase())).filter(Boolean)) };
}

function bracketV6(name: string): string {
  return name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
}

/** "host:port" → host name, or null when the header is not a plain authority. */
export function hostName(authority: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(authority.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export class AccessError extends StationError {
  constructor(
    code: "host-not-allowed" | "origin-not-allowed" | "unsupported-media-type" | "doctor-session-required",
    message: string,
  ) {
    super(code, message);
  }
}

/** Host check for every request, routes and WebSocket alike. */
export function checkHost(req: IncomingMessage, policy: HostPolicy): void {
  const host = req.headers.host;
  const name = host ? hostName(host) : null;
  if (!name || !policy.hosts.has(name))
    throw new AccessError("host-not-allowed", "this station does not answer to that host name");
}

/**
 * Same-origin check for kiosk, sim and doctor routes. Origin must name the very host the
 * request was sent to (already checked by `checkHost`); "null" (sandboxed frames, file://) is
 * refused. Sec-Fetch-Site backs it up where a browser sends it.
 */
export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none")
    throw new AccessError("origin-not-allowed", "only the kiosk's own page may use this");
  if (origin === undefined) return;
  let host: string | null = null;
  try {
    const u = new URL(origin);
    if (u.protocol === "http:" || u.protocol === "https:") host = u.host;
  } catch {
    host = null;
  }
  if (!host || host.toLowerCase() !== (req.headers.host ?? "").toLowerCase())
    throw new AccessError("origin-not-allowed", "only the kiosk's own page may use this");
}

/** A state-changing request must say it carries JSON: a no-cors page can only send text or forms. */
export function checkJsonBody(req: IncomingMessage): void {
  if (!STATE_CHANGING.has(req.method ?? "")) return;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json")
    throw new AccessError("unsupported-media-type", "send the body as application/json");
}
