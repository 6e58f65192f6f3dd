/**
 * Stand-in stations for archive tests: each publishes its records at QoS 1, listens on its ack
 * topic, and re-sends whatever is still unacknowledged after `resendMs`, like the real
 * store-and-forward uploader. Some records are deliberately sent twice.
 */
import mqtt from "mqtt";
import { type AckMessage, topics } from "../../../station/mqtt/contract.js";
import { COUNTY, makeMessage } from "../fixtures.js";

export interface SimResult {
  /** Every ack status received, per record id. */
  acks: Map<string, string[]>;
  ids: string[];
  publishes: number;
}

export async function runStations(
  url: string,
  opts: { stations: number; perStation: number; duplicateEvery?: number; resendMs?: number; rounds?: number },
): Promise<SimResult> {
  const acks = new Map<string, string[]>();
  const ids: string[] = [];
  let publishes = 0;
  await Promise.all(
    Array.from({ length: opts.stations }, async (_, s) => {
      const station = `st-${String(s + 1).padStart(3, "0")}`;
      const client = await mqtt.connectAsync(url, {
        protocolVersion: 4,
        clientId: station,
        reconnectPeriod: 0,
      });
      client.on("message", (_t, payload) => {
        const ack = JSON.parse(payload.toString()) as AckMessage;
        for (const a of ack.acks) acks.set(a.id, [...(acks.get(a.id) ?? []), a.status]);
      });
      await client.subscribeAsync(topics.ack(COUNTY, station), { qos: 1 });
      const msgs = Array.from({ length: opts.perStation }, (_, i) =>
        makeMessage({ n: i + 1, station, stationIndex: s + 1 }),
      );
      ids.push(...msgs.map((m) => m.record.id));
      const send = async (list: typeof msgs) => {
        await Promise.all(
          list.map((m) => {
            publishes++;
            return client.publishAsync(topics.record(COUNTY, station), JSON.stringify(m), { qos: 1 });
          }),
        );
      };
      const every = opts.duplicateEvery ?? 0;
      await send(msgs);
      if (every > 0) await send(msgs.filter((_, i) => i % every === 0));
      for (let round = 0; round < (opts.rounds ?? 10); round++) {
        const allAcked = () => msgs.every((m) => acks.has(m.record.id));
        for (let t = 0; t < (opts.resendMs ?? 2000) && !allAcked(); t += 50)
          await new Promise((r) => setTimeout(r, 50));
        const open = msgs.filter((m) => !acks.has(m.record.id));
        if (open.length === 0) break;
        await send(open);
      }
      await client.endAsync();
    }),
  );
  return { acks, ids, publishes };
}
