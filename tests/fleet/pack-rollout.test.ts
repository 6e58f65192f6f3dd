/** A pack rollout's per-station state from the monitor's answers and the stations' births. */
import { describe, expect, it } from "vitest";
import { packRollout } from "../../flows/fleet/pack-rollout.js";
import type { Answer } from "../../station/mqtt/fleet-contract.js";

const at = "2026-11-30T12:00:00.000Z";
const answer = (status: Answer["status"], extra: Partial<Answer> = {}): Answer => ({
  v: 1,
  type: "answer",
  id: "pack:doctors:3",
  about: "pack",
  status,
  at,
  ...extra,
});

describe("packRollout", () => {
  it("counts applied, rejected, failed, receiving and pending stations", () => {
    const answers = new Map<string, Answer>([
      ["a", answer("applied")],
      ["b", answer("rejected", { reason: "doctors.0.pinHash: a PIN in clear, not a hash" })],
      ["c", answer("progress", { result: { received: 2, count: 8 } })],
      ["d", answer("failed", { reason: "not saved: ENOSPC" })],
    ]);
    const births: Record<string, string | null> = { e: "3", f: "2" };
    const r = packRollout({
      version: 3,
      stations: ["a", "b", "c", "d", "e", "f"],
      answers,
      inForce: (s) => births[s],
    });
    expect(r.rows).toEqual([
      { station: "a", state: "applied" },
      { station: "b", state: "rejected", reason: "doctors.0.pinHash: a PIN in clear, not a hash" },
      { station: "c", state: "receiving", received: 2, count: 8 },
      { station: "d", state: "failed", reason: "not saved: ENOSPC" },
      // No answer heard, but its birth lists the version: applied.
      { station: "e", state: "applied" },
      { station: "f", state: "pending" },
    ]);
    expect(r.counts).toEqual({ applied: 2, rejected: 1, failed: 1, receiving: 1, pending: 1 });
  });

  it("a station that rejected an earlier send and has the version in force since is applied", () => {
    const r = packRollout({
      version: 3,
      stations: ["a"],
      answers: new Map([["a", answer("rejected", { reason: "content hash … does not match" })]]),
      inForce: () => "3",
    });
    expect(r.counts.applied).toBe(1);
    expect(packRollout({ version: 3, stations: ["a"], answers: undefined }).rows).toEqual([
      { station: "a", state: "pending" },
    ]);
  });
});
