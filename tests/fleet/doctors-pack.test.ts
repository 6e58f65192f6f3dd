/**
 * The doctors' list pack: what is refused (PINs in clear, malformed or unaffordable hashes,
 * another county's list) with a reason that never repeats the secret, and, installed through
 * the pack receiver into a whole station, who can sign in afterwards: the pack replaces the
 * config's doctors, and a removed doctor's open session ends.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { packChunks } from "../../flows/fleet/packs.js";
import { hashSecret } from "../../station/doctor/secret-hash.js";
import { checkDoctorsPack, doctorsPack } from "../../station/fleet/doctors-pack.js";
import { PackReceiver } from "../../station/fleet/packs.js";
import { silentLogger } from "../../station/util/logger.js";
import { type Booted, bootStation, post, signIn } from "../doctor/harness.js";

const FAST = { N: 1024, r: 8, p: 1 };
const COUNTY = "demo-county";
const pack = (doctors: unknown[], county = COUNTY) =>
  Buffer.from(JSON.stringify({ v: 1, type: "doctors", county, doctors }));
const errorsOf = (b: Buffer) => {
  const c = checkDoctorsPack(b, COUNTY);
  return c.ok ? [] : c.errors;
};

describe("checkDoctorsPack", () => {
  it("accepts hashes made like `health-station hash-pin` and refuses what is not one", async () => {
    const pinHash = await hashSecret("8642", FAST);
    const good = { id: "dr-zhao", name: "赵医生", villages: ["北村"], pinHash };
    const ok = checkDoctorsPack(pack([good]), COUNTY);
    expect(ok.ok && ok.value.doctors.map((d) => d.id)).toEqual(["dr-zhao"]);

    const clearField = errorsOf(pack([{ ...good, pin: "8642" }]));
    expect(clearField).toEqual([expect.stringMatching(/^doctors\.0\.pin: a PIN in clear is refused/)]);
    const clearHash = errorsOf(pack([good, { ...good, id: "dr-qian", pinHash: "8642" }]));
    expect(clearHash).toEqual([expect.stringMatching(/^doctors\.1\.pinHash: a PIN in clear, not a hash/)]);
    // The reason goes to the county's log: it never carries the PIN itself.
    for (const e of [...clearField, ...clearHash]) expect(e).not.toContain("8642");

    expect(errorsOf(pack([{ ...good, pinHash: "scrypt$1024$8$1$short$short" }]))).toEqual([
      expect.stringMatching(/^doctors\.0\.pinHash: .*hash-pin/),
    ]);
    expect(errorsOf(pack([{ ...good, pinHash: pinHash.replace("$1024$", "$1000$") }]))).toEqual([
      "doctors.0.pinHash: scrypt N must be a power of two ≥ 1024",
    ]);
    expect(errorsOf(pack([{ ...good, pinHash: pinHash.replace("$1024$8$", "$1048576$8$") }]))).toEqual([
      expect.stringMatching(/^doctors\.0\.pinHash: scrypt cost too high/),
    ]);
    expect(errorsOf(pack([good, good]))).toEqual(["doctors.1.id: dr-zhao appears twice"]);
    expect(errorsOf(pack([good], "other-county"))).toEqual([
      "county: the list is for other-county, this station is in demo-county",
    ]);
    expect(errorsOf(Buffer.from("{"))[0]).toMatch(/^\(root\): not JSON/);
  });
});

describe("doctors' pack in a station", () => {
  let st: Booted | null = null;
  let fleetDir: string | null = null;
  afterEach(async () => {
    await st?.stop();
    st = null;
    if (fleetDir) await rm(fleetDir, { recursive: true, force: true });
  });

  it("replaces the config's doctors: a new one signs in, a removed one cannot and their session ends", async () => {
    st = await bootStation();
    fleetDir = await mkdtemp(join(tmpdir(), "hs-doctors-pack-"));
    const list = st.app.doctor!.doctors;
    const answers: { id: string; status: string; reason?: string }[] = [];
    const receiver = new PackReceiver({
      fleetDir,
      kinds: { doctors: doctorsPack(list, COUNTY) },
      answer: (a) => answers.push(a),
      logger: silentLogger,
    });
    const liCookie = await signIn(st.port, "dr-li", "1357");
    expect(st.app.hub.get("doctor/session")).toMatchObject({ signedIn: true, doctor: { id: "dr-li" } });

    // A refused pack changes nothing: dr-li stays signed in, the config's list stays.
    const bad = pack([{ id: "dr-zhao", name: "赵医生", pinHash: "8642" }]);
    for (const c of packChunks("doctors", 1, bad)) receiver.handle("doctors", Buffer.from(c));
    expect(answers.at(-1)).toMatchObject({ id: "pack:doctors:1", status: "rejected" });
    expect(answers.at(-1)?.reason).toMatch(/PIN in clear/);
    expect(list.source).toEqual({ kind: "config" });
    expect((await post(st.port, "/api/doctor/session", {}, { cookie: liCookie })).status).toBe(200);

    // Version 2: dr-wang kept (card sign-in too), dr-li gone, dr-zhao new.
    const wang = list.find("dr-wang")!;
    const zhao = {
      id: "dr-zhao",
      name: "赵医生",
      villages: ["北村"],
      pinHash: await hashSecret("8642", FAST),
    };
    const good = pack([wang, zhao]);
    for (const c of packChunks("doctors", 2, good, 200)) receiver.handle("doctors", Buffer.from(c));
    expect(answers.at(-1)).toMatchObject({ id: "pack:doctors:2", status: "applied" });
    expect(list.source).toEqual({ kind: "pack", version: 2 });

    expect(st.app.hub.get("doctor/session")).toMatchObject({ signedIn: false, ended: "removed" });
    const after = await post(st.port, "/api/doctor/session", {}, { cookie: liCookie });
    expect(after.status).toBe(401);
    expect((await post(st.port, "/api/doctor/doctors", {})).body).toEqual([
      { id: "dr-wang", name: "王医生", card: true },
      { id: "dr-zhao", name: "赵医生", card: false },
    ]);
    const li = await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-li", pin: "1357" });
    expect(li.body.code).toBe("doctor-unknown");
    await signIn(st.port, "dr-zhao", "8642");
    expect(st.app.hub.get("doctor/session")).toMatchObject({ signedIn: true, doctor: { id: "dr-zhao" } });
  }, 60_000);
});
