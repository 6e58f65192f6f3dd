/**
 * How soon does Mosquitto drop a client that falls silent (a SIGSTOPped station: no FIN, no
 * PINGREQ)? Starts a throwaway Mosquitto on loopback, connects N clients with a Will, each
 * through a small TCP relay, lets them run, then silences each relay at a staggered moment (the
 * relay stops passing bytes either way, as a stopped process would) and times, per client, from
 * the last byte the broker received from it to its Will reaching a watcher. MQTT 3.1.1 says a
 * server disconnects after 1.5 × keepalive without a packet; this shows what the broker does.
 *   npx tsx scripts/keepalive-probe.ts [--clients 8] [--keepalive 10] [--mosquitto /usr/sbin/mosquitto]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket, connect as tcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import mqtt from "mqtt";

const { values: v } = parseArgs({
  options: {
    clients: { type: "string", default: "8" },
    keepalive: { type: "string", default: "10" },
    mosquitto: { type: "string", default: "/usr/sbin/mosquitto" },
  },
});
const N = Number(v.clients);
const K = Number(v.keepalive);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A relay to the broker that can fall silent; remembers when it last passed a byte upstream. */
function relay(
  brokerPort: number,
): Promise<{ port: number; silence(): void; lastUp(): number; server: Server }> {
  let last = 0;
  let silent = false;
  const pairs: Socket[] = [];
  const server = createServer((client) => {
    const up = tcp(brokerPort, "127.0.0.1");
    pairs.push(client, up);
    client.on("data", (b) => {
      if (silent) return;
      last = performance.now();
      up.write(b);
    });
    up.on("data", (b) => {
      if (!silent) client.write(b);
    });
    // Neither side learns of the other's end: a stopped process sends no FIN.
    client.on("error", () => {});
    up.on("error", () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as { port: number }).port,
        silence: () => {
          silent = true;
        },
        lastUp: () => last,
        server,
      }),
    ),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hs-keepalive-"));
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const broker = spawn(v.mosquitto!, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise((r) => setTimeout(r, 500));
  const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: "watcher", keepalive: 60 });
  const willAt = new Map<string, number>();
  watcher.on("message", (t) => willAt.set(t.split("/")[1]!, performance.now()));
  await watcher.subscribeAsync("will/+", { qos: 1 });

  const relays = await Promise.all(Array.from({ length: N }, () => relay(port)));
  // Connected 5.5/N s apart and silenced just after, so the last packets fall across Mosquitto's
  // whole-second clock and across any periodic check.
  const clients: mqtt.MqttClient[] = [];
  for (let i = 0; i < N; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, (5500 / N) | 0));
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${relays[i]!.port}`, {
      clientId: `c${i}`,
      keepalive: K,
      reconnectPeriod: 0,
      will: { topic: `will/c${i}`, payload: Buffer.from("gone"), qos: 1, retain: false },
    });
    c.on("error", () => {});
    relays[i]!.silence();
    clients.push(c);
  }
  const deadline = performance.now() + (K * 1.5 + 15) * 1000;
  while (willAt.size < N && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));

  const rows = relays.map((r, i) => {
    const w = willAt.get(`c${i}`);
    return { client: `c${i}`, fromLastPacket: w === undefined ? null : (w - r.lastUp()) / 1000 };
  });
  for (const row of rows)
    console.log(
      `${row.client}\t${row.fromLastPacket === null ? "no Will" : `${row.fromLastPacket.toFixed(2)} s`}`,
    );
  const got = rows.flatMap((r) => (r.fromLastPacket === null ? [] : [r.fromLastPacket]));
  console.log(
    `keepalive ${K} s, bound ${1.5 * K} s: Will after ${Math.min(...got).toFixed(2)}–${Math.max(...got).toFixed(2)} s from the last packet (${got.length}/${N} clients)`,
  );
  for (const c of clients) c.end(true);
  await watcher.endAsync(true);
  for (const r of relays) r.server.close();
  broker.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

void main();
