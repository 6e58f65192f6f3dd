/** County side of data packs: cuts a pack into chunks for …/{station}/pack/{name} (fleet-contract.ts). */
import { createHash } from "node:crypto";
import { FLEET_VERSION, type PackChunk } from "../../station/mqtt/fleet-contract.js";
import { PACK_CHUNK_BYTES } from "../../station/mqtt/limits.js";

export function packChunks(
  pack: string,
  version: number,
  bytes: Buffer,
  chunkBytes = PACK_CHUNK_BYTES,
): string[] {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const count = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  return Array.from({ length: count }, (_, index) => {
    const c: PackChunk = {
      v: FLEET_VERSION,
      type: "pack-chunk",
      pack,
      version,
      sha256,
      size: bytes.length,
      index,
      count,
      data: bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString("base64"),
    };
    return JSON.stringify(c);
  });
}
