/**
 * The archive-receiver node inside a Node-RED runtime (node-red-node-test-helper). Node-RED
 * swallows exceptions thrown in flows, so every expectation is collected from "input" events
 * into promises and asserted here, in the test's own stack.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import type { ArchiveStore } from "../../flows/archive/store.js";
import receiverNode from "../../flows/nodes/archive-receiver-node.js";
import { bytes, makeMessage, recordId, recordTopic } from "./fixtures.js";

type Msg = { topic?: string; payload?: unknown; qos?: number; error?: { message: string } };
interface HelperNode {
  on(ev: "input", cb: (msg: Msg) => void): void;
  receive(msg: Msg): void;
}
const require = createRequire(import.meta.url);
// The helper ships no types; this is the part of its API the tests use.
const helper = require("node-red-node-test-helper") as {
  init(path: string): void;
  settings(s: object): void;
  load(node: unknown, flow: object[]): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): HelperNode;
  startServer(cb: () => void): void;
  stopServer(cb: () => void): void;
};

helper.init(require.resolve("node-red"));
const nodes = [receiverNode]; // the helper preloads the core catch node itself
const validators = loadValidators();

/** Collects the next `n` messages arriving at a helper node; fails with what did arrive. */
function collect(node: HelperNode, n: number, ms = 5000): Promise<Msg[]> {
  const got: Msg[] = [];
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`expected ${n} messages, got ${JSON.stringify(got)}`)), ms);
    node.on("input", (m) => {
      got.push(m);
      if (got.length === n) {
        clearTimeout(t);
        resolve(got);
      }
    });
  });
}

// Catch nodes only see errors from nodes on their own tab, so everything sits on one; x/y mark
// flow nodes (Node-RED treats nodes without them as config nodes).
const at = { z: "f1", x: 100, y: 100 };
const flow = (extra: object = {}) => [
  { id: "f1", type: "tab", label: "archive" },
  { id: "rx", ...at, type: "archive-receiver", batchMs: 5, wires: [["acks"], ["side"]], ...extra },
  { id: "acks", ...at, type: "helper" },
  { id: "side", ...at, type: "helper" },
  { id: "catcher", ...at, type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
  { id: "caught", ...at, type: "helper" },
];

describe("archive-receiver node", () => {
  let dir: string;
  let store: FileArchiveStore;
  beforeAll(() => new Promise<void>((r) => helper.startServer(r)));
  afterAll(() => new Promise<void>((r) => helper.stopServer(r)));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hs-node-"));
    store = new FileArchiveStore({ dir: join(dir, "store") });
    await store.open();
    helper.settings({ healthArchive: { store, deadLetterFile: join(dir, "dead.jsonl") } });
  });
  afterEach(async () => {
    await helper.unload();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("stores records from mqtt-in style messages and sends QoS 1 acks on output 1", async () => {
    await helper.load(nodes, flow());
    const acks = collect(helper.getNode("acks"), 1);
    const rx = helper.getNode("rx");
    rx.receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 1 })) });
    rx.receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 2 })) });
    const [ack] = await acks;
    expect(ack).toMatchObject({ topic: "hs/v1/demo-county/st-001/ack", qos: 1 });
    expect(validators.ack(ack!.payload)).toBe(true);
    expect((ack!.payload as { acks: unknown[] }).acks).toEqual([
      { id: recordId(1), status: "stored" },
      { id: recordId(2), status: "stored" },
    ]);
    expect(await store.count()).toBe(2);
  });

  it("reports rejects and batch metrics on output 2", async () => {
    await helper.load(nodes, flow());
    const side = collect(helper.getNode("side"), 2);
    const bad = makeMessage({ n: 3 });
    bad.record.person.name = "";
    helper.getNode("rx").receive({ topic: recordTopic(), payload: bytes(bad) });
    const [reject, metrics] = await side;
    expect(reject).toMatchObject({ topic: "archive/rejected", payload: { code: "schema", id: recordId(3) } });
    expect(metrics).toMatchObject({ topic: "archive/metrics", payload: { batch: { rejected: 1 } } });
  });

  it("never crashes on garbage: drops it to output 2 and keeps working", async () => {
    await helper.load(nodes, flow());
    const side = collect(helper.getNode("side"), 2);
    const acks = collect(helper.getNode("acks"), 1);
    const rx = helper.getNode("rx");
    rx.receive({ topic: recordTopic(), payload: Buffer.from([0, 1, 2, 255]) });
    expect((await side)[0]).toMatchObject({ topic: "archive/dropped", payload: { code: "no-record-id" } });
    rx.receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 4 })) });
    expect((await acks)[0]!.payload).toMatchObject({ acks: [{ id: recordId(4), status: "stored" }] });
  });

  it("calls done(err) when the store fails, so a Catch node gets the message", async () => {
    const failing: ArchiveStore = {
      open: async () => {},
      close: async () => {},
      count: async () => 0,
      get: async () => null,
      list: async () => [],
      putMany: async () => {
        throw new Error("database is down");
      },
    };
    helper.settings({ healthArchive: { store: failing, deadLetterFile: join(dir, "dead.jsonl") } });
    await helper.load(nodes, flow());
    const caught = collect(helper.getNode("caught"), 1);
    helper.getNode("rx").receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 5 })) });
    const [msg] = await caught;
    expect(msg!.error!.message).toContain("database is down");
  });

  it("opens its own file store in `dir` when the host provides none", async () => {
    helper.settings({});
    const own = join(dir, "own");
    await helper.load(nodes, flow({ dir: own }));
    const acks = collect(helper.getNode("acks"), 1);
    helper.getNode("rx").receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 6 })) });
    await acks;
    await helper.unload(); // closes the node, which closes the store it opened
    const check = new FileArchiveStore({ dir: own });
    await check.open();
    expect(await check.get(recordId(6))).not.toBeNull();
    await check.close();
  });

  it("turns Nagle off on its broker node's socket, once per socket", async () => {
    const calls: [string, boolean | undefined][] = [];
    const socket = (name: string) => ({ setNoDelay: (on?: boolean) => calls.push([name, on]) });
    // Stands in for the core mqtt-broker node: only its `client.stream` is read.
    const client = { stream: socket("first") };
    function FakeBroker(this: { client: typeof client }, config: object) {
      RED.nodes.createNode(this, config);
      this.client = client;
    }
    let RED: { nodes: { createNode(n: object, c: object): void; registerType(t: string, c: unknown): void } };
    const fakeBroker = (red: typeof RED) => {
      RED = red;
      red.nodes.registerType("fake-broker", FakeBroker);
    };
    await helper.load(
      [receiverNode, fakeBroker],
      [...flow({ broker: "b1" }), { id: "b1", type: "fake-broker" }],
    );
    const rx = helper.getNode("rx");
    const first = collect(helper.getNode("acks"), 1);
    rx.receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 7 })) });
    rx.receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 8 })) });
    await first;
    client.stream = socket("after-reconnect");
    const second = collect(helper.getNode("acks"), 1);
    rx.receive({ topic: recordTopic(), payload: bytes(makeMessage({ n: 9 })) });
    await second;
    expect(calls).toEqual([
      ["first", true],
      ["after-reconnect", true],
    ]);
  });
});
