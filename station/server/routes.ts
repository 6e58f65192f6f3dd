/**
 * The route table's shape. Every route declares its access (station/server/access.ts); the
 * server checks it before the handler runs. A doctor route's handler is typed to receive the
 * session the check produced, so it cannot be written without one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Access } from "./access.js";

export type Method = "GET" | "POST";

export interface RouteContext {
  req: IncomingMessage;
  /** For headers only (a session cookie); the server writes the JSON the handler returns. */
  res: ServerResponse;
  /** Parsed JSON body of a POST (already checked to be application/json); undefined on GET. */
  body: unknown;
  query: URLSearchParams;
}

/** What the doctor's session check (station/doctor) vouches for. */
export interface DoctorSession {
  readonly doctorId: string;
}

/** Returns the session a request carries, or null when it carries none (or an expired one). */
export type DoctorSessionCheck = (
  req: IncomingMessage,
) => DoctorSession | null | Promise<DoctorSession | null>;

interface RouteBase {
  method: Method;
  /** Exact path; no patterns, so the table is easy to read and to enumerate in tests. */
  path: string;
}

export type Route =
  | (RouteBase & {
      access: Exclude<Access, "doctor" | "public">;
      handle: (ctx: RouteContext) => unknown | Promise<unknown>;
    })
  | (RouteBase & {
      access: "doctor";
      handle: (ctx: RouteContext & { session: DoctorSession }) => unknown | Promise<unknown>;
    });

/** A row of the table as tests and docs see it. */
export interface RouteInfo {
  method: Method;
  path: string;
  access: Access;
}
