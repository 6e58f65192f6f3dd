/**
 * Writes the published JSON Schema files for the MQTT payloads from the zod contract, so the
 * files an external archive reads and the code's own validation come from one source:
 *   npx tsx scripts/gen-schemas.ts          (write)
 *   npx tsx scripts/gen-schemas.ts --check  (exit 1 if a committed file is stale)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { AuditMessage } from "../station/doctor/audit-message.js";
import { OutcomeMessage } from "../station/doctor-lists/outcome-message.js";
import { AckMessage, RecordMessageV1, RecordMessageV2, RecordMessageV3 } from "../station/mqtt/contract.js";
import { Answer, Command, ConfigDesired, PackChunk } from "../station/mqtt/fleet-contract.js";
import { AlarmsMessage, HealthMessage } from "../station/mqtt/fleet-reports.js";
import { PresenceMessage, PresenceMessageV1 } from "../station/mqtt/presence.js";

const dir = join(import.meta.dirname, "../docs/schemas");
const schemas = {
  "record-message.v1.json": { schema: RecordMessageV1, title: "Check-up record, station → county archive" },
  "record-message.v2.json": {
    schema: RecordMessageV2,
    title:
      "Check-up record v2 (adds the doctor's assisted check-up and follow-up form), station → county archive",
  },
  "record-message.v3.json": {
    schema: RecordMessageV3,
    title: "Check-up record v3 (a doctor's correction of a rejected record), station → county archive",
  },
  "ack-message.v1.json": { schema: AckMessage, title: "Archive acknowledgement, county archive → station" },
  "audit-message.v1.json": {
    schema: AuditMessage,
    title: "The village doctor's audit log (ids only), station → county",
  },
  "outcome-message.v1.json": {
    schema: OutcomeMessage,
    title: "The village doctor's list outcomes (ids only), station → county",
  },
  "presence-message.v1.json": {
    schema: PresenceMessageV1,
    title: "Station presence (retained; also the Last Will)",
  },
  "presence-message.v2.json": {
    schema: PresenceMessage,
    title: "Station birth and death with bdSeq (retained; the death is also the Last Will)",
  },
  "health-message.v1.json": { schema: HealthMessage, title: "Station health metrics, station → county" },
  "alarms-message.v1.json": {
    schema: AlarmsMessage,
    title: "Station alarm set (retained), station → county",
  },
  "answer.v1.json": {
    schema: Answer,
    title: "Answer to a command, config version or data pack, station → county",
  },
  "command.v1.json": { schema: Command, title: "Command with request id and expiry, county admin → station" },
  "config-desired.v1.json": {
    schema: ConfigDesired,
    title: "Desired configuration (retained), county admin → station",
  },
  "pack-chunk.v1.json": { schema: PackChunk, title: "One chunk of a data pack, county admin → station" },
};

let stale = 0;
for (const [file, { schema, title }] of Object.entries(schemas)) {
  const json = {
    $id: `https://health-station.invalid/schemas/${file}`,
    title,
    ...z.toJSONSchema(schema, { io: "input" }),
  };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const path = join(dir, file);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {}
    if (current !== text) {
      console.error(`stale: docs/schemas/${file} (run npx tsx scripts/gen-schemas.ts)`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote docs/schemas/${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
