/**
 * The station's own wiring of the audit upload: with the embedded broker (npm start's shape,
 * with its ACL table), a wrong PIN and a sign-in are taken by the broker on the station's audit
 * topic, in order, and the durable cursor follows. The embedded broker lets only the archive
 * read that topic, so this test sees the broker's PUBACKs through the cursor;
 * tests/mqtt/audit-upload.test.ts checks delivery, resuming and the ACL on a real Mosquitto.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Booted, bootStation, post } from "./harness.js";

let st: Booted | null = null;
afterAll(async () => {
  await st?.stop();
});

describe("audit upload from the station", () => {
  it("the county broker takes each audit event, and the sent cursor follows the log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "doctor-audit-"));
    st = await bootStation(dir, {}, undefined, { embeddedArchiveDir: join(dir, "archive") });
    await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-li", pin: "0000" });
    await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "2468" });
    const events = await st.app.doctor!.auditLog.read();
    expect(events.map((e) => `${e.seq}:${e.type}:${e.doctorId}`)).toEqual([
      "1:sign-in-failed:dr-li",
      "2:sign-in:dr-wang",
    ]);
    await expect.poll(() => st!.app.doctor!.auditSentSeq, { timeout: 8000 }).toBe(2);
  });
});
