import { describe, expect, it } from "vitest";
import { runDecode } from "../../station/cli/decode.js";

function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = runDecode(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err, json: code === 0 ? JSON.parse(out) : null };
}

describe("health-station decode", () => {
  it("decodes a Blood Pressure Measurement value built from the published layout", () => {
    const hex = [
      "1E", // flags: mmHg, timestamp, pulse, user id, status present
      "78 00", // systolic SFLOAT 0x0078 = 120
      "50 00", // diastolic 80
      "5A 00", // mean arterial pressure 90
      "E9 07 0B 16 0A 1E 00", // 2025-11-22 10:30:00
      "48 00", // pulse 72
      "01", // user id 1
      "04 00", // status: bit 2 irregular pulse
    ].join(" ");
    const r = run("bp-ble", hex);
    expect(r.code).toBe(0);
    expect(r.json.mmHg).toMatchObject({ systolic: 120, diastolic: 80 });
    expect(r.json.measurement.status.irregularPulse).toBe(true);
  });

  it("decodes a TD-42xx frame and checks its checksum", () => {
    // 51 25 ... : "read record value" response; checksum = sum of the first 7 bytes & 0xFF
    const bytes = [0x51, 0x26, 0x6c, 0x00, 0x40, 0x00, 0xa5];
    const chk = bytes.reduce((a, b) => a + b, 0) & 0xff;
    const good = run("td42xx", Buffer.from([...bytes, chk]).toString("hex"));
    expect(good.code).toBe(0);
    const bad = run("td42xx", Buffer.from([...bytes, (chk + 1) & 0xff]).toString("hex"));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/checksum/i);
  });

  it("names unknown kinds and empty input, with a non-zero exit", () => {
    expect(run("spo2", "00").code).toBe(2);
    expect(run("bp-ble").code).toBe(2);
    expect(run().code).toBe(2);
    const garbage = run("idcard-frame", "zz top");
    expect(garbage.code).toBe(1);
    expect(garbage.err).toContain("idcard-frame");
  });
});
