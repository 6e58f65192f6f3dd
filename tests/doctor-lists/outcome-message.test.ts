/** The wire form of a list outcome: what the county gets for each kind of entry key. */
import { describe, expect, it } from "vitest";
import { OutcomeEvent, toOutcomeEvent } from "../../station/doctor-lists/outcome-message.js";
import type { Outcome } from "../../station/doctor-lists/outcomes.js";

const HMAC = "a".repeat(64);
const REC = "0190a000-0000-7000-8000-000000000001";
const base: Outcome = {
  id: "0190a000-0000-7000-8000-0000000000ff",
  entryKey: `${HMAC}|hypertension|2026-04-10`,
  person: HMAC,
  personKey: "abcdefghij_klmnopq-rst",
  kind: "agreed",
  note: "电话 13800000000",
  doctorId: "dr-wang",
  at: "2026-04-01T02:00:00.000Z",
  day: "2026-04-01",
  hideUntil: "2026-04-08",
  sync: { status: "pending" },
};

describe("toOutcomeEvent", () => {
  it("sends a due-list outcome by programme and due date, never the note or the station's HMAC", () => {
    const e = OutcomeEvent.parse(toOutcomeEvent(base));
    expect(e).toEqual({
      v: 1,
      id: base.id,
      kind: "agreed",
      programme: "hypertension",
      nextDue: "2026-04-10",
      personKey: base.personKey,
      doctorId: "dr-wang",
      at: base.at,
      day: base.day,
      hideUntil: "2026-04-08",
    });
    expect(JSON.stringify(e)).not.toContain(HMAC);
    expect(JSON.stringify(e)).not.toContain("13800000000");
  });

  it("sends a referral outcome by the record that raised it", () => {
    const o = { ...base, entryKey: `referral|${REC}`, kind: "removed", reason: "moved" } as Outcome;
    delete o.hideUntil;
    expect(OutcomeEvent.parse(toOutcomeEvent(o))).toMatchObject({
      programme: "referral",
      recordId: REC,
      kind: "removed",
      reason: "moved",
    });
  });

  it("still sends a valid event for an entry key it does not know, or an outcome saved before personKey", () => {
    const odd = { ...base, entryKey: `help|${REC}` } as Outcome;
    delete odd.personKey;
    const e = OutcomeEvent.parse(toOutcomeEvent(odd));
    expect(e.programme).toBe("help");
    expect(e.recordId).toBeUndefined();
    expect(e.personKey).toBeUndefined();
    const torn = OutcomeEvent.parse(toOutcomeEvent({ ...base, entryKey: `${HMAC}|diabetes|not-a-date` }));
    expect(torn).toMatchObject({ programme: "diabetes" });
    expect(torn.nextDue).toBeUndefined();
  });
});
