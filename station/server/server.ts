/**
 * The station's HTTP + WebSocket server, bound to loopback by default: the kiosk browser runs on
 * the same device. Every incoming message is validated; a malformed one gets an error envelope
 * and changes nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { formatIssues } from "../domain/schema.js";
import { ClientMessage, UiAction } from "../protocol.js";
import type { Hub } from "../runtime/hub.js";
import { StationError, toEnvelope } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { readJson, sendError, sendJson } from "./http-util.js";
import type { SimRoute } from "./sim-api.js";
import { serveStatic } from "./static.js";

export interface StationServerOptions {
  hub: Hub;
  /** Performs a validated UI action; throws StationError for a refused one. */
  action: (a: UiAction) => void;
  health: () => unknown;
  staticDir: string;
  simRoutes: Record<string, SimRoute> | null;
  /** Route modules with their own access rules (e.g. doctor-lists/routes.ts); true = handled. */
  routes?: ReadonlyArray<(req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>>;
  logger: Logger;
}

export class StationServer {
  #http: Server | null = null;
  #wss: WebSocketServer | null = null;
  constructor(private readonly o: StationServerOptions) {}

  async listen(host: string, port: number): Promise<number> {
    const http = createServer((req, res) => void this.#route(req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    http.on("upgrade", (req, socket, head) => {
      if (new URL(req.url ?? "/", "http://x").pathname !== "/ws") return socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
    });
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
    const url = new URL(req.url ?? "/", "http://station");
    const key = `${req.method} ${url.pathname}`;
    try {
      if (key === "GET /api/health") return sendJson(res, 200, this.o.health());
      if (key === "GET /api/state") return sendJson(res, 200, this.o.hub.get("workflow/state") ?? null);
      if (key === "GET /api/upload") return sendJson(res, 200, this.o.hub.get("upload/status") ?? null);
      if (key === "POST /api/action") {
        const r = UiAction.safeParse(await readJson(req));
        if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
        this.o.action(r.data);
        return sendJson(res, 200, { ok: true });
      }
      if (url.pathname.startsWith("/api/sim/")) {
        if (!this.o.simRoutes)
          throw new StationError("sim-disabled", "simulator API is off: devices are real");
        const route = this.o.simRoutes[key];
        if (!route) throw new StationError("not-found", `no route ${key}`);
        const body = req.method === "POST" ? await readJson(req) : undefined;
        return sendJson(res, 200, await route(body, url.searchParams));
      }
      for (const r of this.o.routes ?? []) if (await r(req, res, url)) return;
      if (url.pathname.startsWith("/api/")) throw new StationError("not-found", `no route ${key}`);
      if (req.method === "GET" && (await serveStatic(this.o.staticDir, url.pathname, res))) return;
      if (url.pathname === "/" || url.pathname === "/sim")
        throw new StationError("ui-not-built", "the UI is not built: run `npm run build`");
      throw new StationError("not-found", `no such page ${url.pathname}`);
    } catch (err) {
      if (!(err instanceof StationError)) this.o.logger.error(`route ${key} failed`, err);
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    }
  }
}
