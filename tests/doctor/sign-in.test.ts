/**
 * Doctor sign-in and the session against a whole station: every refusal is clear (status and
 * code) and changes nothing — no session, no check-up, no record.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { idCheckChar } from "../../station/domain/id-number.js";
import { type Booted, bootStation, DOCTOR_CARD, pagePost, post, signIn } from "./harness.js";

let st: Booted | null = null;
afterEach(async () => {
  await st?.stop();
  st = null;
});

const sessionView = (b: Booted) => b.app.hub.get("doctor/session");
const audit = async (b: Booted) =>
  (await b.app.doctor!.auditLog.read()).map((e) => `${e.type}:${e.doctorId}`);

describe("doctor sign-in", () => {
  it("signs in by name and PIN, and a cookie that is HttpOnly and SameSite=Strict", async () => {
    st = await bootStation();
    const list = await post(st.port, "/api/doctor/doctors", {});
    expect(list.body).toEqual([
      { id: "dr-wang", name: "王医生", card: true },
      { id: "dr-li", name: "李医生", card: false },
    ]);
    const r = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-li", pin: "1357" });
    expect(r.status).toBe(200);
    expect(r.setCookie).toMatch(
      /^hs_doctor=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/api\/doctor$/,
    );
    expect(sessionView(st)).toMatchObject({ signedIn: true, doctor: { id: "dr-li" } });
    expect(await audit(st)).toEqual(["sign-in:dr-li"]);
  });

  it("refuses a wrong PIN with no session, and locks the doctor out longer after each failure", async () => {
    let now = Date.parse("2026-11-30T02:00:00Z");
    const dir = mkdtempSync(join(tmpdir(), "doctor-lock-"));
    st = await bootStation(dir, {}, { now: () => now });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "0000" });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe("pin-wrong");
      expect(r.cookie).toBeNull();
      const wait = (r.body.details as { retryAfterSeconds: number }).retryAfterSeconds;
      waits.push(wait);
      // Even the right PIN is not checked while locked.
      const locked = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "2468" });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe("locked-out");
      now += wait * 1000;
    }
    expect(waits).toEqual([5, 10, 20, 40]);
    expect(sessionView(st)?.signedIn).toBe(false);

    // A fifth failure, then a restart: the lockout is still there, and it is longer.
    const fifth = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "1111" });
    expect((fifth.body.details as { retryAfterSeconds: number }).retryAfterSeconds).toBe(80);
    await st.stop();
    st = await bootStation(dir, {}, { now: () => now });
    const after = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "2468" });
    expect(after.status).toBe(429);
    expect(after.body.code).toBe("locked-out");
    expect((after.body.details as { retryAfterSeconds: number }).retryAfterSeconds).toBe(80);
    // The other doctor is not locked out by it.
    expect((await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-li", pin: "1357" })).status).toBe(200);
    // Once the wait is over the right PIN works and clears the count.
    now += 80_000;
    expect((await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "2468" })).status).toBe(
      200,
    );
    const log = await audit(st);
    expect(log.filter((e) => e === "sign-in-failed:dr-wang")).toHaveLength(5);
    expect(log.filter((e) => e === "sign-in-locked:dr-wang")).toHaveLength(5);
  });

  it("ends the session after the idle time: the next request is refused and the kiosk leaves the doctor's screens", async () => {
    let now = Date.parse("2026-11-30T02:00:00Z");
    st = await bootStation(undefined, { idleSeconds: 30 }, { now: () => now });
    const cookie = await signIn(st.port);
    expect((await post(st.port, "/api/doctor/touch", {}, { cookie })).status).toBe(200);
    now += 30_000;
    const r = await post(st.port, "/api/doctor/assisted", { on: true }, { cookie });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe("session-expired");
    expect(sessionView(st)).toMatchObject({ signedIn: false, ended: "idle", assisted: null });
    // Still refused afterwards; the session is gone, not revived.
    expect((await post(st.port, "/api/doctor/touch", {}, { cookie })).body.code).toBe("session-invalid");
  });

  it("refuses doctor actions without a session, from another origin and with a forged Host", async () => {
    st = await bootStation();
    const cookie = await signIn(st.port);
    const id = { idNumber: "11010519491231002X", reason: "card-forgotten" };
    const cases = [
      { h: {}, status: 401, code: "doctor-required" },
      { h: { cookie: "hs_doctor=guessed-token" }, status: 401, code: "session-invalid" },
      // The server's own checks (station/server/access.ts) answer first; the console checks again.
      { h: { cookie, origin: "http://evil.example" }, status: 403, code: "origin-not-allowed" },
      // No Origin at all passes the server's check for route modules; the console refuses it.
      { h: { cookie, origin: null }, status: 403, code: "forbidden-origin" },
      { h: { cookie, host: `evil.example:${st.port}` }, status: 403, code: "host-not-allowed" },
      { h: { cookie, type: "text/plain" }, status: 415, code: "unsupported-media-type" },
    ];
    for (const c of cases) {
      const r = await post(st.port, "/api/doctor/manual-id", id, c.h);
      expect({ status: r.status, code: r.body.code }).toEqual({ status: c.status, code: c.code });
    }
    // Sign-in itself is refused from another origin too.
    const x = await post(
      st.port,
      "/api/doctor/sign-in",
      { doctorId: "dr-li", pin: "1357" },
      { origin: "http://evil.example" },
    );
    expect(x.status).toBe(403);
    expect(st.app.runtime?.model.step).toBe("attract");
    expect(await audit(st)).toEqual(["sign-in:dr-wang"]);
  });

  it("refuses manual ID entry on the kiosk's self-service path, and takes it from a signed-in doctor with a reason", async () => {
    st = await bootStation();
    const pub = await pagePost(st.url, "/api/action", { type: "manual-id", idNumber: "11010519491231002X" });
    expect(pub.status).toBe(400);
    expect(((await pub.json()) as { code: string }).code).toBe("doctor-required");
    expect(st.app.runtime?.model.step).toBe("attract");

    const cookie = await signIn(st.port);
    const noReason = await post(
      st.port,
      "/api/doctor/manual-id",
      { idNumber: "11010519491231002X" },
      { cookie },
    );
    expect(noReason.status).toBe(400);
    expect(st.app.runtime?.model.step).toBe("attract");
    const ok = await post(
      st.port,
      "/api/doctor/manual-id",
      { idNumber: "11010519491231002X", name: "测试", reason: "card-broken" },
      { cookie },
    );
    expect(ok.status).toBe(200);
    const m = st.app.runtime!.model;
    expect(m.step).toBe("identified");
    if (!("session" in m)) throw new Error("no session");
    expect(m.session.operator).toEqual({ kind: "doctor", doctorId: "dr-wang" });
    expect(m.session.assisted?.idEntryReason).toBe("card-broken");
    const events = await st.app.doctor!.auditLog.read();
    const manual = events.find((e) => e.type === "manual-id");
    expect(manual).toMatchObject({ doctorId: "dr-wang", detail: { reason: "card-broken" } });
    // Ids only: the ID number and name are nowhere in the log.
    const text = JSON.stringify(events);
    expect(text).not.toContain("11010519491231002X");
    expect(text).not.toContain("测试");
  });

  it("tells the doctor exactly why a typed ID number is refused, and makes no check-up of it", async () => {
    st = await bootStation();
    const cookie = await signIn(st.port);
    const first17 = "11010520991231002"; // born 2099: after today on any trusted clock
    const r = await post(
      st.port,
      "/api/doctor/manual-id",
      { idNumber: first17 + idCheckChar(first17), name: "测试", reason: "card-broken" },
      { cookie },
    );
    expect({ status: r.status, code: r.body.code, error: r.body.error }).toEqual({
      status: 400,
      code: "id-invalid",
      error:
        "身份证号码无效：出生日期晚于今天。请核对号码。 / The ID number is not valid: the birth date is after today. Please check it.",
    });
    expect(st.app.runtime?.model.step).toBe("attract");
  });

  it("signs in with the doctor's own card and PIN; a villager's card on that screen is not a doctor", async () => {
    st = await bootStation();
    const sim = (idNumber: string) => pagePost(st!.url, "/api/sim/card", { idNumber });
    const until = (fn: () => void) => vi.waitFor(fn, { timeout: 5000, interval: 20 });
    await post(st.port, "/api/doctor/card-wait", { on: true });
    await sim("510199194412213797");
    await until(() => expect(sessionView(st!)?.card).toEqual({ unknown: true }));
    expect(st.app.runtime?.model.step).toBe("attract");
    await post(st.port, "/api/doctor/card-wait", { on: true });
    await sim(DOCTOR_CARD);
    await until(() => expect(sessionView(st!)?.card).toEqual({ doctorId: "dr-wang", name: "王医生" }));
    // The doctor's card did not start a check-up.
    expect(st.app.runtime?.model.step).toBe("attract");
    const r = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "2468", via: "card" });
    expect(r.status).toBe(200);
    expect(sessionView(st)).toMatchObject({ signedIn: true, card: null });
    expect((await st.app.doctor!.auditLog.read()).at(-1)).toMatchObject({
      type: "sign-in",
      detail: { via: "card" },
    });
  });

  it("signs out at once with one request, and sends the doctor's check-up on screen away", async () => {
    st = await bootStation();
    const cookie = await signIn(st.port);
    await post(
      st.port,
      "/api/doctor/manual-id",
      { idNumber: "11010519491231002X", name: "测试", reason: "card-forgotten" },
      { cookie },
    );
    expect(st.app.runtime?.model.step).toBe("identified");
    expect((await post(st.port, "/api/doctor/sign-out", {}, { cookie })).status).toBe(200);
    expect(st.app.runtime?.model.step).toBe("attract");
    expect(sessionView(st)).toMatchObject({ signedIn: false, ended: "sign-out" });
    expect((await post(st.port, "/api/doctor/touch", {}, { cookie })).status).toBe(401);
  });
});
