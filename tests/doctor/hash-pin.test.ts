/** `health-station hash-pin` and the config's doctor entries: hashes only, never a PIN in clear. */
import { describe, expect, it } from "vitest";
import { runHashPin } from "../../station/cli/hash-pin.js";
import { parseConfig } from "../../station/config/load.js";
import { verifySecret } from "../../station/doctor/secret-hash.js";

async function run(args: string[], stdin: string) {
  let out = "";
  let err = "";
  const code = await runHashPin(args, {
    stdin: async () => stdin,
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
  });
  return { code, out: out.trim(), err };
}

describe("hash-pin", () => {
  it("prints a salted scrypt hash that verifies the PIN and no other", async () => {
    const a = await run([], "2468\n");
    const b = await run([], "2468\n");
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a.out).not.toBe(b.out); // a fresh salt each time
    expect(await verifySecret("2468", a.out)).toBe(true);
    expect(await verifySecret("2469", a.out)).toBe(false);
  });

  it("refuses a PIN that is not 4–8 digits, and hashes a valid ID number with --id-number", async () => {
    expect((await run([], "12\n")).code).toBe(1);
    expect((await run([], "abcd\n")).code).toBe(1);
    expect((await run(["--id-number"], "110105194912310021\n")).code).toBe(1);
    const id = await run(["--id-number"], "11010519491231002x\n");
    expect(id.code).toBe(0);
    expect(await verifySecret("11010519491231002X", id.out)).toBe(true);
  });

  it("the station config refuses a PIN in clear and duplicate doctor ids", async () => {
    const hash = (await run([], "2468")).out;
    const doctor = { id: "dr-wang", name: "王医生", pinHash: hash };
    expect(() => parseConfig({ version: 1, doctor: { doctors: [doctor] } })).not.toThrow();
    expect(() => parseConfig({ version: 1, doctor: { doctors: [{ ...doctor, pinHash: "2468" }] } })).toThrow(
      /pinHash/,
    );
    expect(() => parseConfig({ version: 1, doctor: { doctors: [doctor, doctor] } })).toThrow(/unique/);
  });
});
