/**
 * Size limits on the MQTT path. The county broker refuses bigger packets (`max_packet_size` in
 * flows/broker/mosquitto.conf, kept equal by tests/mqtt/broker-limits.test.ts); the station
 * refuses them too, from the packet header, before MQTT.js buffers or anyone parses the body,
 * because a broker without the limit (or a misconfigured one) must not be able to exhaust the
 * station's memory.
 */

/** Largest MQTT packet (fixed header + topic + payload) either side accepts. */
export const MAX_PACKET_BYTES = 262_144;
/** Data packs are cut into chunks of at most this many payload bytes (well under the packet limit). */
export const PACK_CHUNK_BYTES = 131_072;

export interface OversizedPacket {
  /** MQTT control packet type (3 = PUBLISH). */
  type: number;
  /** The remaining length the header announced. */
  length: number;
}

/**
 * Follows MQTT packet boundaries in a received byte stream and reports the first packet whose
 * header announces more than `limit` bytes. Only headers are read; bodies are skipped by count.
 */
export class PacketSizeGuard {
  #skip = 0;
  #type = -1;
  #len = 0;
  #mult = 1;
  #lenBytes = 0;
  #tripped = false;

  constructor(
    private readonly limit: number,
    private readonly onOversize: (p: OversizedPacket) => void,
  ) {}

  get tripped(): boolean {
    return this.#tripped;
  }

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.#tripped) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      const b = chunk[i++] as number;
      if (this.#type < 0) {
        this.#type = b >> 4;
        this.#len = 0;
        this.#mult = 1;
        this.#lenBytes = 0;
        continue;
      }
      this.#len += (b & 0x7f) * this.#mult;
      this.#mult *= 128;
      this.#lenBytes++;
      if (b & 0x80 && this.#lenBytes < 4) continue;
      // Header complete (or a malformed fifth length byte: treat as oversized, MQTT allows four).
      if (this.#len > this.limit || b & 0x80) {
        this.#tripped = true;
        this.onOversize({ type: this.#type, length: this.#len });
        return;
      }
      this.#skip = this.#len;
      this.#type = -1;
    }
  }
}
