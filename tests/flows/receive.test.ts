import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Decision, decide, MAX_PAYLOAD_BYTES } from "../../flows/archive/receive.js";
import { loadValidators } from "../../flows/archive/schemas.js";
import { bytes, COUNTY, idNumber, makeMessage, recordId, recordTopic, STATION, TODAY } from "./fixtures.js";

const ctx = { validators: loadValidators(), today: TODAY };
const run = (payload: unknown, topic = recordTopic()) => decide(topic, payload, ctx);

/** A record for a baby born on `date` (YYYY-MM-DD): number and birth date agree. */
function bornOn(date: string) {
  const msg = makeMessage({ idNumber: idNumber(date.replaceAll("-", ""), "371") });
  msg.record.person.birthDate = date;
  return msg;
}
function expectReject(d: Decision, code: string): Extract<Decision, { kind: "reject" }> {
  expect(d).toMatchObject({ kind: "reject", code, county: COUNTY, station: STATION });
  const r = d as Extract<Decision, { kind: "reject" }>;
  expect(r.reason.length).toBeLessThanOrEqual(500);
  expect(r.reason).toMatch(/[\u4e00-\u9fff]/); // Chinese for the village doctor
  return r;
}

describe("decide: store", () => {
  it("stores a valid record and returns the parsed message", () => {
    const msg = makeMessage();
    const d = run(bytes(msg));
    expect(d).toEqual({ kind: "store", county: COUNTY, station: STATION, message: msg });
  });

  it("accepts a string payload and an already-parsed object", () => {
    const msg = makeMessage();
    expect(run(JSON.stringify(msg)).kind).toBe("store");
    expect(run(msg).kind).toBe("store");
  });

  it("fills contract defaults the station may omit (clockSuspect)", () => {
    const msg = makeMessage() as { record: Record<string, unknown> };
    delete msg.record.clockSuspect;
    const d = run(bytes(msg));
    expect(d.kind === "store" && d.message.record.clockSuspect).toBe(false);
  });
});

describe("decide: reject with a code the station can show", () => {
  it("rejects a schema violation and names the path", () => {
    const msg = makeMessage();
    msg.record.person.name = "";
    const r = expectReject(run(bytes(msg)), "schema");
    expect(r.id).toBe(msg.record.id);
    expect(r.reason).toContain("record.person.name");
  });

  it("rejects wrong types without throwing", () => {
    const msg = { ...makeMessage(), record: { ...makeMessage().record, seq: "7" } };
    expect(expectReject(run(bytes(msg)), "schema").reason).toContain("record.seq");
  });

  it.each([
    ["payload county", { county: "other-county" }],
    ["payload stationId", { stationId: "st-999" }],
  ])("rejects when the %s differs from the topic", (_name, patch) => {
    const msg = { ...makeMessage(), ...patch };
    expectReject(run(bytes(msg)), "topic-mismatch");
  });

  it("rejects when record.stationId differs from the topic", () => {
    const msg = makeMessage();
    msg.record.stationId = "st-999";
    expect(expectReject(run(bytes(msg)), "topic-mismatch").reason).toContain("st-999");
  });

  it("acks the station that sent it: county/station come from the topic", () => {
    const msg = makeMessage({ station: "st-002" });
    const d = run(bytes(msg), recordTopic("st-001"));
    expect(d).toMatchObject({ kind: "reject", station: "st-001", id: msg.record.id });
  });

  it("rejects an ID number with a wrong GB 11643 check character", () => {
    const good = idNumber();
    const last = good.at(-1) === "1" ? "2" : "1";
    const msg = makeMessage({ idNumber: good.slice(0, 17) + last });
    expect(expectReject(run(bytes(msg)), "id-number").reason).toContain("GB 11643");
  });

  it("rejects a birth date after the archive's today, and says so", () => {
    const msg = makeMessage({ idNumber: idNumber("20270101", "371") });
    expect(expectReject(run(bytes(msg)), "id-number").reason).toBe(
      "身份证号码无效 / Resident ID number is not valid: 出生日期晚于今天 / the birth date is after today",
    );
  });

  it("stores a baby born on the archive's today and refuses one born the day after", () => {
    expect(run(bytes(bornOn(TODAY))).kind).toBe("store");
    const tomorrow = bornOn("2026-11-23");
    expect(expectReject(run(bytes(tomorrow)), "id-number").reason).toContain("出生日期晚于今天");
  });

  it("names an impossible calendar date as such, not as a future one", () => {
    const msg = makeMessage({ idNumber: idNumber("19500230", "371") });
    expect(expectReject(run(bytes(msg)), "id-number").reason).toContain("出生日期不存在");
  });

  it("rejects a record whose birth date disagrees with its ID number (domain rule)", () => {
    const msg = makeMessage();
    msg.record.person.birthDate = "1950-01-01";
    expect(expectReject(run(bytes(msg)), "record-invalid").reason).toContain("birthDate");
  });

  it("rejects truncated JSON when the record id is readable", () => {
    const text = JSON.stringify(makeMessage()).slice(0, 400);
    expect(expectReject(run(Buffer.from(text)), "invalid-json").id).toBe(recordId(1));
  });

  it("rejects a payload over 256 KB that names a record id, without parsing it", () => {
    const msg = makeMessage();
    const big = Buffer.from(JSON.stringify({ ...msg, pad: "x".repeat(MAX_PAYLOAD_BYTES) }));
    const r = expectReject(run(big), "too-large");
    expect(r.id).toBe(msg.record.id);
  });
});

describe("decide: drop what cannot be attributed", () => {
  it.each([
    ["garbage bytes", Buffer.from([0xff, 0x00, 0x13, 0x37])],
    ["JSON without a record", bytes({ hello: 1 })],
    ["a number", bytes(42)],
    ["null", bytes(null)],
    ["an empty payload", Buffer.alloc(0)],
    ["an unattributable huge payload", Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20)],
  ])("drops %s with code no-record-id", (_name, payload) => {
    expect(run(payload)).toMatchObject({ kind: "drop", code: "no-record-id" });
  });

  it.each([
    ["an ack topic", `hs/v1/${COUNTY}/${STATION}/ack`],
    ["another tree", "zigbee2mqtt/bridge/state"],
    ["a non-string topic", 42],
  ])("drops a message on %s with code bad-topic", (_name, topic) => {
    expect(decide(topic, bytes(makeMessage()), ctx)).toMatchObject({ kind: "drop", code: "bad-topic" });
  });

  it("never throws on arbitrary bytes, strings or values (property)", () => {
    const payloads = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
      fc.string(),
      fc.json(),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.oneof(fc.constant(recordTopic()), fc.string()), payloads, (topic, payload) => {
        const d = decide(topic, payload, ctx);
        expect(["store", "reject", "drop"]).toContain(d.kind);
        // The catch-all is for bugs; no input may reach it.
        if (d.kind === "drop") expect(d.code).not.toBe("internal");
      }),
      { numRuns: 500 },
    );
  });

  it("never throws when a valid message is mutated at random (property)", () => {
    const base = JSON.stringify(makeMessage());
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.string({ minLength: 0, maxLength: 8 }), (at, insert) => {
        const d = run(Buffer.from(base.slice(0, at) + insert + base.slice(at + 1)));
        // Whatever it is, a reject always names an id and a drop never does.
        if (d.kind === "reject") expect(d.id.length).toBeGreaterThan(0);
        if (d.kind === "drop") expect(d.code).not.toBe("internal");
        expect(["store", "reject", "drop"]).toContain(d.kind);
      }),
      { numRuns: 500 },
    );
  });
});
