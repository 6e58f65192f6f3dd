/**
 * The assisted check-up day through the whole station: card taps and manual ID, verbal consent,
 * devices straight on from BP to glucose, manual readings with plausibility checks, danger
 * symptoms feeding the urgent referral, and the follow-up form as a v2 record.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CheckupRecord } from "../../station/domain/schema.js";
import { type Booted, bootStation, pagePost, post, signIn } from "./harness.js";

const HYPERTENSION = "510199195307043655"; // 李光明, roster: age65, hypertension
const DIABETES = "510199194412213797"; // 杨金花, roster: diabetes

let st: Booted;
let cookie: string;
const step = () => st.app.runtime!.model.step;
const until = (fn: () => void) => vi.waitFor(fn, { timeout: 5000, interval: 20 });
const sim = (path: string, body: unknown) => pagePost(st.url, `/api/sim/${path}`, body);
const doctor = (path: string, body: unknown = {}) => post(st.port, `/api/doctor/${path}`, body, { cookie });

async function savedRecord(): Promise<CheckupRecord> {
  await until(() => expect(step()).toBe("result"));
  const m = st.app.runtime!.model;
  if (!("session" in m)) throw new Error("no session");
  const r = await st.app.store!.get(m.session.recordId);
  if (!r) throw new Error("record not saved");
  return r;
}

beforeAll(async () => {
  st = await bootStation();
  cookie = await signIn(st.port);
  expect((await doctor("assisted", { on: true, sampleType: "fasting" })).status).toBe(200);
});
afterAll(async () => {
  await st?.stop();
});

describe("assisted check-up day", () => {
  it("card → verbal consent → BP → glucose → result with one tap, filed under the doctor", async () => {
    await sim("card", { idNumber: HYPERTENSION });
    await until(() => expect(step()).toBe("identified"));
    expect((await doctor("consent")).status).toBe(200);
    expect(step()).toBe("bp");
    await sim("bp", { profile: "normal" });
    // No tap between the devices: glucose waits with the day's sample type.
    await until(() =>
      expect(st.app.hub.get("workflow/state")).toMatchObject({ step: "glucose", phase: "waiting" }),
    );
    await sim("glucose", { profile: "normal", mmolL: 5.4 });
    const r = await savedRecord();
    expect(r.schemaVersion).toBe(2);
    expect(r.operator).toEqual({ kind: "doctor", doctorId: "dr-wang" });
    expect(r.consent.method).toBe("doctor");
    expect(r.readings.map((x) => x.kind)).toEqual(["bp", "glucose"]);
    expect(r.readings[1]).toMatchObject({ sampleType: "fasting", source: "device" });
    if (r.schemaVersion !== 2) throw new Error("v2 expected");
    expect(r.assisted).toEqual({
      doctorId: "dr-wang",
      idEntryReason: null,
      dangerSymptoms: [],
      manualReadings: [],
    });
  });

  it("a failed device: impossible typed readings are refused with the reason, plausible ones are kept as manual", async () => {
    await sim("card", { idNumber: DIABETES });
    await until(() => expect(step()).toBe("identified"));
    // Consent first: a reading before it is refused and changes nothing.
    const early = await doctor("manual-reading", {
      kind: "bp",
      systolic: 130,
      diastolic: 80,
      reason: "device-fault",
    });
    expect(early.body.code).toBe("wrong-step");
    await doctor("consent");
    await sim("bp", { profile: "error" });
    await until(() => expect(st.app.hub.get("workflow/state")).toMatchObject({ step: "bp", phase: "fault" }));
    const bad = await doctor("manual-reading", {
      kind: "bp",
      systolic: 80,
      diastolic: 120,
      reason: "device-fault",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("reading-implausible");
    expect(String(bad.body.error)).toMatch(/systolic 80 not above diastolic 120/);
    expect(step()).toBe("bp");
    expect(
      (await doctor("manual-reading", { kind: "bp", systolic: 132, diastolic: 84, reason: "device-fault" }))
        .status,
    ).toBe(200);
    await until(() => expect(step()).toBe("glucose"));
    const badG = await doctor("manual-reading", {
      kind: "glucose",
      mmolL: 80,
      sampleType: "fasting",
      reason: "device-fault",
    });
    expect(badG.body.code).toBe("reading-implausible");
    expect(
      (
        await doctor("manual-reading", {
          kind: "glucose",
          mmolL: 6.1,
          sampleType: "fasting",
          reason: "device-missing",
        })
      ).status,
    ).toBe(200);
    const r = await savedRecord();
    expect(r.readings).toMatchObject([
      { kind: "bp", systolic: 132, diastolic: 84, source: "manual" },
      { kind: "glucose", mmolL: 6.1, source: "manual" },
    ]);
    if (r.schemaVersion !== 2) throw new Error("v2 expected");
    expect(r.assisted?.manualReadings).toEqual([
      { readingIndex: 0, reason: "device-fault" },
      { readingIndex: 1, reason: "device-missing" },
    ]);
  });

  it("danger symptoms the doctor records make the referral urgent even with normal readings", async () => {
    await sim("card", { idNumber: HYPERTENSION });
    await until(() => expect(step()).toBe("identified"));
    await doctor("consent");
    expect(
      (await doctor("symptoms", { codes: ["blurred-vision", "palpitations-chest-tightness"] })).status,
    ).toBe(200);
    const unknown = await doctor("symptoms", { codes: ["made-up"] });
    expect(unknown.status).toBe(400);
    await sim("bp", { profile: "normal" });
    await until(() => expect(step()).toBe("glucose"));
    await sim("glucose", { profile: "normal", mmolL: 5.2 });
    const r = await savedRecord();
    expect(r.assessment?.referral.urgent).toBe(true);
    expect(r.assessment?.referral.reasons).toEqual([
      "symptom:blurred-vision",
      "symptom:palpitations-chest-tightness",
    ]);
  });

  it("records a follow-up form as a new v2 record linked to the check-up, with the visit class computed", async () => {
    await sim("card", { idNumber: HYPERTENSION });
    await until(() => expect(step()).toBe("identified"));
    await doctor("consent");
    await sim("bp", { profile: "normal" });
    await until(() => expect(step()).toBe("glucose"));
    await sim("glucose", { profile: "normal", mmolL: 5.0 });
    const checkup = await savedRecord();
    const form = {
      checkupRecordId: checkup.id,
      programmes: ["hypertension"],
      mode: "clinic",
      symptoms: ["none"],
      adherence: "regular",
      medicines: [{ name: "氨氯地平", dose: "5mg", timesPerDay: 1 }],
    };
    const preview = await doctor("follow-up/preview", form);
    expect(preview.body.computed).toBe(
      checkup.assessment!.bp!.systolic < 140 && checkup.assessment!.bp!.diastolic < 90
        ? "controlled"
        : "uncontrolled",
    );
    const bad = await doctor("follow-up", { ...form, visitClassOverride: "controlled" });
    expect(bad.status).toBe(400);
    const res = await doctor("follow-up", {
      ...form,
      visitClassOverride: "adverse-reaction",
      adverseReaction: "脚踝水肿",
    });
    expect(res.status).toBe(200);
    const f = await st.app.store!.get(String(res.body.recordId));
    if (f?.schemaVersion !== 2) throw new Error("follow-up record missing");
    expect(f.followUp).toMatchObject({
      checkupRecordId: checkup.id,
      visitClass: "adverse-reaction",
      visitClassComputed: preview.body.computed,
      doctorId: "dr-wang",
      medicines: [{ name: "氨氯地平", dose: "5mg", timesPerDay: 1 }],
    });
    // Adverse reaction: follow up within 2 weeks.
    expect(f.followUp?.nextVisit).toBe(res.body.nextVisit);
    expect(f.readings).toEqual([]);
    expect(f.person.idNumber).toBe(HYPERTENSION);
    expect(f.sync.status).toBe("pending");
  });

  it("every doctor action is in the audit log, by id only", async () => {
    const events = await st.app.doctor!.auditLog.read();
    const types = events.map((e) => e.type);
    for (const t of ["sign-in", "consent-verbal", "manual-reading", "danger-symptoms", "follow-up"])
      expect(types).toContain(t);
    expect(events.every((e, i) => e.seq === i + 1)).toBe(true);
    const text = JSON.stringify(events);
    for (const secret of [HYPERTENSION, DIABETES, "李光明", "杨金花"]) expect(text).not.toContain(secret);
  });
});
