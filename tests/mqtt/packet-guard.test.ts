/**
 * The station refuses an oversized MQTT packet from its header, before MQTT.js buffers the body:
 * the guard on its own (packet boundaries across chunks), then a BrokerLink against a raw TCP
 * "broker" that announces a 250 MB PUBLISH and streams it.
 */
import { createServer, type Server, type Socket } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type OversizedPacket, PacketSizeGuard } from "../../station/mqtt/limits.js";
import { BrokerLink } from "../../station/upload/broker-link.js";
import { realScheduler } from "../../station/upload/timing.js";
import { silentLogger } from "../../station/util/logger.js";

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
const packet = (type: number, bodyLen: number) =>
  Buffer.concat([Buffer.from([type << 4, ...varint(bodyLen)]), Buffer.alloc(bodyLen, 7)]);

function feedSplit(guard: PacketSizeGuard, bytes: Buffer, cuts: number[]) {
  let at = 0;
  for (const c of [...cuts.filter((x) => x < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    guard.feed(bytes.subarray(at, c));
    at = c;
  }
}

describe("PacketSizeGuard", () => {
  it("passes any stream of packets within the limit, however it is cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 20_000 })), {
          maxLength: 8,
        }),
        fc.array(fc.nat(200_000), { maxLength: 12 }),
        (packets, cuts) => {
          const seen: OversizedPacket[] = [];
          const g = new PacketSizeGuard(20_000, (p) => seen.push(p));
          feedSplit(g, Buffer.concat(packets.map(([t, n]) => packet(t, n))), cuts);
          expect(seen).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports the first packet over the limit, after any number of good ones, from its header alone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 5 }),
        fc.integer({ min: 5_001, max: 268_435_455 }),
        fc.array(fc.nat(40_000), { maxLength: 6 }),
        (good, big, cuts) => {
          const seen: OversizedPacket[] = [];
          const g = new PacketSizeGuard(5_000, (p) => seen.push(p));
          // Only the big packet's header is sent: the guard must not need its body.
          const bytes = Buffer.concat([
            ...good.map((n) => packet(3, n)),
            Buffer.from([0x30, ...varint(big)]),
          ]);
          feedSplit(g, bytes, cuts);
          expect(seen).toEqual([{ type: 3, length: big }]);
          expect(g.tripped).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("treats a fifth remaining-length byte (malformed) as oversized", () => {
    const seen: OversizedPacket[] = [];
    new PacketSizeGuard(1_000, (p) => seen.push(p)).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(seen).toHaveLength(1);
  });
});

describe("BrokerLink refuses an oversized message", () => {
  let server: Server | null = null;
  let link: BrokerLink | null = null;
  afterEach(async () => {
    await link?.stop();
    await new Promise((r) => (server ? server.close(r) : r(null)));
  });

  it("drops the connection on a 250 MB PUBLISH header, never emits the message, and reports why", async () => {
    let sockets = 0;
    const closed: Promise<void>[] = [];
    let written = 0;
    server = createServer((sock: Socket) => {
      sockets++;
      closed.push(new Promise((r) => sock.once("close", () => r())));
      sock.on("error", () => {});
      sock.on("data", (d) => {
        if (d[0] === 0x10) sock.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK accepted
        if (d[0] === 0x82) {
          sock.write(Buffer.from([0x90, 0x03, d[2]!, d[3]!, 0x01])); // SUBACK QoS 1
          const topic = Buffer.from("hs/v1/demo-county/st-x/ack");
          const total = 250 * 1024 * 1024;
          sock.write(Buffer.from([0x30, ...varint(total), 0, topic.length]));
          sock.write(topic);
          // Stream the body until the station hangs up (at most 8 MB from this test).
          const chunk = Buffer.alloc(64 * 1024, 0x41);
          const pump = () => {
            while (!sock.destroyed && written < 8 * 1024 * 1024) {
              written += chunk.length;
              if (!sock.write(chunk)) return void sock.once("drain", pump);
            }
          };
          pump();
        }
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    link = new BrokerLink({
      url: `mqtt://127.0.0.1:${port}`,
      clientId: "st-x",
      ackTopic: "hs/v1/demo-county/st-x/ack",
      presenceTopic: "hs/v1/demo-county/st-x/status",
      reconnect: { baseMs: 60_000, capMs: 60_000 },
      connectTimeoutMs: 5_000,
      keepaliveSeconds: 60,
      scheduler: realScheduler,
      random: () => 0.99,
      logger: silentLogger,
    });
    const messages: string[] = [];
    link.on("message", (t) => messages.push(t));
    const down = new Promise<[string, string]>((r) => link!.once("down", (code, msg) => r([code, msg])));
    link.start();
    const [code, msg] = await down;
    expect(code).toBe("oversized-message");
    expect(msg).toContain(`${250 * 1024 * 1024} bytes`);
    await closed[0];
    expect(sockets).toBe(1);
    expect(messages).toEqual([]);
  });
});
