/**
 * An in-process county side for uploader tests: an Aedes broker (MQTT 3.1.1) on a free port plus
 * a responder that reads records and answers on the station's ack topic. Each test picks how the
 * responder answers; `raw` publishes anything, malformed acks included.
 */
import { createServer, type Server, type Socket } from "node:net";
import { Aedes } from "aedes";
import mqtt, { type MqttClient } from "mqtt";
import { type AckMessage, parseTopic, RecordMessage, topics } from "../../station/mqtt/contract.js";

export type AckItem = AckMessage["acks"][number];
/** Return the acks to send for this delivery (empty = stay silent). */
export type Responder = (msg: RecordMessage, delivery: number) => AckItem[];

export const ackAll: Responder = (msg, delivery) => [
  { id: msg.record.id, status: delivery === 1 ? "stored" : "duplicate" },
];

export interface FakeArchive {
  url: string;
  port: number;
  /** Every record delivery, in arrival order (a re-sent record appears again). */
  received: RecordMessage[];
  /** Broker-side events of one client id, in order: "subscribe <filter>" / "publish <topic>". */
  events: (clientId: string) => string[];
  respond: Responder;
  raw(station: string, payload: string): Promise<void>;
  ack(station: string, acks: AckItem[]): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeArchive(opts: { port?: number; county?: string } = {}): Promise<FakeArchive> {
  const county = opts.county ?? "demo-county";
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  // close() must not wait for stations to hang up: it is how tests cut the link.
  const sockets = new Set<Socket>();
  server.on("connection", (sock) => {
    sockets.add(sock);
    sock.once("close", () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const log: { clientId: string; what: string }[] = [];
  broker.on("subscribe", (subs, client) => {
    for (const s of subs) log.push({ clientId: client?.id ?? "", what: `subscribe ${s.topic}` });
  });
  broker.on("publish", (packet, client) => {
    if (client) log.push({ clientId: client.id, what: `publish ${packet.topic}` });
  });

  const url = `mqtt://127.0.0.1:${port}`;
  const county_: MqttClient = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: "county-archive",
    reconnectPeriod: 0,
  });
  await county_.subscribeAsync(`hs/v1/${county}/+/record`, { qos: 1 });
  const deliveries = new Map<string, number>();
  const publishAck = (station: string, acks: AckItem[]) =>
    county_.publishAsync(
      topics.ack(county, station),
      JSON.stringify({ v: 1, type: "ack", acks, at: new Date().toISOString() } satisfies AckMessage),
      { qos: 1 },
    );

  const archive: FakeArchive = {
    url,
    port,
    received: [],
    events: (clientId) => log.filter((e) => e.clientId === clientId).map((e) => e.what),
    respond: ackAll,
    raw: async (station, payload) => {
      await county_.publishAsync(topics.ack(county, station), payload, { qos: 1 });
    },
    ack: async (station, acks) => {
      await publishAck(station, acks);
    },
    close: async () => {
      if (closing) return closing;
      closing = closeAll();
      return closing;
    },
  };
  let closing: Promise<void> | null = null;
  const closeAll = async () => {
    await county_.endAsync(true);
    await new Promise<void>((r) => broker.close(() => r()));
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const sock of sockets) sock.destroy();
    await closed;
  };
  county_.on("message", (topic, payload) => {
    const t = parseTopic(topic);
    const msg = RecordMessage.safeParse(JSON.parse(payload.toString()));
    if (!t || !msg.success) throw new Error(`fake archive got a bad record on ${topic}`);
    archive.received.push(msg.data);
    const n = (deliveries.get(msg.data.record.id) ?? 0) + 1;
    deliveries.set(msg.data.record.id, n);
    const acks = archive.respond(msg.data, n);
    if (acks.length > 0) void publishAck(t.station, acks);
  });
  return archive;
}

/** Polls (real time) until the condition holds; fails with `what` after `ms`. */
export async function until(
  cond: () => boolean,
  what: string,
  ms = 10_000,
  onTick?: () => void,
): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    onTick?.();
    await new Promise((r) => setTimeout(r, 5));
  }
}
