/**
 * The county login for `npm run county`: the Node-RED editor (adminAuth) and everything under
 * httpNodeRoot, the fleet dashboard included, with its socket.io connection, which Express
 * middleware never sees. Users come from the county config with bcrypt hashes. Without users
 * nothing is served: no login means no access, never an open dashboard.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// Node-RED's own bcrypt (it checks the editor's passwords with the same library).
const bcrypt = createRequire(require.resolve("node-red"))("bcryptjs") as {
  compare(password: string, hash: string): Promise<boolean>;
};

export interface CountyUser {
  username: string;
  passwordHash: string;
}

type Req = { headers: Record<string, string | string[] | undefined> };
type Res = { statusCode: number; setHeader(k: string, v: string): void; end(body?: string): void };
interface IoSocket {
  id: string;
  on(event: "disconnect", cb: () => void): void;
  request: Req & { url?: string };
  handshake: { xdomain: boolean };
  client: { conn: { close(): void } };
}

export function countyLogin(users: CountyUser[]) {
  // A verified Authorization header, so bcrypt (~100 ms) runs once per login, not per request.
  const verified = new Map<string, string>();
  // Dashboard socket id → who logged in on it, so an acknowledgement or a rollout names its person.
  const sockets = new Map<string, string>();
  async function userOf(header: string | string[] | undefined): Promise<string | null> {
    if (typeof header !== "string" || !header.startsWith("Basic ")) return null;
    const known = verified.get(header);
    if (known) return known;
    const text = Buffer.from(header.slice(6), "base64").toString("utf8");
    const i = text.indexOf(":");
    if (i < 0) return null;
    const user = users.find((u) => u.username === text.slice(0, i));
    if (!user || !(await bcrypt.compare(text.slice(i + 1), user.passwordHash))) return null;
    if (verified.size > 100) verified.clear();
    verified.set(header, user.username);
    return user.username;
  }
  return {
    userOf,
    /** Who is behind a dashboard connection (msg._client.socketId); undefined when unknown. */
    userOfSocket: (socketId: unknown) => (typeof socketId === "string" ? sockets.get(socketId) : undefined),
    /** Node-RED's adminAuth: the editor's own login form, with the same users. */
    adminAuth: users.length
      ? {
          type: "credentials",
          users: users.map((u) => ({ username: u.username, password: u.passwordHash, permissions: "*" })),
        }
      : undefined,
    /** Express middleware in front of httpNodeRoot: HTTP Basic on every /api route (the dashboard's pages and files). */
    httpNodeMiddleware(req: Req, res: Res, next: () => void): void {
      userOf(req.headers.authorization).then(
        (u) => {
          if (u) return next();
          res.statusCode = 401;
          res.setHeader("WWW-Authenticate", 'Basic realm="county", charset="UTF-8"');
          res.end("login required");
        },
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    },
    /**
     * settings.dashboard.ioMiddleware: the dashboard's socket.io, which is attached to the HTTP
     * server itself. Keeps Dashboard 2.0's default rules (no direct WebSocket without the polling
     * handshake, same origin only) and adds the login; the browser resends its Basic credentials
     * on the same-origin polling requests.
     */
    ioMiddleware(socket: IoSocket, next: (err?: Error) => void): void {
      if ((socket.request.url ?? "").includes("transport=websocket")) {
        socket.client.conn.close();
        return;
      }
      if (socket.handshake.xdomain !== false) {
        next(new Error("cross-origin refused"));
        return;
      }
      userOf(socket.request.headers.authorization).then(
        (u) => {
          if (!u) return next(new Error("login required"));
          sockets.set(socket.id, u);
          socket.on("disconnect", () => sockets.delete(socket.id));
          next();
        },
        () => next(new Error("login check failed")),
      );
    },
  };
}
