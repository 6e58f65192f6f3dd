/**
 * Issue 12 §4/§7 on the whole station (StationApp in this process, simulated devices, a clock
 * the test sets): records made 30 days behind after a restart, 5 years ahead, or at 1970 are
 * flagged; valid cards are still accepted; a corrected clock stops the flagging without a restart.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StationApp } from "../../station/app.js";
import { loadConfig } from "../../station/config/load.js";
import { loadRoster } from "../../station/roster/roster.js";
import { silentLogger } from "../../station/util/logger.js";
import { checkupViaSim } from "../faults/lib/records.js";
import { ROOT, type StationProcess } from "../faults/lib/station.js";

const T = Date.parse("2026-11-30T08:00:00Z");
const DAY = 86_400_000;

describe("the station's clock across restarts", () => {
  const dirs: string[] = [];
  let app: StationApp | null = null;
  afterAll(async () => {
    await app?.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("flags what a wrong clock makes, accepts valid cards anyway, and stops flagging once it is right", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hs-clock-app-"));
    dirs.push(dir);
    const cfg = join(dir, "station.json");
    await writeFile(
      cfg,
      JSON.stringify({
        version: 1,
        server: { host: "127.0.0.1", port: 0 },
        dataDir: join(dir, "data"),
        devices: { mode: "sim", simTransport: "mock" },
        workflow: { bpRepeatPauseSeconds: 0 },
        upload: { enabled: false },
        log: { level: "error" },
      }),
    );
    const clock = { ms: T, now: () => clock.ms };
    const boot = async (): Promise<StationProcess & { app: StationApp }> => {
      const a = new StationApp({ loaded: loadConfig(cfg), logger: silentLogger, projectRoot: ROOT, clock });
      app = a;
      const { url } = await a.start();
      const req = async <R>(p: string, init?: RequestInit): Promise<R> => {
        const res = await fetch(`${url}${p}`, init);
        if (!res.ok) throw new Error(`${p} → ${res.status}: ${await res.text()}`);
        return (await res.json()) as R;
      };
      return {
        app: a,
        url,
        pid: process.pid,
        dataDir: join(dir, "data"),
        output: () => "",
        upload: () => req("/api/upload"),
        get: (p) => req(p),
        post: (p, body) =>
          req(p, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
        stop: async () => {
          await a.stop();
          app = null;
        },
        kill: async () => {},
      };
    };
    const flagged = async (
      s: StationProcess & { app: StationApp },
      person: { ref: string; name: string },
    ) => {
      const id = await checkupViaSim(s, person);
      return (await s.app.store!.get(id))!.clockSuspect;
    };

    let s = await boot();
    // The sim roster lists refs (place in the roster file), never full numbers: birth years
    // come from the file itself.
    const file = loadRoster(join(ROOT, "station/data/demo-roster.json")).all();
    const people = file.slice(0, 10).map((p, i) => ({ ref: `r${i}`, name: p.name }));
    const youngAt = file.findIndex((p) => p.idNumber.slice(6, 10) >= "1971");
    const young = { ref: `r${youngAt}`, name: file[youngAt]!.name };
    expect(young).toBeDefined();
    expect(await flagged(s, people[0]!)).toBe(false);
    await s.stop();

    // Power cut; the Pi boots 30 days behind.
    clock.ms = T - 30 * DAY;
    s = await boot();
    expect(await flagged(s, people[1]!)).toBe(true);
    // NTP answers: the next record is trusted, with no restart.
    clock.ms = T + 3_600_000;
    expect(await flagged(s, people[2]!)).toBe(false);
    await s.stop();

    // 5 years ahead.
    clock.ms = T + 5 * 365 * DAY;
    s = await boot();
    expect(await flagged(s, people[3]!)).toBe(true);
    await s.stop();

    // 1970: someone born after 1970 is still checked up, and the record is flagged.
    clock.ms = 86_400_000;
    s = await boot();
    expect(await flagged(s, young)).toBe(true);
    await s.stop();
  });
});
