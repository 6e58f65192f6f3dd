/**
 * Issue 12 §3/§7, the probe as it was run: a local process keeps trying to take over the
 * embedded archive's client id and, whenever it gets in, answers every record with a forged
 * `stored` ack. It must never get in, and nothing may be marked acked that the archive does
 * not hold.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { FileArchiveStore } from "../../flows/archive/file-store.js";
import { RecordMessage } from "../../station/mqtt/contract.js";
import { killAll } from "../faults/lib/children.js";
import { checkupViaSim, readStation, roster } from "../faults/lib/records.js";
import { until } from "../faults/lib/wait.js";
import { startEmbeddedStation } from "./lib/embedded-station.js";

/** Connects as "county-archive" again and again; forges acks for everything it sees. */
function forger(url: string) {
  const state = { attempts: 0, connected: 0, forged: 0, stop: false };
  let client: MqttClient | null = null;
  const loop = async () => {
    while (!state.stop) {
      state.attempts++;
      try {
        client = await mqtt.connectAsync(url, {
          protocolVersion: 4,
          clientId: "county-archive",
          reconnectPeriod: 0,
          connectTimeout: 2000,
        });
        state.connected++;
        client.on("message", (_t, p) => {
          const m = RecordMessage.safeParse(JSON.parse(p.toString()));
          if (!m.success) return;
          state.forged++;
          const ack = {
            v: 1,
            type: "ack",
            acks: [{ id: m.data.record.id, status: "stored" }],
            at: new Date().toISOString(),
          };
          client?.publish(`hs/v1/${m.data.county}/${m.data.stationId}/ack`, JSON.stringify(ack), { qos: 1 });
        });
        await client.subscribeAsync("hs/v1/+/+/record", { qos: 1 }).catch(() => {});
        await new Promise<void>((r) => client?.once("close", () => r()));
      } catch {
        // refused: try again
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = loop();
  return {
    state,
    async stop() {
      state.stop = true;
      await client?.endAsync(true).catch(() => {});
      await done;
    },
  };
}

describe("a forged ack on the embedded broker", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await killAll();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("cannot take over the archive's client id, and marks nothing acked that the archive lacks", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hs-forge-"));
    dirs.push(dir);
    const station = await startEmbeddedStation(dir, { log: { level: "info" } });
    const url = /embedded county broker (mqtt:\/\/\S+),/.exec(station.output())?.[1];
    expect(url).toBeDefined();
    const f = forger(url!);
    await until(
      async () => f.state.attempts,
      (n) => n >= 3,
      "forger attempts",
      10_000,
    );
    const people = await roster(station, 4);
    const ids: string[] = [];
    for (const p of people) ids.push(await checkupViaSim(station, p));
    await until(
      () => station.upload(),
      (s) => s.pending === 0 && s.inFlight === 0,
      "outbox drained",
      30_000,
    );
    await f.stop();
    await station.stop();

    expect(f.state.connected).toBe(0);
    expect(f.state.forged).toBe(0);
    const held = await readStation(station.dataDir);
    const acked = held.saved.filter((id) => !held.pending.includes(id) && !held.rejected.includes(id));
    expect(acked.sort()).toEqual([...ids].sort());
    const archive = new FileArchiveStore({ dir: station.archiveDir, readOnly: true });
    await archive.open();
    for (const id of acked) expect(await archive.get(id), id).not.toBeNull();
    await archive.close();
  });
});
