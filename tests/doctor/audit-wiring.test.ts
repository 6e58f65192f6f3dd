/**
 * The station's own wiring of the audit upload: with the embedded broker (npm start's shape),
 * a sign-in and a wrong PIN reach hs/v1/{county}/{station}/audit as AuditMessages, in order.
 * (tests/mqtt/audit-upload.test.ts covers resuming and the ACL on a real Mosquitto.)
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { AuditMessage } from "../../station/doctor/audit-message.js";
import { type Booted, bootStation, post } from "./harness.js";

let st: Booted | null = null;
let client: mqtt.MqttClient | null = null;
afterAll(async () => {
  await client?.endAsync(true);
  await st?.stop();
});

describe("audit upload from the station", () => {
  it("sends each audit event to the county broker on the station's audit topic", async () => {
    const dir = mkdtempSync(join(tmpdir(), "doctor-audit-"));
    st = await bootStation(dir, {}, undefined, { embeddedArchiveDir: join(dir, "archive") });
    const county = st.app.embeddedCounty!;
    client = await mqtt.connectAsync(county.url, { protocolVersion: 4, reconnectPeriod: 0 });
    const got: AuditMessage[] = [];
    client.on("message", (_t, p) => got.push(AuditMessage.parse(JSON.parse(p.toString()))));
    await client.subscribeAsync("hs/v1/demo-county/demo-station-0001/audit", { qos: 1 });
    await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-li", pin: "0000" });
    await post(st.port, "/api/doctor/sign-in", { doctorId: "dr-wang", pin: "2468" });
    await expect
      .poll(() => got.flatMap((m) => m.events.map((e) => `${e.seq}:${e.type}:${e.doctorId}`)), {
        timeout: 8000,
      })
      .toEqual(["1:sign-in-failed:dr-li", "2:sign-in:dr-wang"]);
    await expect.poll(() => st!.app.doctor!.auditSentSeq).toBe(2);
  });
});
