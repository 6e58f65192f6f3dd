/**
 * The soak's county pushes (issue 13 §7, "config and packs pushed"): desired config and roster
 * packs sent as the county's admin identity over the soak's real broker (docs/fleet.md). A valid
 * config must be applied; an invalid or stale one rejected with the last good one kept; a roster
 * pack applied whole, or, cut off halfway, left partial with the version in force unchanged.
 * Each push opens its own connection, since the broker is restarted by other faults.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { packChunks } from "../../flows/fleet/packs.js";
import { Answer, COUNTY_ADMIN, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { PresenceMessage, presenceTopic } from "../../station/mqtt/presence.js";
import type { FaultBroker } from "../faults/lib/broker.js";
import type { StationProcess } from "../faults/lib/station.js";
import { until } from "../faults/lib/wait.js";
import { connect } from "../mqtt/clients.js";

export const SOAK_ADMIN = { username: COUNTY_ADMIN, password: "soak-admin-pw-0123" };
const ROSTER = join(import.meta.dirname, "../../station/data/demo-roster.json");

export interface FleetEnd {
  /** Last valid config version pushed, and what the station reports and has on disk. */
  configPushed: number | null;
  configHealth: number | null;
  configOnDisk: number | null;
  /** Last roster version pushed whole, and what the station's birth and pack store say. */
  rosterPushed: number | null;
  rosterBirth: string | null;
  rosterOnDisk: number | null;
  consistent: boolean;
}

export class CountyPusher {
  #version = 0; // every config version ever pushed, valid or not, rises from here
  #applied: number | null = null;
  #roster: number | null = null;
  #rosterNext = 1;

  constructor(
    private readonly broker: FaultBroker,
    private readonly county: string,
    private readonly stationId: string,
  ) {}

  async #admin<T>(fn: (c: MqttClient, answers: Answer[]) => Promise<T>): Promise<T> {
    const c = await connect({ url: this.broker.url, ca: this.broker.ca, ...SOAK_ADMIN });
    const answers: Answer[] = [];
    c.on("message", (_t, p) => {
      const a = Answer.safeParse(JSON.parse(p.toString()));
      if (a.success) answers.push(a.data);
    });
    try {
      await c.subscribeAsync(fleetTopics.answer(this.county, this.stationId), { qos: 1 });
      return await fn(c, answers);
    } finally {
      await c.endAsync(true).catch(() => {});
    }
  }

  /** The station's fleet link is up (after a kill the new process may still be connecting). */
  async #linked(station: StationProcess): Promise<void> {
    await until(
      () => station.upload(),
      (u) => u.connected,
      "station connected to the broker",
      60_000,
      200,
    );
  }

  /** A retained desired config: valid, invalid (bad setting) or stale (below the applied one). */
  async pushConfig(station: StationProcess, kind: "valid" | "invalid" | "stale"): Promise<string> {
    await this.#linked(station);
    // Nothing to be stale against before version 2 is applied: push a valid one instead.
    const k = kind === "stale" && (this.#applied ?? 0) < 2 ? "valid" : kind;
    const version = k === "stale" ? this.#applied! - 1 : ++this.#version;
    const settings =
      k === "invalid"
        ? { workflow: { resultSeconds: "soon" } }
        : {
            station: { clinicName: `卫生室 v${version}` },
            fleet: { alarms: { diskLowMegabytes: 1 + (version % 5) } },
          };
    const expect = k === "valid" ? "applied" : "rejected";
    const got = await this.#admin(async (c, answers) => {
      const msg = { v: 1, type: "config-desired", version, settings, issuedAt: new Date().toISOString() };
      await c.publishAsync(fleetTopics.config(this.county, this.stationId), JSON.stringify(msg), {
        qos: 1,
        retain: true,
      });
      const a = await until(
        () => answers.filter((x) => x.id === `config:${version}` && x.status !== "progress"),
        (l) => l.length > 0,
        `answer to config ${version}`,
        30_000,
      );
      return a[0]!.status;
    });
    if (got !== expect) throw new Error(`config ${version} (${k}): answered ${got}, expected ${expect}`);
    if (k === "valid") this.#applied = version;
    return `config ${version} ${k}: ${got}`;
  }

  /** A roster pack (the demo roster with one edit); `cut`: only its first chunks are sent. */
  async pushRoster(station: StationProcess, cut: boolean): Promise<string> {
    await this.#linked(station);
    const version = this.#rosterNext++;
    const roster = JSON.parse(await readFile(ROSTER, "utf8")) as { people: Array<{ name?: string }> };
    roster.people[0]!.name = `${roster.people[0]!.name ?? ""}·${version}`;
    // 64 KiB chunks: the ~280 KB roster is five of them, so "halfway" is a real cut.
    const chunks = packChunks("roster", version, Buffer.from(JSON.stringify(roster)), 64 * 1024);
    const topic = fleetTopics.pack(this.county, this.stationId, "roster");
    return this.#admin(async (c, answers) => {
      if (cut) {
        const half = chunks.slice(0, Math.ceil(chunks.length / 2));
        // Resent like a whole pack below if the new process was not yet subscribed.
        for (let attempt = 1; attempt <= 3; attempt++) {
          for (const ch of half) await c.publishAsync(topic, ch, { qos: 1 });
          const held = await until(
            () => station.get<{ fleet: { partialPacks: Array<{ version: number }> } }>("/api/health"),
            (h) => h.fleet.partialPacks.some((p) => p.version === version),
            `half of roster ${version} held as partial`,
            15_000,
          ).catch(() => null);
          if (held) return `roster ${version}: cut off after ${half.length} of ${chunks.length} chunks`;
        }
        throw new Error(`roster ${version}: the station never held the half sent`);
      }
      // A chunk sent before the new process subscribed is lost; the county resends, as on a stale birth.
      for (let attempt = 1; attempt <= 3; attempt++) {
        for (const ch of chunks) await c.publishAsync(topic, ch, { qos: 1 });
        const done = await until(
          () => answers.filter((x) => x.id === `pack:roster:${version}` && x.status !== "progress"),
          (l) => l.length > 0,
          `answer to roster ${version}`,
          20_000,
        ).catch(() => null);
        if (!done) continue;
        if (done[0]!.status !== "applied")
          throw new Error(`roster ${version}: answered ${done[0]!.status} (${done[0]!.reason ?? ""})`);
        this.#roster = version;
        return `roster ${version}: applied${attempt > 1 ? ` (sent ${attempt} times)` : ""}`;
      }
      throw new Error(`roster ${version}: no answer after 3 sends`);
    });
  }

  /** At the end, with the station running and linked: versions in force against what was pushed. */
  async end(station: StationProcess, dataDir: string): Promise<FleetEnd> {
    await this.#linked(station);
    const health = await station.get<{ fleet: { configVersion: number | null } }>("/api/health");
    const readJson = (p: string) =>
      readFile(join(dataDir, p), "utf8").then(
        (t) => JSON.parse(t) as { version?: number },
        () => null,
      );
    const birth = await this.#admin(async (c) => {
      const seen: PresenceMessage[] = [];
      c.on("message", (t, p) => {
        if (t === presenceTopic(this.county, this.stationId))
          seen.push(PresenceMessage.parse(JSON.parse(p.toString())));
      });
      await c.subscribeAsync(presenceTopic(this.county, this.stationId), { qos: 1 });
      return until(
        () => seen.at(-1),
        (b) => b?.state === "online",
        "the station's retained birth",
        30_000,
      );
    });
    const r: FleetEnd = {
      configPushed: this.#applied,
      configHealth: health.fleet.configVersion,
      configOnDisk: (await readJson("fleet/config-applied.json"))?.version ?? null,
      rosterPushed: this.#roster,
      rosterBirth: birth?.birth?.packs.roster ?? null,
      rosterOnDisk: (await readJson("fleet/packs/roster/current.json"))?.version ?? null,
      consistent: false,
    };
    r.consistent =
      r.configHealth === r.configPushed &&
      r.configOnDisk === r.configPushed &&
      r.rosterOnDisk === r.rosterPushed &&
      // Without any whole push the birth names whatever roster the station started with.
      (r.rosterPushed === null || r.rosterBirth === String(r.rosterPushed));
    return r;
  }
}
