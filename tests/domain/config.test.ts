import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../station/config/load.js";
import { StationError } from "../../station/util/errors.js";

describe("config", () => {
  it("defaults serve the embedded demo", () => {
    const c = parseConfig({});
    expect(c.server).toEqual({ host: "127.0.0.1", port: 8080, allowedHosts: [] });
    expect(c.devices.mode).toBe("sim");
    expect(c.station.id).toBe("demo-station-0001");
  });

  it("reports every error with its path, not just the first", () => {
    try {
      parseConfig({
        server: { port: 70000, host: 5 },
        station: { id: "Bad Id" },
        workflow: { inactivitySeconds: 1 },
        surprise: true,
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StationError);
      const lines = (e as StationError).details as string[];
      const paths = lines.map((l) => l.split(":")[0]).sort();
      expect(paths).toEqual([
        "(root)",
        "server.host",
        "server.port",
        "station.id",
        "workflow.inactivitySeconds",
      ]);
    }
  });

  it("takes extra kiosk host names without a port or scheme", () => {
    expect(
      parseConfig({ server: { allowedHosts: ["station-7.local", "[fd00::5]"] } }).server.allowedHosts,
    ).toEqual(["station-7.local", "[fd00::5]"]);
    for (const bad of ["station:8080", "http://station", "a b"])
      expect(() => parseConfig({ server: { allowedHosts: [bad] } }), bad).toThrow(StationError);
  });

  it("rejects a config of the wrong shape", () => {
    expect(() => parseConfig([])).toThrow(/expected a JSON object/);
    expect(() => parseConfig({ version: 2 })).toThrow(/version/);
  });

  it("loads a file, resolves relative paths against its folder, and names bad JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "station.json");
    writeFileSync(file, JSON.stringify({ version: 1, dataDir: "data" }));
    const l = loadConfig(file);
    expect(l.baseDir).toBe(dir);
    expect(l.config.dataDir).toBe("data");
    writeFileSync(file, "{ nope");
    expect(() => loadConfig(file)).toThrow(/not valid JSON/);
    expect(() => loadConfig(join(dir, "missing.json"))).toThrow(/cannot read config/);
  });
});
