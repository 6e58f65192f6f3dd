/**
 * Duplicate and malformed traffic: record messages built by the station's own encoder from what
 * its store holds, stored into the archive behind the receiver's back or republished over MQTT
 * with the station's credentials (the only records topic the ACL lets it write).
 */
import mqtt, { type MqttClient } from "mqtt";
import { FileArchiveStore } from "../../../flows/archive/file-store.js";
import type { CheckupRecord } from "../../../station/domain/schema.js";
import { type AckMessage, type RecordMessage, topics } from "../../../station/mqtt/contract.js";
import { buildRecordMessage } from "../../../station/mqtt/observations.js";
import { createFileStore } from "../../../station/storage/file-store.js";
import { until } from "./wait.js";

export async function loadRecords(dataDir: string, ids: readonly string[]): Promise<CheckupRecord[]> {
  const store = createFileStore({ dir: dataDir });
  await store.open();
  try {
    const out: CheckupRecord[] = [];
    for (const id of ids) {
      const r = await store.get(id);
      if (!r) throw new Error(`record ${id} not in the station store`);
      out.push(r);
    }
    return out;
  } finally {
    await store.close();
  }
}

export function messageOf(record: CheckupRecord, county: string): RecordMessage {
  return buildRecordMessage(record, { county, now: new Date() });
}

/** The state a receiver leaves when it dies after its durable write and before its ack: stored, never acked. */
export async function storeBehindReceiver(dir: string, messages: RecordMessage[]): Promise<void> {
  const store = new FileArchiveStore({ dir });
  await store.open();
  try {
    const receivedAt = new Date().toISOString();
    const res = await store.putMany(messages.map((message) => ({ message, receivedAt })));
    if (res.some((r) => r.status !== "stored")) throw new Error("archive already held some of these records");
  } finally {
    await store.close();
  }
}

export interface StationImpostor {
  client: MqttClient;
  /** Every ack entry seen on the station's ack topic, in arrival order. */
  acks: AckMessage["acks"];
  publish(payload: string | Buffer, topic?: string): Promise<void>;
  waitAcks(ok: (acks: AckMessage["acks"]) => boolean, what: string): Promise<void>;
  end(): Promise<void>;
}

/** A client logged in as the station. The broker makes its client id the station id: stop the station first. */
export async function asStation(o: {
  url: string;
  ca: Buffer;
  county: string;
  stationId: string;
  password: string;
}): Promise<StationImpostor> {
  const client = await mqtt.connectAsync(o.url, {
    protocolVersion: 4,
    username: o.stationId,
    password: o.password,
    ca: o.ca,
    rejectUnauthorized: true,
    reconnectPeriod: 0,
  });
  const acks: AckMessage["acks"] = [];
  client.on("message", (_topic, payload) => {
    acks.push(...(JSON.parse(payload.toString()) as AckMessage).acks);
  });
  const granted = await client.subscribeAsync(topics.ack(o.county, o.stationId), { qos: 1 });
  if (granted.some((g) => g.qos === 128)) throw new Error("ACL refused the station its own ack topic");
  return {
    client,
    acks,
    publish: async (payload, topic = topics.record(o.county, o.stationId)) => {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    waitAcks: async (ok, what) => {
      await until(() => acks, ok, what, 20_000, 50);
    },
    end: () => client.endAsync(),
  };
}
