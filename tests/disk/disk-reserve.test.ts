/**
 * The real station with its data folder on a small disk of its own (a tmpfs): when the free
 * space falls below the reserve, a card tap starts no check-up and says why; once space is
 * freed, check-ups start again. Needs root for the mount (tests run as root here and in CI).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DiskStatusView, ViewState } from "../../station/protocol.js";
import { killAll } from "../faults/lib/children.js";
import { roster } from "../faults/lib/records.js";
import { startStation } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";

let dir: string;
let mounted: string | null = null;

afterAll(async () => {
  await killAll();
  if (mounted) execFileSync("umount", ["-l", mounted]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("disk reserve, real station", () => {
  it("stops new check-ups below the reserve with a clear message, and resumes when space is freed", async () => {
    dir = await mkdtemp(join(tmpdir(), "disk-reserve-"));
    const data = join(dir, "data");
    await mkdir(data);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", data]);
    mounted = data;
    const station = await startStation({
      dir,
      stationId: "disk-station",
      county: "demo-county",
      broker: { url: "mqtt://127.0.0.1:9", caFile: "", password: "x" },
      config: { upload: { enabled: false }, disk: { reserveMb: 12, checkSeconds: 5 } },
    });
    const health = () => station.get<{ disk: DiskStatusView }>("/api/health");
    expect((await health()).disk).toMatchObject({ low: false, reserveMb: 12 });

    // Leave about 6 MB free: below the 12 MB reserve.
    const filler = join(data, "filler");
    const free = (await health()).disk.freeMb;
    await writeFile(filler, Buffer.alloc((free - 6) * 1024 * 1024));
    await until(health, (h) => h.disk.low, "the station to see the disk low", 15_000, 200);

    const [villager] = await roster(station, 1);
    await station.post("/api/sim/card", { ref: villager!.ref });
    const refused = await until(
      () => station.get<ViewState>("/api/state"),
      (s) => s.step === "attract" && s.notice !== null,
      "the refusal on the attract screen",
      10_000,
    );
    expect(refused).toMatchObject({ step: "attract", notice: { code: "disk-low" } });
    expect(JSON.stringify(refused)).toMatch(/存储空间快满了/);
    await station.post("/api/sim/card/remove", {});

    await rm(filler);
    await until(health, (h) => !h.disk.low, "the station to see space again", 15_000, 200);
    await station.post("/api/sim/card", { ref: villager!.ref });
    await until(
      () => station.get<ViewState>("/api/state"),
      (s) => s.step === "identified",
      "a check-up to start",
      10_000,
    );
    await station.stop();
  }, 90_000);
});
