/**
 * Record contract v2 (docs/mqtt-api.md "Record versions"): v1 records on a station's disk stay
 * readable and are sent as v1 messages; the archive accepts v1 and v2 and refuses a version it
 * does not know.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decide } from "../../flows/archive/receive.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import { CheckupRecord } from "../../station/domain/schema.js";
import type { RecordMessage } from "../../station/mqtt/contract.js";
import { buildRecordMessage } from "../../station/mqtt/observations.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { silentLogger } from "../../station/util/logger.js";
import { makeMessage, recordTopic, TODAY } from "../flows/fixtures.js";

const ctx = { validators: loadValidators(), today: TODAY };

function v2Message(): RecordMessage {
  const v1 = makeMessage({ n: 7 });
  const record = {
    ...v1.record,
    schemaVersion: 2 as const,
    operator: { kind: "doctor" as const, doctorId: "dr-wang" },
    assisted: {
      doctorId: "dr-wang",
      idEntryReason: "card-forgotten",
      dangerSymptoms: ["blurred-vision"],
      manualReadings: [{ readingIndex: 0, reason: "device-fault" }],
    },
    followUp: {
      programmes: ["hypertension"],
      checkupRecordId: null,
      visitDate: TODAY,
      mode: "clinic",
      symptoms: ["none"],
      adherence: "regular",
      adverseReaction: null,
      medicines: [{ name: "氨氯地平", dose: "5mg", timesPerDay: 1 }],
      visitClass: "controlled",
      visitClassComputed: "controlled",
      referral: null,
      nextVisit: "2027-02-20",
      doctorId: "dr-wang",
    },
  };
  return { ...v1, v: 2, record } as RecordMessage;
}

describe("record contract versions", () => {
  it("the archive stores a v1 and a v2 message, and keeps the v2 doctor fields", () => {
    const d1 = decide(recordTopic(), Buffer.from(JSON.stringify(makeMessage({ n: 6 }))), ctx);
    expect(d1.kind).toBe("store");
    const d2 = decide(recordTopic(), Buffer.from(JSON.stringify(v2Message())), ctx);
    expect(d2.kind).toBe("store");
    if (d2.kind !== "store" || d2.message.v !== 2) throw new Error("v2 not stored");
    expect(d2.message.record.followUp?.visitClass).toBe("controlled");
    expect(d2.message.record.assisted?.dangerSymptoms).toEqual(["blurred-vision"]);
  });

  it("refuses a v1 message that carries v2 fields, a v2 record in a v1 message, and an unknown version", () => {
    const m = v2Message();
    for (const bad of [
      { ...m, v: 1 },
      { ...m, v: 4 },
      { ...makeMessage({ n: 8 }), v: 2 },
    ]) {
      const d = decide(recordTopic(), Buffer.from(JSON.stringify(bad)), ctx);
      expect(d).toMatchObject({ kind: "reject", code: "schema" });
    }
  });

  it("a v1 record saved by an older build reads back unchanged and is sent as a v1 message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "v1-records-"));
    const old = CheckupRecord.parse(makeMessage({ n: 9 }).record);
    let store = createFileStore({ dir, logger: silentLogger });
    await store.open();
    await store.save(old);
    await store.close();
    store = createFileStore({ dir, logger: silentLogger });
    await store.open();
    const back = await store.get(old.id);
    await store.close();
    expect(back).toEqual(old);
    expect(back?.schemaVersion).toBe(1);
    expect(back && "followUp" in back).toBe(false);
    const msg = buildRecordMessage(back!, { county: "demo-county", now: new Date() });
    expect(msg.v).toBe(1);
    const v2 = CheckupRecord.parse(v2Message().record);
    expect(buildRecordMessage(v2, { county: "demo-county", now: new Date() }).v).toBe(2);
  });
});
