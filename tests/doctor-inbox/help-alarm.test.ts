// The fleet's help-waiting alarm follows the help store: raised while a request waits, cleared
// by the doctor's outcome (a real station with its embedded county, alarms checked every second).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import { silentLogger } from "../../station/util/logger.js";
import { projectRoot } from "../../station/util/project-root.js";
import { doctorsConfig, post, signIn } from "../doctor/harness.js";

let app: StationApp | null = null;
afterAll(async () => {
  await app?.stop();
});

it("help-waiting is raised while a request waits and cleared once a doctor records what happened", async () => {
  const dir = mkdtempSync(join(tmpdir(), "help-alarm-"));
  const cfg = join(dir, "station.json");
  writeFileSync(
    cfg,
    JSON.stringify({
      version: 1,
      server: { host: "127.0.0.1", port: 0 },
      dataDir: join(dir, "data"),
      devices: { simTransport: "mock" },
      upload: { embeddedArchiveDir: join(dir, "archive") },
      fleet: { checkSeconds: 1, alarms: { helpWaitingSeconds: 1 } },
      doctor: { doctors: await doctorsConfig() },
    }),
  );
  app = new StationApp({ loaded: loadConfig(cfg), logger: silentLogger, projectRoot: projectRoot() });
  const { url, port } = await app.start();
  const alarms = async () =>
    (
      (await (await fetch(`${url}/api/health`)).json()) as { fleet: { alarms: Array<{ id: string }> } }
    ).fleet.alarms.map((a) => a.id);
  const h = await app.help!.add({ step: "bp", screen: "bp:measuring", recordId: null, source: "button" });
  await expect.poll(alarms, { timeout: 15_000, interval: 200 }).toContain("help-waiting");
  const cookie = await signIn(port);
  const r = await post(port, "/api/doctor/inbox/help/clear", { id: h.id, outcome: "attended" }, { cookie });
  expect(r.status).toBe(200);
  await expect.poll(alarms, { timeout: 15_000, interval: 200 }).not.toContain("help-waiting");
}, 60_000);
