/** The console's UI model: sign-in calls, the keypad's submission with a reason, and closing at once when the session ends. */
import { describe, expect, it } from "vitest";
import type { DoctorSessionView } from "../../station/protocol.js";
import { DoctorApiError } from "../../ui/src/doctor/api.js";
import { createDoctorModel, pickLang } from "../../ui/src/doctor/doctor-model.js";
import { FakeClient } from "./fakes.js";

const signedOut: DoctorSessionView = {
  signedIn: false,
  doctor: null,
  ended: null,
  assisted: null,
  card: null,
  idleSeconds: 180,
};
const signedIn: DoctorSessionView = {
  ...signedOut,
  signedIn: true,
  doctor: { id: "dr-wang", name: "王医生" },
};

function setup(answers: Record<string, unknown | Error> = {}) {
  const client = new FakeClient();
  const calls: Array<{ route: string; body: unknown }> = [];
  const call = async (route: string, body?: unknown) => {
    calls.push({ route, body });
    const a = answers[route];
    if (a instanceof Error) throw a;
    return a ?? { ok: true };
  };
  const doctor = createDoctorModel(client, call, () => 0);
  return { client, calls, doctor };
}

describe("doctor UI model", () => {
  it("shows the refusal of a wrong PIN in the screen's language and stays on the PIN pad", async () => {
    const { doctor } = setup({
      doctors: [{ id: "dr-wang", name: "王医生", card: false }],
      "sign-in": new DoctorApiError(
        "pin-wrong",
        "密码不对，请 5 秒后再试 / wrong PIN; try again in 5 s",
        401,
      ),
    });
    await doctor.enter();
    expect(doctor.screen.value).toBe("names");
    doctor.pick(doctor.doctors.value[0]!);
    for (const k of "1234") doctor.press(k);
    await doctor.submitPin();
    expect(doctor.screen.value).toBe("pin");
    expect(doctor.pin.value).toBe("");
    expect(pickLang(doctor.error.value!, "zh")).toBe("密码不对，请 5 秒后再试");
    expect(pickLang(doctor.error.value!, "en")).toBe("wrong PIN; try again in 5 s");
  });

  it("sends the keypad's ID with the reason the doctor chose", async () => {
    const { doctor, calls } = setup();
    doctor.manualIdFor("card-broken");
    expect(doctor.screen.value).toBe("keypad");
    expect(await doctor.manualId("11010519491231002X", undefined)).toBe(true);
    expect(calls.at(-1)).toEqual({
      route: "manual-id",
      body: { idNumber: "11010519491231002X", reason: "card-broken" },
    });
    expect(doctor.screen.value).toBeNull();
  });

  it("closes every console screen the moment the station says the session ended", async () => {
    const { client, doctor } = setup();
    client.emit({ topic: "doctor/session", payload: signedIn });
    await doctor.enter();
    expect(doctor.screen.value).toBe("home");
    client.emit({ topic: "doctor/session", payload: { ...signedOut, ended: "idle" } });
    expect(doctor.screen.value).toBeNull();
    expect(doctor.signedIn.value).toBe(false);
  });

  it("goes to sign-in, not the home, when another page holds the session", async () => {
    const { client, doctor } = setup({ session: new DoctorApiError("doctor-required", "x", 401) });
    client.emit({ topic: "doctor/session", payload: signedIn });
    await doctor.enter();
    expect(doctor.screen.value).toBe("names");
  });

  it("a doctor's card on the sign-in screen opens that doctor's PIN pad", async () => {
    const { client, doctor } = setup({ doctors: [] });
    await doctor.enter();
    client.emit({
      topic: "doctor/session",
      payload: { ...signedOut, card: { doctorId: "dr-wang", name: "王医生" } },
    });
    expect(doctor.screen.value).toBe("pin");
    expect(doctor.pinFor.value).toEqual({ id: "dr-wang", name: "王医生", via: "card" });
  });
});
