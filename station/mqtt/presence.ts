/**
 * Station presence, part of the MQTT contract (docs/mqtt-api.md, docs/fleet.md). Retained, QoS 1:
 *   hs/v1/{county}/{station}/status   station → county   birth ("online") or death ("offline")
 * Sparkplug's rules in JSON (fleet-notes.md): every CONNECT takes the next birth/death sequence
 * number (bdSeq, persisted by the station so it survives restarts, never wrapping); the Will
 * registered on that connection and the birth sent after it carry the same bdSeq, so the county
 * can ignore a death or birth older than the last one it saw. A clean stop publishes the death
 * itself, because a clean DISCONNECT discards the Will (MQTT 3.1.1 §3.1.2.5). The birth carries
 * what the county needs to know about the station. Only 3.1.1 features, so every broker carries it.
 */
import { z } from "zod";
import { TOPIC_ROOT } from "./contract.js";

export const presenceTopic = (county: string, station: string): string =>
  `${TOPIC_ROOT}/${county}/${station}/status`;

export const PRESENCE_VERSION = 2;

/** What a station says about itself in its birth. */
export const Birth = z.object({
  software: z.string(),
  /** The county configuration version in force; null while only the local file applies. */
  configVersion: z.number().int().nonnegative().nullable(),
  /** Data-pack name → version in force (null: the built-in or local file). */
  packs: z.record(z.string(), z.string().nullable()),
  /** Device name → its state ("ready", "disconnected", …; open set). */
  devices: z.record(z.string(), z.string()),
  backlog: z.object({
    count: z.number().int().nonnegative(),
    /** When the oldest unsent record was made; null when the outbox is empty. */
    oldestAt: z.string().datetime({ offset: true }).nullable(),
  }),
  diskFreeBytes: z.number().int().nonnegative().nullable(),
  clock: z.object({ suspect: z.boolean(), now: z.string().datetime({ offset: true }) }),
  uptimeSeconds: z.number().int().nonnegative(),
});
export type Birth = z.infer<typeof Birth>;

export const PresenceMessage = z.object({
  v: z.literal(PRESENCE_VERSION),
  type: z.literal("presence"),
  stationId: z.string(),
  state: z.enum(["online", "offline"]),
  /** Why offline: "clean" (the station said goodbye) or "lost" (the broker's Last Will). */
  reason: z.enum(["clean", "lost"]).optional(),
  /** Birth/death sequence: one per connection, the same in its birth and its Will. */
  bdSeq: z.number().int().nonnegative(),
  /** When this state was declared; for the Last Will, when the connection it guards was made. */
  at: z.string().datetime({ offset: true }),
  /** Present on "online" (a birth). */
  birth: Birth.optional(),
});
export type PresenceMessage = z.infer<typeof PresenceMessage>;

/** The v1 message (before bdSeq), kept for its published schema file. */
export const PresenceMessageV1 = z.object({
  v: z.literal(1),
  type: z.literal("presence"),
  stationId: z.string(),
  state: z.enum(["online", "offline"]),
  reason: z.enum(["clean", "lost"]).optional(),
  at: z.string().datetime({ offset: true }),
});

/** Where the link gets its bdSeq and birth. nextBdSeq() must be durable before it returns. */
export interface PresenceSource {
  nextBdSeq(): number;
  birth(): Birth | undefined;
}

/** Counts in memory only: for tests and tools that need no restart-proof sequence. */
export function memoryPresence(start = 0): PresenceSource {
  let n = start - 1;
  return { nextBdSeq: () => ++n, birth: () => undefined };
}

export function presencePayload(
  stationId: string,
  state: "online" | "offline",
  at: Date,
  bdSeq: number,
  extra: { reason?: "clean" | "lost"; birth?: Birth | undefined } = {},
): string {
  const msg: PresenceMessage = {
    v: PRESENCE_VERSION,
    type: "presence",
    stationId,
    state,
    ...(extra.reason ? { reason: extra.reason } : {}),
    bdSeq,
    at: at.toISOString(),
    ...(extra.birth ? { birth: extra.birth } : {}),
  };
  return JSON.stringify(msg);
}
