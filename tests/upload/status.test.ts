import { describe, expect, it } from "vitest";
import { formatRejectReason, parseRejectReason } from "../../station/upload/status.js";

describe("reject reason text (sync.rejectReason)", () => {
  it.each([
    ["schema", "record.person.name: too short"],
    ["id-number", "校验码错误 / check digit wrong"],
    [null, "plain reason"],
    [null, "Reason: with a capitalised word and colon"],
    ["too-large", ""],
  ])("round-trips code %s", (code, reason) => {
    expect(parseRejectReason(formatRejectReason(code, reason))).toEqual({ code, reason });
  });

  it("reads a reason without a code as a reason, not as a code", () => {
    expect(parseRejectReason("ID 4201: unknown")).toEqual({ code: null, reason: "ID 4201: unknown" });
    expect(parseRejectReason("")).toEqual({ code: null, reason: "" });
  });
});
