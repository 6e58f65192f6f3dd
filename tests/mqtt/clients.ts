/** MQTT 3.1.1 test clients for the real broker, and an order barrier for "received nothing" checks. */
import mqtt, { type MqttClient } from "mqtt";

export interface ClientOpts {
  url: string;
  ca: Buffer;
  username?: string;
  password?: string;
  clientId?: string;
}

export function connect(o: ClientOpts): Promise<MqttClient> {
  return mqtt.connectAsync(o.url, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ca: o.ca,
    rejectUnauthorized: true,
    ...(o.username ? { username: o.username, password: o.password ?? "" } : {}),
    ...(o.clientId ? { clientId: o.clientId } : {}),
  });
}

export interface Inbox {
  messages: { topic: string; payload: string }[];
  /** Resolves once a message on `topic` has arrived. */
  waitFor(topic: string): Promise<void>;
}

export function inbox(client: MqttClient): Inbox {
  const messages: Inbox["messages"] = [];
  const waiters: { topic: string; resolve: () => void }[] = [];
  client.on("message", (topic, payload) => {
    messages.push({ topic, payload: payload.toString() });
    for (const w of waiters.filter((x) => x.topic === topic)) w.resolve();
  });
  return {
    messages,
    waitFor: (topic) =>
      messages.some((m) => m.topic === topic)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ topic, resolve })),
  };
}

/** Granted QoS per filter; 128 is the 3.1.1 SUBACK failure code (refused by the ACL). */
export async function subscribeCodes(client: MqttClient, filter: string): Promise<number[]> {
  const granted = await client.subscribeAsync(filter, { qos: 1 });
  return granted.map((g) => g.qos);
}
