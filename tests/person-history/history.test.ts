/**
 * The pure parts of the person history: the builder (a re-saved record counts once, readings
 * carry source, device, typed reason and operator, referrals pick up their inbox outcomes), the
 * doctor's pages (nothing lost when paged, rows per page by screen height), and the UI model
 * (the history is requested by entry key or record id, and cleared when the session ends).
 */
import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import type { Outcome } from "../../station/doctor-lists/outcomes.js";
import type { CheckupRecord, RosterEntry } from "../../station/domain/schema.js";
import { buildHealthCard } from "../../station/health-card/card.js";
import { buildPersonHistory } from "../../station/person-history/history.js";
import type { DoctorSessionView } from "../../station/protocol.js";
import { createDoctorModel } from "../../ui/src/doctor/doctor-model.js";
import { historyPages, perPage } from "../../ui/src/person-history/pages.js";
import { demoRecord } from "../doctor-lists/demo-records.js";
import { FakeClient } from "../ui/fakes.js";

const person: RosterEntry = {
  idNumber: "510199195307043655",
  name: "李光明",
  village: "演示一村",
  categories: ["hypertension"],
  doctor: null,
} as unknown as RosterEntry;
const day = (d: string, h = 9) => Date.parse(`${d}T0${h}:00:00+08:00`);
const local = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
const card = buildHealthCard(
  { person: { name: person.name, birthDate: "1953-07-04", sex: "male" }, roster: null, visits: [] },
  loadDefaultPolicy(),
  "2026-11-30",
);

function outcome(o: Partial<Outcome> & Pick<Outcome, "entryKey" | "kind" | "day">): Outcome {
  return {
    id: `o-${o.day}-${o.kind}`,
    person: "a".repeat(64),
    doctorId: "dr-wang",
    at: `${o.day}T01:00:00.000Z`,
    sync: { status: "pending" },
    ...o,
  };
}

describe("buildPersonHistory", () => {
  const urgent = demoRecord(person, { at: day("2026-10-01"), sbp: 186, dbp: 112, glucose: 6.1, seq: 5 });
  const resaved: CheckupRecord = {
    ...urgent,
    seq: 9,
    sync: { ...urgent.sync, status: "rejected", rejectReason: "x" },
  };
  const typed = {
    ...demoRecord(person, { at: day("2026-11-02"), sbp: 150, dbp: 95, seq: 7 }),
    schemaVersion: 2,
    operator: { kind: "doctor", doctorId: "dr-wang" },
    assisted: {
      doctorId: "dr-wang",
      idEntryReason: null,
      dangerSymptoms: [],
      manualReadings: [{ readingIndex: 0, reason: "device-fault" }],
    },
    followUp: null,
  } as unknown as CheckupRecord;
  typed.readings = typed.readings.map((r) => ({ ...r, source: "manual" }));
  const outcomes = [
    outcome({ entryKey: `referral|${urgent.id}`, kind: "unreachable", day: "2026-10-03" }),
    outcome({ entryKey: `${"a".repeat(64)}|hypertension|2026-11-15`, kind: "agreed", day: "2026-11-10" }),
    outcome({
      entryKey: `referral|${urgent.id}`,
      kind: "removed",
      reason: "visited-elsewhere",
      day: "2026-10-05",
    }),
  ];
  const h = buildPersonHistory(card, [urgent, typed, resaved], outcomes, local);

  it("keeps the highest seq of a re-saved record once, newest reading first, with source and operator", () => {
    expect(
      h.readings.map(
        (r) => `${r.localTime}|${r.kind}|${r.source}|${r.manualReason}|${r.operator}|${r.rejected}`,
      ),
    ).toEqual([
      "2026-11-02 09:00|bp|manual|device-fault|dr-wang|false",
      "2026-10-01 09:00|bp|device|null|self|true",
      "2026-10-01 09:00|glucose|device|null|self|true",
    ]);
  });

  it("gives each urgent referral its inbox outcomes in order, closed by a removal", () => {
    expect(h.referrals).toHaveLength(1);
    expect(h.referrals[0]!.date).toBe("2026-10-01");
    expect(h.referrals[0]!.outcomes.map((o) => o.kind)).toEqual(["unreachable", "removed"]);
    expect(h.referrals[0]!.closed).toBe(true);
    expect(h.outcomes.map((o) => `${o.day}|${o.programme}|${o.due}`)).toEqual([
      "2026-11-10|hypertension|2026-11-15",
      "2026-10-05|referral|null",
      "2026-10-03|referral|null",
    ]);
  });

  it("pages every reading and outcome, four rows at 800×480 and eight at 1280×800", () => {
    const many = Array.from({ length: 9 }, (_, i) =>
      demoRecord(person, { at: day(`2026-0${i + 1}-10`), sbp: 130 + i, dbp: 80, seq: 20 + i }),
    );
    const big = buildPersonHistory(card, many, outcomes, local);
    for (const [height, rows] of [
      [480, 4],
      [800, 8],
    ] as const) {
      for (const lang of ["zh", "en"] as const) {
        const pages = historyPages(big, lang, perPage(height));
        const readings = pages.flatMap((p) => (p.kind === "readings" ? [p.rows] : []));
        expect(readings.every((r) => r.length <= rows)).toBe(true);
        expect(readings.flat()).toEqual(big.readings);
        const lines = pages.flatMap((p) => (p.kind === "lines" && p.section === "outcomes" ? p.lines : []));
        expect(lines).toHaveLength(outcomes.length);
        // Summary, then the doctor's detail, then the card's family-doctor and entitlement pages.
        const kinds = pages.map((p) => (p.kind === "card" ? p.page.kind : p.kind));
        expect(kinds.slice(0, 2)).toEqual(["tags", "latest"]);
        expect(kinds.indexOf("readings")).toBeLessThan(kinds.indexOf("doctor"));
        expect(kinds.at(-1)).toBe("entitlements");
      }
    }
  });
});

describe("the doctor model's history", () => {
  const signedIn: DoctorSessionView = {
    signedIn: true,
    doctor: { id: "dr-wang", name: "王医生" },
    ended: null,
    assisted: null,
    card: null,
    idleSeconds: 180,
  };

  it("asks by entry key or record id, goes back where it came from, and is cleared when the session ends", async () => {
    const client = new FakeClient();
    const calls: Array<{ route: string; body: unknown }> = [];
    const doctor = createDoctorModel(
      client,
      async (route, body) => {
        calls.push({ route, body });
        return route === "person-history"
          ? { card, readings: [], followUps: [], outcomes: [], referrals: [] }
          : {};
      },
      () => 0,
    );
    client.emit({ topic: "doctor/session", payload: signedIn });
    await doctor.openHistory({ entryKey: "referral|r1", via: "inbox" }, "lists");
    expect(calls.at(-1)).toEqual({
      route: "person-history",
      body: { entryKey: "referral|r1", via: "inbox" },
    });
    expect(doctor.screen.value).toBe("history");
    expect(doctor.history.value?.data?.card.person.name).toBe("李*明");
    doctor.closeHistory();
    expect(doctor.screen.value).toBe("lists");
    expect(doctor.listsTab.value).toBe("inbox");
    expect(doctor.history.value).toBeNull();

    await doctor.openHistory({ recordId: "r2", via: "checkup" }, null);
    expect(doctor.history.value?.data).not.toBeNull();
    // Another doctor's sign-in replaces the session: the first doctor's history goes.
    client.emit({
      topic: "doctor/session",
      payload: { ...signedIn, doctor: { id: "dr-li", name: "李医生" } },
    });
    expect(doctor.history.value).toBeNull();
    client.emit({ topic: "doctor/session", payload: signedIn });
    await doctor.openHistory({ recordId: "r2", via: "checkup" }, null);
    expect(doctor.history.value?.data).not.toBeNull();
    client.emit({
      topic: "doctor/session",
      payload: { ...signedIn, signedIn: false, doctor: null, ended: "idle" },
    });
    expect(doctor.screen.value).toBeNull();
    expect(doctor.history.value).toBeNull();
  });
});
