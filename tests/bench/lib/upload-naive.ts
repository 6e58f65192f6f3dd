/**
 * The naive baseline: one record at a time, publish, wait for the archive's ack, write the
 * acked state durably with the same store, next record. Same broker (TLS, ACL), same county
 * process, same record encoder as the station.
 */
import mqtt from "mqtt";
import { type AckMessage, topics } from "../../../station/mqtt/contract.js";
import { buildRecordMessage } from "../../../station/mqtt/observations.js";
import { createFileStore } from "../../../station/storage/file-store.js";
import type { BenchWorld } from "./upload-drain.js";
import { makeBacklog, seedBacklog } from "./upload-seed.js";

export async function measureNaive(
  w: BenchWorld,
  o: { dataDir: string; stationId: string; records: number; perDay: number },
): Promise<{ records: number; ms: number; perSecond: number }> {
  await seedBacklog(o.dataDir, makeBacklog(o.stationId, o.records, o.perDay));
  const store = createFileStore({ dir: o.dataDir });
  await store.open();
  const client = await mqtt.connectAsync(w.broker.url, {
    protocolVersion: 4,
    clientId: o.stationId,
    username: o.stationId,
    password: w.stationPassword,
    ca: w.broker.ca,
    rejectUnauthorized: true,
    reconnectPeriod: 0,
  });
  const waiting = new Map<string, (a: AckMessage["acks"][number]) => void>();
  client.on("message", (_t, payload) => {
    for (const a of (JSON.parse(payload.toString()) as AckMessage).acks) waiting.get(a.id)?.(a);
  });
  await client.subscribeAsync(topics.ack(w.county, o.stationId), { qos: 1 });
  try {
    const records = await store.pending();
    const t0 = performance.now();
    for (const r of records) {
      const acked = new Promise<AckMessage["acks"][number]>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ack for ${r.id} in 10 s`)), 10_000);
        waiting.set(r.id, (a) => {
          clearTimeout(t);
          resolve(a);
        });
      });
      const now = new Date();
      const message = buildRecordMessage(r, { county: w.county, now });
      await client.publishAsync(topics.record(w.county, o.stationId), JSON.stringify(message), { qos: 1 });
      const a = await acked;
      waiting.delete(r.id);
      if (a.status !== "stored" && a.status !== "duplicate")
        throw new Error(`${r.id}: ${a.status} ${a.reason}`);
      const at = now.toISOString();
      await store.updateSync(r.id, {
        status: "acked",
        attempts: 1,
        lastAttemptAt: at,
        ackedAt: at,
        rejectReason: null,
      });
    }
    const ms = performance.now() - t0;
    if ((await store.pending(1)).length !== 0) throw new Error("naive baseline left records pending");
    return { records: records.length, ms, perSecond: (records.length / ms) * 1000 };
  } finally {
    await client.endAsync();
    await store.close();
  }
}
