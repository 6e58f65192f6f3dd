/** The audit message on hs/v1/{county}/{station}/audit (docs/mqtt-api.md, docs/schemas/audit-message.v1.json). */
import { z } from "zod";
import { AuditEvent } from "./audit.js";

export const AuditMessage = z.object({
  v: z.literal(1),
  type: z.literal("audit"),
  stationId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  sentAt: z.string().datetime({ offset: true }),
  /** In seq order; ids and codes only, never a name or an ID number. */
  events: z.array(AuditEvent).min(1).max(500),
});
export type AuditMessage = z.infer<typeof AuditMessage>;
