/**
 * Node-RED node `archive-receiver`, kept thin: the work is in ReceiverCore. Input: messages
 * from a core `mqtt in` node on the shared record subscription. Output 1: ack messages for a
 * core `mqtt out` node. Output 2: rejects, drops, store errors and per-batch metrics.
 * A store failure is reported with done(err), so a Catch node sees it; the station re-sends
 * anything it did not get an ack for.
 *
 * The store comes from the host (settings.healthArchive, as flows/county.ts does, e.g. for
 * PostgreSQL), or else the node opens a file store in its `dir` (default <userDir>/archive).
 */
import { join } from "node:path";
import { disableNagle } from "../../station/mqtt/no-delay.js";
import { DeadLetterFile, deadLetterEntry } from "../archive/dead-letter.js";
import { FileArchiveStore } from "../archive/file-store.js";
import { type BatchOutcome, ReceiverCore } from "../archive/receiver-core.js";
import { loadValidators } from "../archive/schemas.js";
import type { ArchiveStore } from "../archive/store.js";
import type { NodeMessage, NodeRedApi, RedNode } from "./red-types.js";

export interface ArchiveReceiverConfig {
  name?: string;
  dir?: string;
  batchMs?: number | string;
  maxBatch?: number | string;
  /**
   * The mqtt-broker config node the records arrive on and the acks leave by. Optional: given,
   * the node turns Nagle off on that connection (station/mqtt/no-delay.ts) so acks are not
   * held back ~30 ms behind the PUBACKs.
   */
  broker?: string;
}

/** The part of Node-RED's core mqtt-broker node used here: its current MQTT.js client. */
interface BrokerNode {
  client?: { stream?: unknown };
}

/** What a host process hands the node through Node-RED settings. */
export interface ArchiveHost {
  store: ArchiveStore;
  deadLetterFile?: string;
}

function sideMessages(o: BatchOutcome, totals: object): NodeMessage[] {
  const out: NodeMessage[] = [
    ...o.rejects.map((r) => ({ topic: "archive/rejected", payload: r })),
    ...o.events.rejects.map((r) => ({ topic: "archive/rejected", payload: r })),
    ...o.drops.map((d) => ({ topic: "archive/dropped", payload: d })),
  ];
  if (o.error !== undefined) out.push({ topic: "archive/store-error", payload: String(o.error) });
  const batch = {
    stored: o.stored,
    duplicates: o.duplicates,
    rejected: o.rejects.length,
    dropped: o.drops.length,
    events: o.events.stored,
    eventDuplicates: o.events.duplicates,
    eventsRejected: o.events.rejects.length,
  };
  out.push({ topic: "archive/metrics", payload: { batch, totals } });
  return out;
}

export default function register(RED: NodeRedApi): void {
  function ArchiveReceiverNode(this: RedNode, config: ArchiveReceiverConfig): void {
    RED.nodes.createNode(this, config);
    const host = RED.settings.healthArchive as ArchiveHost | undefined;
    const dir = config.dir || join(RED.settings.userDir ?? ".", "archive");
    const store = host?.store ?? new FileArchiveStore({ dir });
    const owned = !host?.store;
    const deadLetter = new DeadLetterFile(host?.deadLetterFile ?? join(dir, "dead-letter.jsonl"), (err) =>
      this.warn(`dead-letter write failed: ${err}`),
    );
    const ready = owned ? store.open() : Promise.resolve();
    ready.catch((err: unknown) => {
      this.error(`archive store unavailable: ${err}`);
      this.status({ fill: "red", shape: "ring", text: "存储不可用 / store unavailable" });
    });
    const broker = config.broker ? (RED.nodes.getNode(config.broker) as BrokerNode | null) : null;
    if (config.broker && !broker) this.warn(`mqtt-broker node ${config.broker} not found`);
    const core = new ReceiverCore({
      store,
      validators: loadValidators(),
      batchMs: Number(config.batchMs) || 10,
      maxBatch: Number(config.maxBatch) || 500,
      onDrop: (d, payload) => void deadLetter.write(deadLetterEntry(d, payload, new Date())),
      onBatch: (o) => {
        const t = core.totals;
        this.send([o.acks, sideMessages(o, { ...t })]);
        this.status({
          fill: o.error === undefined ? "green" : "red",
          shape: "dot",
          text: `已存/stored ${t.stored} · 重复/dup ${t.duplicates} · 拒收/rej ${t.rejected} · 丢弃/drop ${t.dropped}`,
        });
      },
    });
    // Read by the host (flows/county.ts) for its shutdown summary.
    Object.defineProperty(this, "archiveTotals", { get: () => ({ ...core.totals }) });
    this.on("input", (msg, _send, done) => {
      // A message means the connection is up; a reconnect brings a new socket, tuned here once.
      disableNagle(broker?.client);
      ready
        .then(() => core.accept(msg.topic, msg.payload))
        .then(
          () => done(),
          (err: unknown) => done(err),
        );
    });
    this.on("close", (_removed, done) => {
      core
        .drain()
        .then(() => (owned ? store.close() : undefined))
        .catch((err: unknown) => this.error(`closing archive store: ${err}`))
        .finally(done);
    });
  }
  RED.nodes.registerType("archive-receiver", ArchiveReceiverNode);
}
