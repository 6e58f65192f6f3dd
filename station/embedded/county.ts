/**
 * The embedded county side for `npm start` and a station that runs alone: an in-process MQTT
 * broker (Aedes, MQTT 3.1.1) on loopback, and the county archive receiver (the same
 * ReceiverCore the Node-RED node runs) storing to the append-only file archive. A county runs
 * Mosquitto and `npm run county` instead (docs/county-archive.md).
 */
import { createServer, type Server, type Socket } from "node:net";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { ReceiverCore } from "../../flows/archive/receiver-core.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import { topics } from "../mqtt/contract.js";
import { disableNagle } from "../mqtt/no-delay.js";
import type { Logger } from "../util/logger.js";

export interface EmbeddedCounty {
  url: string;
  archive: FileArchiveStore;
  stop(): Promise<void>;
}

export async function startEmbeddedCounty(opts: {
  county: string;
  archiveDir: string;
  logger: Logger;
}): Promise<EmbeddedCounty> {
  const log = opts.logger;
  const broker = await Aedes.createBroker();
  // Nagle off both ways, as on the county's Mosquitto (set_tcp_nodelay): acks leave at once.
  const server: Server = createServer({ noDelay: true }, broker.handle);
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Loopback only: nothing outside this machine may publish into the demo archive.
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;

  const archive = new FileArchiveStore({ dir: opts.archiveDir });
  await archive.open();
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId: "county-archive",
    reconnectPeriod: 1000,
  });
  const core = new ReceiverCore({
    store: archive,
    validators: loadValidators(),
    onBatch: (b) => {
      for (const a of b.acks) client.publish(a.topic, JSON.stringify(a.payload), { qos: 1 });
      if (b.stored || b.duplicates || b.rejects.length)
        log.info(`archive: ${b.stored} stored, ${b.duplicates} duplicate, ${b.rejects.length} rejected`);
      if (b.error) log.error("archive store failed; records will be re-sent", b.error);
    },
    onDrop: (d) => log.warn(`archive dropped a message on ${d.topic}: ${d.reason}`),
  });
  disableNagle(client);
  client.on("connect", () => disableNagle(client));
  client.on("message", (topic, payload) => {
    core.accept(topic, payload).catch(() => {
      // Store failure: already logged by onBatch; the station re-sends unacked records.
    });
  });
  await client.subscribeAsync(topics.record(opts.county, "+"), { qos: 1 });
  log.info(`embedded county broker ${url}, archive in ${opts.archiveDir}`);

  return {
    url,
    archive,
    async stop() {
      await core.drain();
      await client.endAsync();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
      await archive.close();
    },
  };
}
