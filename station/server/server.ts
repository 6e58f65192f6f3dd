/**
 * The station's HTTP + WebSocket server, bound to loopback by default: the kiosk browser runs on
 * the same device. Every route and the WebSocket declare who may use them (access.ts); the
 * checks run here, before any handler. Every incoming message is validated; a malformed one gets
 * an error envelope and changes nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { formatIssues } from "../domain/schema.js";
import { ClientMessage, type UiAction } from "../protocol.js";
import type { Hub } from "../runtime/hub.js";
import { StationError, toEnvelope } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { AccessError, checkHost, checkJsonBody, checkOrigin, type HostPolicy, hostPolicy } from "./access.js";
import { setSecurityHeaders } from "./headers.js";
import { readJson, sendError, sendJson } from "./http-util.js";
import { kioskRoutes } from "./kiosk-routes.js";
import { isClientAbort, limitedLog } from "./log-limit.js";
import type { DoctorSessionCheck, Method, Route, RouteInfo } from "./routes.js";
import type { SimRoute } from "./sim-api.js";
import { serveStatic } from "./static.js";

export interface StationServerOptions {
  hub: Hub;
  /** Performs a validated UI action; throws StationError for a refused one. */
  action: (a: UiAction) => void;
  health: () => unknown;
  staticDir: string;
  simRoutes: Record<string, SimRoute> | null;
  /** Declared routes (the doctor's console): each states its access, and the server checks it. */
  declaredRoutes?: Route[];
  /** Required as soon as any declared route has "doctor" access. */
  doctorSession?: DoctorSessionCheck;
  /** Extra host names to answer to (config server.allowedHosts); loopback names always work. */
  allowedHosts?: readonly string[];
  /**
   * Route modules that match their own paths under /api/ (the doctor console); true =
   * handled. They run after the Host and Origin checks; their own session gate does the rest.
   */
  routes?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>>;
  logger: Logger;
}

/** Static pages and files: declared here so the route table lists them too. */
const STATIC_ROUTES: RouteInfo[] = [
  { method: "GET", path: "/", access: "public" },
  { method: "GET", path: "/assets/*", access: "public" },
  // Recorded voice prompts (docs/voice.md): fixed words only, nothing about a person.
  { method: "GET", path: "/voice/*", access: "public" },
];
const WS_ROUTE: RouteInfo = { method: "GET", path: "/ws", access: "kiosk" };
const SIM_PAGE: RouteInfo = { method: "GET", path: "/sim", access: "sim" };

export class StationServer {
  #http: Server | null = null;
  #wss: WebSocketServer | null = null;
  #hosts: HostPolicy = hostPolicy("127.0.0.1", []);
  readonly #table = new Map<string, Route>();
  readonly #log;

  constructor(private readonly o: StationServerOptions) {
    const sim = Object.entries(o.simRoutes ?? {}).map(([key, handle]): Route => {
      const [method, path] = key.split(" ") as [Method, string];
      return { method, path, access: "sim", handle: ({ body, query }) => handle(body, query) };
    });
    for (const r of [...kioskRoutes(o), ...sim, ...(o.declaredRoutes ?? [])]) {
      const key = `${r.method} ${r.path}`;
      if (this.#table.has(key)) throw new Error(`route ${key} declared twice`);
      if (r.access === "doctor" && !o.doctorSession)
        throw new Error(`route ${key} needs the doctor's session check (doctorSession)`);
      this.#table.set(key, r);
    }
    this.#log = limitedLog(o.logger);
  }

  /** Every route with its access, for tests and docs. */
  routes(): RouteInfo[] {
    const table = [...this.#table.values()].map(({ method, path, access }) => ({ method, path, access }));
    return [...STATIC_ROUTES, ...(this.o.simRoutes ? [SIM_PAGE] : []), WS_ROUTE, ...table];
  }

  async listen(host: string, port: number): Promise<number> {
    this.#hosts = hostPolicy(host, this.o.allowedHosts ?? []);
    const http = createServer((req, res) => void this.#route(req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    http.on("upgrade", (req, socket, head) => this.#upgrade(wss, req, socket, head));
    this.#http = http;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(port, host, () => resolve());
    });
    return (http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const c of this.#wss?.clients ?? []) c.terminate();
    this.#wss?.close();
    await new Promise<void>((r) => (this.#http ? this.#http.close(() => r()) : r()));
    this.#http?.closeAllConnections();
  }

  #upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => {});
    if (!req.url?.startsWith("/") || new URL(`http://station${req.url}`).pathname !== WS_ROUTE.path)
      return void socket.destroy();
    try {
      checkHost(req, this.#hosts);
      checkOrigin(req);
    } catch (err) {
      const body = JSON.stringify(toEnvelope(err));
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
  }

  #onSocket(ws: WebSocket): void {
    const send = (m: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const off = this.o.hub.subscribe(send);
    ws.on("close", off);
    ws.on("error", off);
    ws.on("message", (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        send({
          topic: "error",
          payload: toEnvelope(new StationError("bad-json", "message is not valid JSON")),
        });
        return;
      }
      const transaction =
        raw && typeof raw === "object" && typeof (raw as { transaction?: unknown }).transaction === "string"
          ? ((raw as { transaction: string }).transaction as string).slice(0, 64)
          : undefined;
      const r = ClientMessage.safeParse(raw);
      if (!r.success) {
        const err = new StationError("bad-message", `invalid message: ${formatIssues(r.error).join("; ")}`);
        send({ topic: "error", payload: toEnvelope(err, transaction) });
        return;
      }
      try {
        this.o.action(r.data.payload);
        if (transaction) send({ topic: "ack", payload: { transaction } });
      } catch (err) {
        send({ topic: "error", payload: toEnvelope(err, transaction) });
      }
    });
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    let key = `${req.method} ?`;
    try {
      checkHost(req, this.#hosts);
      const url = parsePath(req.url);
      key = `${req.method} ${url.pathname}`;
      const route = this.#table.get(key);
      if (route) return await this.#run(route, req, res, url);
      const path = url.pathname;
      if (path.startsWith("/api/sim/") && !this.o.simRoutes)
        throw new StationError("sim-disabled", "simulator API is off: devices are real");
      if (path.startsWith("/api/") && this.o.routes?.length) {
        checkOrigin(req);
        for (const r of this.o.routes) if (await r(req, res, url)) return;
      }
      if (path.startsWith("/api/")) throw new StationError("not-found", `no route ${key}`);
      if (path === SIM_PAGE.path) {
        if (!this.o.simRoutes)
          throw new StationError("sim-disabled", "the simulator page is off: devices are real");
        checkOrigin(req);
      }
      if (req.method === "GET" && (await serveStatic(this.o.staticDir, path, res))) return;
      if (path === "/" || path === SIM_PAGE.path)
        throw new StationError("ui-not-built", "the UI is not built: run `npm run build`");
      throw new StationError("not-found", `no such page ${path}`);
    } catch (err) {
      if (isClientAbort(err, req.destroyed && !req.complete)) this.#log.aborted(`route ${key}`);
      else if (!(err instanceof StationError)) this.#log.error(`route ${key} failed`, err);
      if (!res.headersSent && !res.destroyed) sendError(res, err);
      else res.destroy();
    }
  }

  async #run(route: Route, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    checkOrigin(req);
    checkJsonBody(req);
    // The session is checked before the body is even read.
    const session = route.access === "doctor" ? ((await this.o.doctorSession?.(req)) ?? null) : null;
    if (route.access === "doctor" && !session)
      throw new AccessError("doctor-session-required", "sign in as the village doctor first");
    const ctx = {
      req,
      res,
      body: req.method === "POST" ? await readJson(req) : undefined,
      query: url.searchParams,
    };
    if (route.access !== "doctor") return sendJson(res, 200, await route.handle(ctx));
    if (session) return sendJson(res, 200, await route.handle({ ...ctx, session }));
  }
}

/** The request target as a path; absolute-form targets and undecodable paths are refused. */
function parsePath(target: string | undefined): URL {
  if (!target?.startsWith("/")) throw new StationError("bad-path", "the request path must start with /");
  let url: URL;
  try {
    url = new URL(`http://station${target}`);
    decodeURIComponent(url.pathname);
  } catch {
    throw new StationError("bad-path", "the request path is not valid percent-encoding");
  }
  return url;
}
