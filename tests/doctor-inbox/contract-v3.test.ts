// Record contract v3 at the archive's door: a correction is stored with its link; a v3 message
// without one, or a v3 record in a v2 message, is refused; v4 is unknown.
import { describe, expect, it } from "vitest";
import { decide } from "../../flows/archive/receive.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import { makeMessage, recordId, recordTopic, TODAY } from "../flows/fixtures.js";

const ctx = { validators: loadValidators(), today: TODAY };
const send = (m: unknown) => decide(recordTopic(), Buffer.from(JSON.stringify(m)), ctx);

function v3() {
  const base = makeMessage({ n: 2 });
  return {
    ...base,
    v: 3,
    record: {
      ...base.record,
      schemaVersion: 3,
      assisted: null,
      followUp: null,
      operator: { kind: "doctor", doctorId: "dr-wang" },
      correction: {
        supersedes: recordId(1),
        doctorId: "dr-wang",
        reason: "typing-error",
        rejectCode: "id-number",
        changed: ["idNumber"],
      },
    },
  };
}

describe("record contract v3", () => {
  it("the archive stores a correction and keeps the record it names", () => {
    const d = send(v3());
    expect(d.kind).toBe("store");
    if (d.kind !== "store" || d.message.v !== 3) throw new Error("v3 not stored");
    expect(d.message.record.correction.supersedes).toBe(recordId(1));
  });

  it("refuses a v3 without its correction, a v3 record in a v2 message, and v4", () => {
    const m = v3();
    const { correction: _, ...bare } = m.record;
    for (const bad of [
      { ...m, record: bare },
      { ...m, v: 2 },
      { ...m, v: 4 },
    ]) {
      expect(send(bad)).toMatchObject({ kind: "reject", code: "schema" });
    }
  });
});
