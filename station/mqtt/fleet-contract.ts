/**
 * The fleet contract between stations and the county fleet manager (docs/fleet.md,
 * docs/mqtt-api.md). Topics, all QoS 1 and keyed by county and station like the archive's:
 *   …/{station}/status   station → county   birth/death, retained (presence.ts)
 *   …/{station}/health   station → county   health metrics with seq
 *   …/{station}/alarms   station → county   alarm raised/cleared, and the active set, retained
 *   …/{station}/answer   station → county   answers to commands, config and pack reports
 *   …/{station}/config   county → station   desired configuration, retained
 *   …/{station}/pack/{name} county → station   data-pack chunks
 *   …/{station}/cmd      county → station   commands with id and time-to-live
 * Only the county's admin identity may write config, packs and commands (flows/broker/acl).
 */
import { z } from "zod";
import { TOPIC_ROOT } from "./contract.js";

export const FLEET_VERSION = 1;
/** The county's admin identity (MQTT username); reserved, never a station id. */
export const COUNTY_ADMIN = "county-admin";

const t = (county: string, station: string, kind: string) => `${TOPIC_ROOT}/${county}/${station}/${kind}`;
export const fleetTopics = {
  health: (c: string, s: string) => t(c, s, "health"),
  alarms: (c: string, s: string) => t(c, s, "alarms"),
  answer: (c: string, s: string) => t(c, s, "answer"),
  config: (c: string, s: string) => t(c, s, "config"),
  pack: (c: string, s: string, name: string) => t(c, s, `pack/${name}`),
  cmd: (c: string, s: string) => t(c, s, "cmd"),
};

/** Splits any hs/v1/{county}/{station}/{kind}[/{sub}] topic; null when it is not one. */
export function parseFleetTopic(
  topic: string,
): { county: string; station: string; kind: string; sub?: string } | null {
  const p = topic.split("/");
  if ((p.length !== 5 && p.length !== 6) || `${p[0]}/${p[1]}` !== TOPIC_ROOT) return null;
  return { county: p[2]!, station: p[3]!, kind: p[4]!, ...(p[5] === undefined ? {} : { sub: p[5] }) };
}

export const COMMAND_NAMES = ["rebirth", "retry-uploads", "logs", "restart", "ack-alarm"] as const;

export const Command = z.object({
  v: z.literal(FLEET_VERSION),
  type: z.literal("command"),
  /** Request id, echoed in the answer; a repeated id is answered again, never run twice. */
  id: z.string().min(1).max(64),
  /** Open set: an unknown name is answered "refused", never ignored. */
  name: z.string().min(1).max(40),
  /** Not run after this time (the county's clock; the station refuses it when its own clock is past it). */
  expiresAt: z.string().datetime({ offset: true }),
  args: z.record(z.string(), z.unknown()).default({}),
});
export type Command = z.infer<typeof Command>;

export const Answer = z.object({
  v: z.literal(FLEET_VERSION),
  type: z.literal("answer"),
  /** What it answers: a command id, or "config:{version}" / "pack:{name}:{version}". */
  id: z.string(),
  /** "message": something refused before it could be read (oversized), so its kind is unknown. */
  about: z.enum(["command", "config", "pack", "message"]),
  status: z.enum([
    "done",
    "refused",
    "expired",
    "failed",
    "applied",
    "rejected",
    "pending-restart",
    "progress",
  ]),
  reason: z.string().optional(),
  /** Every problem found, for a config or pack rejected by validation. */
  errors: z.array(z.string()).optional(),
  result: z.unknown().optional(),
  at: z.string().datetime({ offset: true }),
});
export type Answer = z.infer<typeof Answer>;

export function answerPayload(a: Omit<Answer, "v" | "type" | "at">, at: Date): string {
  const msg: Answer = { v: FLEET_VERSION, type: "answer", ...a, at: at.toISOString() };
  return JSON.stringify(msg);
}

/** Desired configuration for one station, retained on its config topic (a device shadow's "desired"). */
export const ConfigDesired = z.object({
  v: z.literal(FLEET_VERSION),
  type: z.literal("config-desired"),
  /** Set by the county, rising: the station refuses a version below the one it applied. */
  version: z.number().int().positive(),
  /** A partial station config (station/config/schema.ts); only county-settable keys. */
  settings: z.record(z.string(), z.unknown()),
  issuedAt: z.string().datetime({ offset: true }),
  issuedBy: z.string().optional(),
});
export type ConfigDesired = z.infer<typeof ConfigDesired>;

/** The data packs a station takes (open set on the wire: an unknown name is refused with a reason). */
export const PACK_NAMES = ["roster", "policy", "doctors", "summaries"] as const;
/** Whole-pack bounds, so a chunk count or size cannot make a station reserve absurd memory. */
export const PACK_MAX_CHUNKS = 1000;
export const PACK_MAX_BYTES = 64 * 1024 * 1024;

/** One chunk of a data pack on …/{station}/pack/{name}; not retained (the county resends on a stale birth). */
export const PackChunk = z.object({
  v: z.literal(FLEET_VERSION),
  type: z.literal("pack-chunk"),
  pack: z.string().min(1).max(40),
  /** Rising per pack; a version below the one in force is refused. */
  version: z.number().int().positive(),
  /** SHA-256 (hex) of the whole pack's bytes, checked before anything is swapped. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive().max(PACK_MAX_BYTES),
  index: z.number().int().nonnegative(),
  count: z.number().int().positive().max(PACK_MAX_CHUNKS),
  /** This chunk's bytes, base64. */
  data: z.string(),
});
export type PackChunk = z.infer<typeof PackChunk>;
