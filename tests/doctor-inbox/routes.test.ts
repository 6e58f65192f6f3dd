// Who may use /api/doctor/inbox/: a signed-in doctor from the station's own page. Nobody else
// (no session, another origin, a forged Host) gets anything or changes anything. A real station
// with the real sign-in (tests/doctor/harness.ts).
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckupRecord } from "../../station/domain/schema.js";
import { type Booted, bootStation, post, signIn } from "../doctor/harness.js";
import { idNumber, makeRecord, rejectedSync } from "../storage/fixtures/records.js";

let st: Booted;
let cookie: string;

function get(path: string, h: { cookie?: string; origin?: string; host?: string } = {}) {
  const host = h.host ?? `127.0.0.1:${st.port}`;
  const headers: Record<string, string> = { host };
  if (h.origin) headers.origin = h.origin;
  if (h.cookie) headers.cookie = h.cookie;
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: st.port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** A check-up the archive refused for its ID number (a birth year in the future). */
async function seedRejected(): Promise<CheckupRecord> {
  const r = CheckupRecord.parse({
    ...makeRecord({
      seq: 1,
      person: idNumber("20300101", 11),
      sync: rejectedSync("id-number: 身份证号码无效 / Resident ID number is not valid"),
    }),
  });
  await st.app.store!.save(r);
  return r;
}

beforeAll(async () => {
  st = await bootStation();
  cookie = await signIn(st.port);
}, 60_000);
afterAll(async () => {
  await st?.stop();
});

describe("help requests", () => {
  it("refuses no session, another origin and a forged Host; changes nothing", async () => {
    const h = await st.app.help!.add({
      step: "bp",
      screen: "bp:measuring",
      recordId: null,
      source: "screen",
    });
    const body = { id: h.id, outcome: "attended" };
    const p = "/api/doctor/inbox/help/clear";
    expect((await post(st.port, p, body)).status).toBe(401);
    expect((await post(st.port, p, body, { cookie, origin: "http://evil.example" })).status).toBe(403);
    expect((await post(st.port, p, body, { cookie, host: "evil.example" })).status).toBe(403);
    expect((await post(st.port, p, body, { cookie, type: "text/plain" })).status).toBe(415);
    expect((await get("/api/doctor/inbox/help")).status).toBe(401);
    expect((await get("/api/doctor/inbox/help", { cookie, origin: "http://evil.example" })).status).toBe(403);
    expect((await get("/api/doctor/inbox/help", { cookie, host: "evil.example" })).status).toBe(403);
    expect(st.app.help!.waiting().map((r) => r.id)).toContain(h.id);
    await st.app.help!.clear(h.id);
  });

  it("a doctor clears one by saying what happened: audited, gone from the inbox and the status strip", async () => {
    const h = await st.app.help!.add({
      step: "glucose",
      screen: "glucose:ready",
      recordId: null,
      source: "button",
    });
    const list = await get("/api/doctor/inbox/help", { cookie });
    expect(list.status).toBe(200);
    expect((list.body.waiting as Array<{ id: string }>).map((r) => r.id)).toEqual([h.id]);
    expect(
      (await post(st.port, "/api/doctor/inbox/help/clear", { id: h.id, outcome: "maybe" }, { cookie }))
        .status,
    ).toBe(400);
    const ok = await post(
      st.port,
      "/api/doctor/inbox/help/clear",
      { id: h.id, outcome: "false-alarm" },
      { cookie },
    );
    expect(ok.status).toBe(200);
    expect(st.app.help!.waiting()).toEqual([]);
    expect((st.app.hub.get("help/status") as { waiting: unknown[] }).waiting).toEqual([]);
    expect((await get("/api/doctor/inbox/help", { cookie })).body.waiting).toEqual([]);
    // A second clear of the same request: not found, and no second audit event.
    expect(
      (await post(st.port, "/api/doctor/inbox/help/clear", { id: h.id, outcome: "attended" }, { cookie }))
        .status,
    ).toBe(404);
    const events = (await st.app.doctor!.auditLog.read()).filter((e) => e.type === "help-cleared");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      doctorId: "dr-wang",
      detail: { helpId: h.id, outcome: "false-alarm", source: "button" },
    });
  });
});

describe("rejected records", () => {
  it("refuses no session, another origin and a forged Host; nothing is saved", async () => {
    const r = await seedRejected();
    const before = await st.app.store!.count();
    const body = { recordId: r.id, reason: "typing-error", idNumber: idNumber("19300101", 11) };
    const p = "/api/doctor/inbox/rejected/correct";
    expect((await post(st.port, p, body)).status).toBe(401);
    expect((await post(st.port, p, body, { cookie: "hs_doctor=forged" })).status).toBe(401);
    expect((await post(st.port, p, body, { cookie, origin: "http://evil.example" })).status).toBe(403);
    expect((await post(st.port, p, body, { cookie, host: "evil.example" })).status).toBe(403);
    expect((await post(st.port, "/api/doctor/inbox/rejected/detail", { id: r.id })).status).toBe(401);
    expect((await get("/api/doctor/inbox/rejected")).status).toBe(401);
    expect((await get("/api/doctor/inbox/rejected", { cookie, host: "evil.example" })).status).toBe(403);
    expect(await st.app.store!.count()).toBe(before);
  });

  it("lists it masked, shows it, and a correction is saved as a new pending record; the original stays", async () => {
    const r = await seedRejected();
    const list = await get("/api/doctor/inbox/rejected", { cookie });
    const row = (list.body.rejected as Array<Record<string, unknown>>).find((x) => x.id === r.id);
    expect(row).toMatchObject({ code: "id-number", supersededBy: null, nameMasked: "张*" });
    expect(String(row?.idMasked)).not.toContain("2030");
    const detail = await post(st.port, "/api/doctor/inbox/rejected/detail", { id: r.id }, { cookie });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ correctable: ["idNumber"], idNumber: r.person.idNumber });

    const fixed = idNumber("19300101", 11);
    const notAllowed = await post(
      st.port,
      "/api/doctor/inbox/rejected/correct",
      { recordId: r.id, reason: "typing-error", name: "李四" },
      { cookie },
    );
    expect(notAllowed.body.code).toBe("correction-not-allowed");
    const ok = await post(
      st.port,
      "/api/doctor/inbox/rejected/correct",
      { recordId: r.id, reason: "typing-error", idNumber: fixed },
      { cookie },
    );
    expect(ok.status).toBe(200);
    const newId = String(ok.body.recordId);
    const saved = await st.app.store!.get(newId);
    expect(saved).toMatchObject({
      schemaVersion: 3,
      sync: { status: "pending" },
      person: { idNumber: fixed },
    });
    expect(saved?.schemaVersion === 3 && saved.correction.supersedes).toBe(r.id);
    const original = await st.app.store!.get(r.id);
    expect(original).toEqual(r);
    const again = await post(
      st.port,
      "/api/doctor/inbox/rejected/correct",
      { recordId: r.id, reason: "typing-error", idNumber: idNumber("19300101", 13) },
      { cookie },
    );
    expect(again.body.code).toBe("already-corrected");
    const after = await get("/api/doctor/inbox/rejected", { cookie });
    expect(
      (after.body.rejected as Array<Record<string, unknown>>).find((x) => x.id === r.id)?.supersededBy,
    ).toBe(newId);
    const audit = await st.app.doctor!.auditLog.read();
    const corrected = audit.filter((e) => e.type === "record-corrected");
    expect(corrected).toHaveLength(1);
    expect(corrected[0]).toMatchObject({
      recordId: newId,
      detail: { supersedes: r.id, reason: "typing-error" },
    });
    expect(JSON.stringify(audit)).not.toContain(fixed);
    expect(audit.some((e) => e.type === "person-viewed" && e.recordId === r.id)).toBe(true);
  });
});

describe("after a restart", () => {
  it("a cleared help request stays cleared and a correction still supersedes its original", async () => {
    const waiting = await st.app.help!.add({
      step: "bp",
      screen: "bp:ready",
      recordId: null,
      source: "screen",
    });
    const before = (await get("/api/doctor/inbox/rejected", { cookie })).body.rejected as Array<
      Record<string, unknown>
    >;
    const corrected = before.filter((x) => x.supersededBy !== null);
    expect(corrected.length).toBe(1);
    await st.stop();
    st = await bootStation(st.dir);
    cookie = await signIn(st.port);
    expect(st.app.help!.waiting().map((r) => r.id)).toEqual([waiting.id]);
    const after = (await get("/api/doctor/inbox/rejected", { cookie })).body.rejected as Array<
      Record<string, unknown>
    >;
    expect(after.filter((x) => x.supersededBy !== null)).toEqual(corrected);
  }, 60_000);
});
