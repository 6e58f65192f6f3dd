/**
 * Station presence, part of the MQTT contract (docs/mqtt-api.md). Retained, QoS 1:
 *   hs/v1/{county}/{station}/status   station → archive   {state: online|offline}
 * "online" is published after every connect; the Last Will is "offline"/"lost" (the broker sends it
 * when the link dies); a clean stop publishes "offline"/"clean" itself, because a clean DISCONNECT
 * discards the Will (MQTT 3.1.1 §3.1.2.5). Only 3.1.1 features, so every broker carries it.
 */
import { z } from "zod";
import { MESSAGE_VERSION, TOPIC_ROOT } from "./contract.js";

export const presenceTopic = (county: string, station: string): string =>
  `${TOPIC_ROOT}/${county}/${station}/status`;

export const PresenceMessage = z.object({
  v: z.literal(MESSAGE_VERSION),
  type: z.literal("presence"),
  stationId: z.string(),
  state: z.enum(["online", "offline"]),
  /** Why offline: "clean" (the station said goodbye) or "lost" (the broker's Last Will). */
  reason: z.enum(["clean", "lost"]).optional(),
  /** When this state was declared; for the Last Will, when the connection it guards was made. */
  at: z.string().datetime({ offset: true }),
});
export type PresenceMessage = z.infer<typeof PresenceMessage>;

export function presencePayload(
  stationId: string,
  state: "online" | "offline",
  at: Date,
  reason?: "clean" | "lost",
): string {
  const msg: PresenceMessage = {
    v: MESSAGE_VERSION,
    type: "presence",
    stationId,
    state,
    ...(reason ? { reason } : {}),
    at: at.toISOString(),
  };
  return JSON.stringify(msg);
}
