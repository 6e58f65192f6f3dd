/** The station's check and durable application of the county's desired configuration. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../station/config/load.js";
import type { StationConfig } from "../../station/config/schema.js";
import { ConfigApplier } from "../../station/fleet/config-apply.js";
import { checkDesired, withAppliedConfig } from "../../station/fleet/config-shadow.js";
import { silentLogger } from "../../station/util/logger.js";

const file = parseConfig({ station: { id: "st-1", countyId: "c-1" } });
const desired = (version: number, settings: Record<string, unknown>) => ({
  v: 1,
  type: "config-desired",
  version,
  settings,
  issuedAt: "2026-03-01T09:00:00Z",
});

describe("checkDesired", () => {
  it("accepts county-settable keys, and splits live ones from those pending a restart", () => {
    const c = checkDesired(
      desired(3, { workflow: { inactivitySeconds: 120 }, server: { port: 9090 } }),
      file,
      file,
    );
    expect(c).toMatchObject({
      ok: true,
      live: ["workflow.inactivitySeconds"],
      pendingRestart: ["server.port"],
    });
    if (c.ok) expect(c.config.workflow.inactivitySeconds).toBe(120);
  });

  it("refuses keys the county may not set, listing each", () => {
    const c = checkDesired(
      desired(3, { station: { id: "evil" }, dataDir: "/tmp", upload: { broker: "embedded" } }),
      file,
      file,
    );
    expect(c).toEqual({
      ok: false,
      version: 3,
      errors: [
        "settings.station.id: not settable by the county",
        "settings.dataDir: not settable by the county",
        "settings.upload.broker: not settable by the county",
      ],
    });
  });

  it("lists every schema error with its path", () => {
    const c = checkDesired(
      desired(3, { workflow: { inactivitySeconds: 1, resultSeconds: "long" } }),
      file,
      file,
    );
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.errors).toHaveLength(2);
      expect(c.errors.join("\n")).toMatch(/settings\.workflow\.inactivitySeconds/);
      expect(c.errors.join("\n")).toMatch(/settings\.workflow\.resultSeconds/);
    }
  });

  it("refuses a malformed envelope", () => {
    expect(checkDesired({ v: 1, type: "config-desired", version: -1 }, file, file)).toMatchObject({
      ok: false,
    });
  });
});

describe("ConfigApplier", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "hs-config-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function applier(appliedVersion: number | null = null) {
    let running: StationConfig = file;
    const answers: { id: string; status: string; errors?: string[]; result?: unknown }[] = [];
    const a = new ConfigApplier({
      fleetDir: dir,
      fileConfig: file,
      running: () => running,
      appliedVersion,
      applyLive: (c) => {
        running = { ...running, workflow: c.workflow };
      },
      answer: (x) => answers.push(x),
      nowMs: () => Date.parse("2026-03-01T09:00:00Z"),
      logger: silentLogger,
    });
    return { a, answers, running: () => running };
  }
  const buf = (o: unknown) => Buffer.from(JSON.stringify(o));

  it("applies durably, refuses a stale version, re-reports the same one, keeps the last good on a bad one", async () => {
    const { a, answers, running } = applier();
    expect(a.handle(buf(desired(5, { workflow: { inactivitySeconds: 100 } })))).toBe("applied");
    expect(running().workflow.inactivitySeconds).toBe(100);
    expect(JSON.parse(await readFile(join(dir, "config-applied.json"), "utf8"))).toMatchObject({
      version: 5,
    });
    expect(a.handle(buf(desired(4, { workflow: { inactivitySeconds: 30 } })))).toBe("rejected");
    expect(a.handle(buf(desired(5, { workflow: { inactivitySeconds: 100 } })))).toBe("unchanged");
    expect(a.handle(buf(desired(6, { workflow: { inactivitySeconds: 5 } })))).toBe("rejected");
    expect(a.handle(Buffer.from("{oops"))).toBe("rejected");
    expect(running().workflow.inactivitySeconds).toBe(100);
    expect(a.version).toBe(5);
    expect(answers.map((x) => [x.id, x.status])).toEqual([
      ["config:5", "applied"],
      ["config:4", "rejected"],
      ["config:5", "applied"],
      ["config:6", "rejected"],
      ["config:?", "rejected"],
    ]);
    // After a restart the file's config plus the applied settings run.
    expect(withAppliedConfig(file, dir)).toMatchObject({ version: 5, problem: null });
    expect(withAppliedConfig(file, dir).config.workflow.inactivitySeconds).toBe(100);
  });

  it("reports restart-only keys as pending, and they run after the restart", () => {
    const { a, answers } = applier();
    a.handle(buf(desired(1, { server: { port: 18123 } })));
    expect(answers[0]).toMatchObject({
      status: "pending-restart",
      result: { pendingRestart: ["server.port"] },
    });
    expect(withAppliedConfig(file, dir).config.server.port).toBe(18123);
  });
});
