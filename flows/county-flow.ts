/**
 * Fills the county flow template (flows/county-archive.json) from the config (pure). The MQTT
 * username and password go to Node-RED's credential store (encrypted with credentialSecret),
 * never into the flow file.
 */
import { ARCHIVE_SHARE_GROUP, topics } from "../station/mqtt/contract.js";
import type { CountyConfig } from "./county-config.js";

export type FlowNode = { id: string; type: string; z?: string; [k: string]: unknown };

export const NODE_IDS = {
  broker: "hs-broker",
  tls: "hs-tls",
  mqttIn: "hs-mqtt-in",
  /** The doctors' audit logs and list outcomes, into the same receiver (docs/mqtt-api.md). */
  auditIn: "hs-mqtt-in-audit",
  outcomeIn: "hs-mqtt-in-outcome",
  receiver: "hs-receiver",
};

export interface GeneratedFlow {
  flows: FlowNode[];
  credentials: Record<string, { user?: string; password?: string }>;
}

export function buildCountyFlow(template: FlowNode[], c: CountyConfig): GeneratedFlow {
  const tls = !!c.broker.caFile || /^(mqtts|wss):/.test(c.broker.url);
  const flows = structuredClone(template)
    .filter((n) => tls || n.id !== NODE_IDS.tls)
    .map((n): FlowNode => {
      switch (n.id) {
        case NODE_IDS.broker:
          return {
            ...n,
            broker: c.broker.url,
            clientid: c.broker.clientId ?? "",
            usetls: tls,
            tls: tls ? NODE_IDS.tls : "",
          };
        case NODE_IDS.tls:
          return { ...n, ca: c.broker.caFile ?? "", verifyservercert: true };
        case NODE_IDS.mqttIn:
          return {
            ...n,
            topic: c.broker.sharedSubscription
              ? topics.archiveRecords(c.county)
              : `hs/v1/${c.county}/+/record`,
            name: c.broker.sharedSubscription ? "records (shared)" : "records",
          };
        case NODE_IDS.auditIn:
        case NODE_IDS.outcomeIn: {
          const kind = n.id === NODE_IDS.auditIn ? "audit" : "outcome";
          const topic = `hs/v1/${c.county}/+/${kind}`;
          return {
            ...n,
            topic: c.broker.sharedSubscription ? `$share/${ARCHIVE_SHARE_GROUP}/${topic}` : topic,
          };
        }
        case NODE_IDS.receiver:
          return { ...n, batchMs: c.batchMs, maxBatch: c.maxBatch };
        default:
          return n;
      }
    });
  const cred: { user?: string; password?: string } = {};
  if (c.broker.username) cred.user = c.broker.username;
  if (c.broker.password) cred.password = c.broker.password;
  return { flows, credentials: { [NODE_IDS.broker]: cred } };
}

/** Replaces the template's nodes in an existing flow file, keeping every other node and tab. */
export function mergeFlows(existing: FlowNode[], generated: FlowNode[]): FlowNode[] {
  const ours = new Set([...generated.map((n) => n.id), NODE_IDS.tls]);
  return [...generated, ...existing.filter((n) => !ours.has(n.id))];
}
