/**
 * The doctors' list pack end to end: the county's fleet CLI (admin identity) sends it over the
 * shipped Mosquitto to the real station process. A list with a PIN in clear is refused with the
 * reason back at the county; a good list replaces the config's doctors (a new doctor signs in,
 * a removed one's open session ends and they cannot sign in again), and survives a restart.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runFleetCli } from "../../flows/fleet/fleet-cli.js";
import { hashSecret } from "../../station/doctor/secret-hash.js";
import { COUNTY_ADMIN } from "../../station/mqtt/fleet-contract.js";
import { type FaultBroker, startFaultBroker } from "../faults/lib/broker.js";
import { killAll } from "../faults/lib/children.js";
import { type StationProcess, startStation } from "../faults/lib/station.js";

const COUNTY = "demo-county";
const ST = "st-doctors-1";
const PW = "station-pw-0123";
const ADMIN = { username: COUNTY_ADMIN, password: "admin-pw-0123" };
const FAST = { N: 1024, r: 8, p: 1 };

let broker: FaultBroker;
let dir: string;
let station: StationProcess;

beforeAll(async () => {
  broker = await startFaultBroker([ADMIN, { username: ST, password: PW }]);
  dir = await mkdtemp(join(tmpdir(), "hs-fleet-doctors-"));
  process.env.HS_MQTT_PASSWORD = ADMIN.password;
});
afterAll(async () => {
  delete process.env.HS_MQTT_PASSWORD;
  await station?.stop().catch(() => {});
  await killAll();
  await broker?.close();
  await rm(dir, { recursive: true, force: true });
});

const doctor = async (id: string, name: string, pin: string) => ({
  id,
  name,
  villages: ["东村"],
  pinHash: await hashSecret(pin, FAST),
});
const start = async () =>
  startStation({
    dir,
    stationId: ST,
    county: COUNTY,
    broker: { url: broker.url, caFile: broker.caFile, password: PW },
    config: { doctor: { doctors: [await doctor("dr-li", "李医生", "1357")] } },
  });
const cli = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await runFleetCli(
    [
      ...args,
      "--county",
      COUNTY,
      "--url",
      broker.url,
      "--ca",
      broker.caFile,
      "--stations",
      ST,
      "--audit",
      join(dir, "county-audit.jsonl"),
      "--wait",
      "30",
    ],
    (l) => {
      lines.push(l);
    },
  );
  return { code, lines };
};
async function packFile(version: number, doctors: unknown[]): Promise<string> {
  const path = join(dir, `doctors-v${version}.json`);
  await writeFile(path, JSON.stringify({ v: 1, type: "doctors", county: COUNTY, doctors }));
  return path;
}
async function call(path: string, body: unknown, cookie?: string) {
  const res = await fetch(`${station.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: station.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const cookieOut = res.headers.get("set-cookie")?.split(";")[0] ?? null;
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, cookie: cookieOut };
}

it("a doctors' list from the county: a clear PIN refused with its reason, a good list replaces the config's and survives a restart", async () => {
  station = await start();
  const li = await call("/api/doctor/sign-in", { doctorId: "dr-li", pin: "1357" });
  expect(li.status).toBe(200);

  const clear = await packFile(1, [{ id: "dr-zhao", name: "赵医生", villages: [], pinHash: "8642" }]);
  const refused = await cli("pack", "--name", "doctors", "--file", clear, "--version", "1");
  expect(refused.code).toBe(1);
  expect(refused.lines).toEqual([
    expect.stringMatching(new RegExp(`^${ST}\\trejected\\tdoctors\\.0\\.pinHash: a PIN in clear`)),
  ]);
  expect(refused.lines[0]).not.toContain("8642");
  expect((await call("/api/doctor/session", {}, li.cookie!)).status).toBe(200);

  const good = await packFile(2, [await doctor("dr-zhao", "赵医生", "8642")]);
  const sent = await cli("pack", "--name", "doctors", "--file", good, "--version", "2");
  expect(sent.lines).toEqual([expect.stringMatching(new RegExp(`^${ST}\\tapplied`))]);
  expect(sent.code).toBe(0);
  expect((await call("/api/doctor/session", {}, li.cookie!)).status).toBe(401);
  expect((await call("/api/doctor/sign-in", { doctorId: "dr-li", pin: "1357" })).body.code).toBe(
    "doctor-unknown",
  );
  expect((await call("/api/doctor/sign-in", { doctorId: "dr-zhao", pin: "8642" })).status).toBe(200);
  expect((await cli("status")).lines.join("\n")).toMatch(/"doctors":"2"/);

  // The config still names dr-li only: after a restart the installed pack is in force again.
  await station.stop();
  station = await start();
  expect((await call("/api/doctor/doctors", {})).body).toEqual([
    { id: "dr-zhao", name: "赵医生", card: false },
  ]);
  expect((await call("/api/doctor/sign-in", { doctorId: "dr-zhao", pin: "8642" })).status).toBe(200);
}, 180_000);
