/**
 * The person-history route on a whole station with the real doctor sign-in: a signed-in doctor
 * opens a history from the inbox, the due list and a check-up's record id, and sees every
 * reading (source, operator, time), the follow-up form, outcomes and the referral with its
 * follow-up; each view writes one `person-viewed` audit event holding ids only. Without a
 * session, from another origin, under a forged Host or as a form post it is refused, and a
 * refused request writes nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckupRecord, RosterEntry } from "../../station/domain/schema.js";
import type { PersonHistory } from "../../station/person-history/history.js";
import { HISTORY_PATH } from "../../station/person-history/routes.js";
import { projectRoot } from "../../station/util/project-root.js";
import { type Booted, bootStation, post, signIn } from "../doctor/harness.js";
import { demoRecord } from "../doctor-lists/demo-records.js";

let st: Booted;
let cookie: string;
let person: RosterEntry;
let urgent: CheckupRecord;
let followUp: CheckupRecord;

const roster = (): RosterEntry[] =>
  (
    JSON.parse(readFileSync(join(projectRoot(), "station/data/demo-roster.json"), "utf8")) as {
      people: RosterEntry[];
    }
  ).people;

async function getJson(path: string): Promise<unknown> {
  const r = await fetch(`${st.url}${path}`, { headers: { cookie, host: `127.0.0.1:${st.port}` } });
  expect(r.status).toBe(200);
  return r.json();
}

const auditTypes = async () => (await st.app.doctor!.auditLog.read()).map((e) => e.type);

beforeAll(async () => {
  st = await bootStation();
  person = roster().find((p) => p.categories.includes("hypertension"))!;
  const now = Date.now();
  urgent = demoRecord(person, { at: now - 3 * 86_400_000, sbp: 186, dbp: 112, glucose: 6.1, seq: 900 });
  const base = demoRecord(person, { at: now - 60_000, sbp: 150, dbp: 95, seq: 901 });
  followUp = {
    ...base,
    schemaVersion: 2,
    operator: { kind: "doctor", doctorId: "dr-wang" },
    readings: base.readings.map((r) => ({ ...r, source: "manual" })),
    assisted: {
      doctorId: "dr-wang",
      idEntryReason: null,
      dangerSymptoms: [],
      manualReadings: [{ readingIndex: 0, reason: "device-fault" }],
    },
    followUp: {
      programmes: ["hypertension"],
      checkupRecordId: null,
      visitDate: new Date(now).toISOString().slice(0, 10),
      mode: "clinic",
      symptoms: ["headache-dizziness"],
      adherence: "intermittent",
      adverseReaction: null,
      medicines: [{ name: "氨氯地平", dose: "5mg", timesPerDay: 1 }],
      visitClass: "uncontrolled",
      visitClassComputed: "uncontrolled",
      referral: null,
      nextVisit: new Date(now + 14 * 86_400_000).toISOString().slice(0, 10),
      doctorId: "dr-wang",
    },
  } as CheckupRecord;
  await st.app.store!.save(urgent);
  await st.app.store!.save(followUp);
  cookie = await signIn(st.port);
}, 60_000);
afterAll(async () => {
  await st?.stop();
});

describe("person history", () => {
  it("from the inbox: every reading, the follow-up form, the referral and its outcome; audited by ids", async () => {
    const inbox = (await getJson("/api/doctor/lists/inbox")) as Array<{ key: string; recordId: string }>;
    const entry = inbox.find((r) => r.recordId === urgent.id)!;
    expect(entry).toBeDefined();
    const out = await post(
      st.port,
      "/api/doctor/lists/outcome",
      { entryKey: entry.key, kind: "unreachable" },
      { cookie },
    );
    expect(out.status).toBe(200);

    const before = (await st.app.doctor!.auditLog.read()).length;
    const r = await post(st.port, HISTORY_PATH, { entryKey: entry.key, via: "inbox" }, { cookie });
    expect(r.status).toBe(200);
    const h = r.body as unknown as PersonHistory;
    expect(h.readings.map((x) => `${x.kind}:${x.source}:${x.operator}:${x.manualReason}`)).toEqual([
      "bp:manual:dr-wang:device-fault",
      "bp:device:self:null",
      "glucose:device:self:null",
    ]);
    expect(h.readings[1]).toMatchObject({ systolic: 186, diastolic: 112, recordId: urgent.id });
    expect(h.followUps).toHaveLength(1);
    expect(h.followUps[0]).toMatchObject({
      recordId: followUp.id,
      symptoms: ["headache-dizziness"],
      visitClass: "uncontrolled",
      medicines: [{ name: "氨氯地平", dose: "5mg", timesPerDay: 1 }],
    });
    expect(h.referrals).toHaveLength(1);
    expect(h.referrals[0]).toMatchObject({ recordId: urgent.id, closed: false });
    expect(h.referrals[0]!.outcomes.map((o) => o.kind)).toEqual(["unreachable"]);
    expect(h.outcomes).toEqual([expect.objectContaining({ programme: "referral", kind: "unreachable" })]);
    expect(h.card.visitCount).toBe(2);
    // The card shows a masked name and never the ID number; the answer holds no ID number at all.
    expect(JSON.stringify(h)).not.toContain(person.idNumber);

    const events = await st.app.doctor!.auditLog.read();
    expect(events.length).toBe(before + 1);
    const viewed = events.at(-1)!;
    expect(viewed).toMatchObject({ type: "person-viewed", doctorId: "dr-wang", detail: { via: "inbox" } });
    expect(viewed.personKey).toBe(st.app.doctor!.personKey(person.idNumber));
    const text = JSON.stringify(viewed);
    expect(text).not.toContain(person.idNumber);
    expect(text).not.toContain(person.name);
  });

  it("from a due-list entry and from a check-up's record id", async () => {
    const due = (await getJson(`/api/doctor/lists/due?pageSize=50&q=${encodeURIComponent(person.name)}`)) as {
      rows: Array<{ key: string }>;
    };
    expect(due.rows.length).toBeGreaterThan(0);
    const a = await post(st.port, HISTORY_PATH, { entryKey: due.rows[0]!.key, via: "list" }, { cookie });
    expect(a.status).toBe(200);
    const b = await post(st.port, HISTORY_PATH, { recordId: followUp.id, via: "checkup" }, { cookie });
    expect(b.status).toBe(200);
    expect((b.body as unknown as PersonHistory).followUps[0]!.recordId).toBe(followUp.id);
    const last = (await st.app.doctor!.auditLog.read()).slice(-2);
    expect(last.map((e) => `${e.type}:${String(e.detail?.via)}`)).toEqual([
      "person-viewed:list",
      "person-viewed:checkup",
    ]);
    expect(last[1]!.recordId).toBe(followUp.id);
  });

  it("an unknown person or a malformed request is refused and not audited", async () => {
    const n = (await auditTypes()).length;
    const unknown = await post(
      st.port,
      HISTORY_PATH,
      { recordId: "019ad0c4-0000-7000-8000-00000000ffff", via: "checkup" },
      { cookie },
    );
    expect(unknown.status).toBe(404);
    const idInstead = await post(st.port, HISTORY_PATH, { idNumber: person.idNumber }, { cookie });
    expect(idInstead.status).toBe(400);
    expect((await auditTypes()).length).toBe(n);
  });

  it("refuses no session, another origin, a forged Host, a form post and a signed-out session; writes nothing", async () => {
    const body = { recordId: urgent.id, via: "checkup" };
    const n = (await auditTypes()).length;
    const noSession = await post(st.port, HISTORY_PATH, body);
    expect(noSession.status).toBe(401);
    expect(noSession.body.code).toBe("doctor-session-required");
    const evil = await post(st.port, HISTORY_PATH, body, { cookie, origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    const forged = await post(st.port, HISTORY_PATH, body, { cookie, host: `attacker.example:${st.port}` });
    expect(forged.status).toBe(403);
    const form = await post(st.port, HISTORY_PATH, body, { cookie, type: "text/plain" });
    expect(form.status).toBe(415);
    expect(await auditTypes()).toHaveLength(n);

    const other = await signIn(st.port, "dr-li", "1357");
    // One doctor at a time: dr-li's sign-in ended dr-wang's session.
    expect((await post(st.port, HISTORY_PATH, body, { cookie })).status).toBe(401);
    expect((await post(st.port, "/api/doctor/sign-out", {}, { cookie: other })).status).toBe(200);
    expect((await post(st.port, HISTORY_PATH, body, { cookie: other })).status).toBe(401);
    expect((await auditTypes()).filter((t) => t === "person-viewed")).toHaveLength(3);
  });
});
