/**
 * One MQTT 3.1.1 connection to the county broker, redialled with our own full-jitter backoff:
 * MQTT.js's reconnectPeriod is a fixed interval, and a fleet using it reconnects in lockstep after
 * a broker restart. Each dial is a fresh clean-session client, so nothing queued inside MQTT.js
 * survives a drop; the durable outbox is the only queue. "up" is emitted only once the ack
 * subscription is granted, so nothing is ever published before the station can hear its acks.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { MAX_PACKET_BYTES, PacketSizeGuard } from "../mqtt/limits.js";
import { disableNagle } from "../mqtt/no-delay.js";
import { memoryPresence, type PresenceSource, presencePayload } from "../mqtt/presence.js";
import { TypedEmitter } from "../util/emitter.js";
import type { Logger } from "../util/logger.js";
import type { UploadErrorCode } from "./status.js";
import { type BackoffPolicy, fullJitter, type Scheduler, type TimerHandle } from "./timing.js";

export interface BrokerLinkOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** The county CA certificate (PEM), the only CA trusted for mqtts://. */
  ca?: string | Buffer;
  ackTopic: string;
  /** Subscribed together with the ack topic (fleet config, packs, commands), before "up". */
  extraTopics?: string[];
  presenceTopic: string;
  /** bdSeq and birth; default: an in-memory counter and no birth details. */
  presence?: PresenceSource;
  reconnect: BackoffPolicy;
  connectTimeoutMs: number;
  keepaliveSeconds: number;
  /** Incoming packets above this are refused unread. Default MAX_PACKET_BYTES. */
  maxPacketBytes?: number;
  scheduler: Scheduler;
  random: () => number;
  logger: Logger;
}

export type LinkEvents = {
  up: [];
  down: [code: UploadErrorCode, message: string];
  message: [topic: string, payload: Buffer];
};

/** How long a clean stop waits for the broker to take the "offline" message. */
const GOODBYE_MS = 2_000;

/** Real time on purpose: stopping must finish even when the injected clock stands still. */
function withDeadline(p: Promise<void>): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<void>((r) => (t = setTimeout(r, GOODBYE_MS)))]).finally(() =>
    clearTimeout(t),
  );
}

export class BrokerLink extends TypedEmitter<LinkEvents> {
  readonly #o: BrokerLinkOptions;
  #client: MqttClient | null = null;
  #up = false;
  #attempt = 0;
  #timer: TimerHandle | null = null;
  #stopped = true;
  readonly #presence: PresenceSource;
  /** The bdSeq of the current (or last) connection: its birth, Will and clean death carry it. */
  #bdSeq = -1;

  constructor(opts: BrokerLinkOptions) {
    super();
    this.#o = opts;
    this.#presence = opts.presence ?? memoryPresence();
  }

  get bdSeq(): number {
    return this.#bdSeq;
  }

  get isUp(): boolean {
    return this.#up;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#dial();
  }

  /** Publishes at QoS 1; false when not connected (the caller keeps the record in its outbox). */
  publish(topic: string, payload: string, retain = false): boolean {
    const c = this.#client;
    if (!this.#up || !c) return false;
    c.publish(topic, payload, { qos: 1, retain }, (err) => {
      // A lost PUBACK changes nothing: only the archive's ack takes a record out of the outbox.
      if (err) this.#o.logger.debug(() => `publish to ${topic} not confirmed: ${err.message}`);
    });
    return true;
  }

  /** Publishes at QoS 1 and resolves true on the PUBACK; false when down or not confirmed. */
  publishConfirmed(topic: string, payload: string): Promise<boolean> {
    const c = this.#client;
    if (!this.#up || !c) return Promise.resolve(false);
    return new Promise((resolve) =>
      c.publish(topic, payload, { qos: 1, retain: false }, (err) => resolve(!err)),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) this.#o.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
    const c = this.#client;
    this.#client = null;
    const wasUp = this.#up;
    this.#up = false;
    if (!c) return;
    if (wasUp) {
      // A clean DISCONNECT discards the Will, so say goodbye ourselves first.
      const bye = presencePayload(
        this.#o.clientId,
        "offline",
        new Date(this.#o.scheduler.now()),
        this.#bdSeq,
        {
          reason: "clean",
        },
      );
      await withDeadline(
        new Promise<void>((resolve) =>
          c.publish(this.#o.presenceTopic, bye, { qos: 1, retain: true }, () => resolve()),
        ),
      );
      // A link that died under us never completes a graceful end: bounded, then forced.
      await withDeadline(c.endAsync().catch(() => {}));
    }
    c.end(true);
  }

  #dial(): void {
    if (this.#stopped) return;
    const o = this.#o;
    const connectedAt = new Date(o.scheduler.now());
    // Durable before the CONNECT that registers it as the Will, so no restart can reuse it.
    let bdSeq: number;
    try {
      bdSeq = this.#presence.nextBdSeq();
    } catch (err) {
      o.logger.error(`cannot advance bdSeq: ${(err as Error).message}; retrying later`);
      this.emit("down", "connect-failed", `bdSeq not saved: ${(err as Error).message}`);
      this.#scheduleRedial();
      return;
    }
    this.#bdSeq = bdSeq;
    const options: IClientOptions = {
      protocolVersion: 4,
      clientId: o.clientId,
      clean: true,
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: o.connectTimeoutMs,
      keepalive: o.keepaliveSeconds,
      ...(o.username === undefined ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: o.password }),
      ...(o.ca === undefined ? {} : { ca: o.ca, rejectUnauthorized: true }),
      will: {
        topic: o.presenceTopic,
        payload: Buffer.from(presencePayload(o.clientId, "offline", connectedAt, bdSeq, { reason: "lost" })),
        qos: 1,
        retain: true,
      },
    };
    const client = mqtt.connect(o.url, options);
    this.#client = client;
    let lastError = "connection closed";
    let downCode: UploadErrorCode | null = null;
    // Ahead of MQTT.js's own parser on the same socket: an oversized packet is refused from its
    // header, and the connection dropped, before its body is buffered or parsed.
    const guard = new PacketSizeGuard(o.maxPacketBytes ?? MAX_PACKET_BYTES, (p) => {
      downCode = "oversized-message";
      lastError = `packet type ${p.type} of ${p.length} bytes refused (limit ${o.maxPacketBytes ?? MAX_PACKET_BYTES})`;
      o.logger.error(lastError);
      client.stream.destroy();
    });
    client.stream.prependListener("data", (chunk: Buffer) => guard.feed(chunk));
    client.on("error", (err) => {
      lastError = err.message;
    });
    client.on("connect", () => this.#onConnect(client));
    client.on("message", (topic, payload) => {
      if (client === this.#client) this.emit("message", topic, payload);
    });
    client.on("close", () => {
      if (client !== this.#client) return;
      const wasUp = this.#up;
      this.#up = false;
      this.#client = null;
      client.end(true);
      this.emit("down", downCode ?? (wasUp ? "connection-lost" : "connect-failed"), lastError);
      this.#scheduleRedial();
    });
  }

  #onConnect(client: MqttClient): void {
    disableNagle(client);
    client.subscribe([this.#o.ackTopic, ...(this.#o.extraTopics ?? [])], { qos: 1 }, (err, granted) => {
      if (client !== this.#client) return;
      // 0x80 in SUBACK is the 3.1.1 "failure" return code: the ACL refused us.
      const refused = err || !granted || granted.some((g) => g.qos === 128);
      if (refused) {
        this.#o.logger.error(`ack subscription refused on ${this.#o.ackTopic}`);
        this.#client = null;
        client.end(true);
        this.emit("down", "subscribe-refused", err ? err.message : "SUBACK 0x80");
        this.#scheduleRedial();
        return;
      }
      this.#attempt = 0;
      this.#up = true;
      this.#publishBirth(client);
      this.emit("up");
    });
  }

  /** Sends the birth again with the same bdSeq (the county asked, or the station's facts changed). */
  rebirth(): boolean {
    const c = this.#client;
    if (!this.#up || !c) return false;
    this.#publishBirth(c);
    return true;
  }

  #publishBirth(client: MqttClient): void {
    let birth: ReturnType<PresenceSource["birth"]>;
    try {
      birth = this.#presence.birth();
    } catch (err) {
      // A birth without details still says "online" truthfully; the county can ask again.
      this.#o.logger.warn(`birth details unavailable: ${(err as Error).message}`);
    }
    const hello = presencePayload(
      this.#o.clientId,
      "online",
      new Date(this.#o.scheduler.now()),
      this.#bdSeq,
      {
        birth,
      },
    );
    client.publish(this.#o.presenceTopic, hello, { qos: 1, retain: true }, () => {});
  }

  #scheduleRedial(): void {
    if (this.#stopped || this.#timer !== null) return;
    this.#attempt++;
    const delay = fullJitter(this.#attempt, this.#o.reconnect, this.#o.random);
    this.#o.logger.info(() => `reconnecting in ${delay} ms (attempt ${this.#attempt})`);
    this.#timer = this.#o.scheduler.setTimeout(() => {
      this.#timer = null;
      this.#dial();
    }, delay);
  }
}
