/**
 * The county's fleet state (flows/fleet/fleet-state.ts), the dashboard's rows and form
 * (fleet-view.ts), the flow merge that keeps IT's edits (fleet-flow.ts), and the county login
 * (county-auth.ts): pure, with messages built by the station's own contract code.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { countyLogin } from "../../flows/county-auth.js";
import { resolveConfig } from "../../flows/county-config.js";
import { buildFleetFlow, FLEET_IDS, mergeFleetFlow } from "../../flows/fleet/fleet-flow.js";
import { FleetState } from "../../flows/fleet/fleet-state.js";
import { alarmRows, parseRolloutForm, stationRows } from "../../flows/fleet/fleet-view.js";
import { answerPayload, Command } from "../../station/mqtt/fleet-contract.js";

const C = "demo-county";
const T0 = Date.parse("2026-11-30T08:00:00Z");
const birth = (station: string, bdSeq: number) =>
  JSON.stringify({
    v: 2,
    type: "presence",
    stationId: station,
    state: "online",
    bdSeq,
    at: new Date(T0).toISOString(),
    birth: {
      software: "0.1.0",
      configVersion: null,
      packs: { roster: "2" },
      devices: {},
      backlog: { count: 3, oldestAt: "2026-11-30T07:00:00Z" },
      diskFreeBytes: 1e9,
      clock: { suspect: false, now: new Date(T0).toISOString() },
      uptimeSeconds: 5,
    },
  });
const alarms = (station: string, seq: number, active: object[]) =>
  JSON.stringify({
    v: 1,
    type: "alarms",
    stationId: station,
    bdSeq: 1,
    seq,
    at: new Date(T0).toISOString(),
    active,
    changes: [],
  });
const diskLow = {
  id: "disk-low",
  kind: "disk-low",
  severity: "critical",
  raisedAt: "2026-11-30T07:30:00Z",
  detail: "low",
};

describe("FleetState", () => {
  it("pages stations by id, counts alarms per station, and asks for a rebirth on a seq gap", () => {
    const f = new FleetState(C);
    for (const s of ["st-b", "st-a", "st-c"]) f.hear(`hs/v1/${C}/${s}/status`, birth(s, 1), T0);
    expect(f.hear(`hs/v1/${C}/st-a/alarms`, alarms("st-a", 0, [diskLow]), T0)).toEqual([]);
    const page = f.page(1, 1);
    expect(page.total).toBe(3);
    expect(page.stations.map((s) => s.stationId)).toEqual(["st-b"]);
    const rows = stationRows(f.page(0, 10).stations, f.alarmList(T0));
    expect(rows[0]).toMatchObject({
      stationId: "st-a",
      state: "在线 online",
      alarms: "1",
      packs: "roster:2",
    });
    expect(rows[1]!.alarms).toBe("0");
    // seq 0 then 2: one message lost.
    const out = f.hear(`hs/v1/${C}/st-a/alarms`, alarms("st-a", 2, [diskLow]), T0);
    expect(out).toHaveLength(1);
    expect(out[0]!.topic).toBe(`hs/v1/${C}/st-a/cmd`);
    expect(Command.parse(JSON.parse(out[0]!.payload)).name).toBe("rebirth");
    // Another county's topic is not ours.
    expect(f.hear(`hs/v1/other/st-z/status`, birth("st-z", 1), T0)).toEqual([]);
    expect(f.presence.size).toBe(3);
  });

  it("tracks a config rollout per station: applied, rejected, pending", () => {
    const f = new FleetState(C);
    const r = f.configRollout(["s1", "s2", "s3"], 7, { fleet: { checkSeconds: 5 } }, T0);
    expect(r.id).toBe("config:7");
    expect(r.messages.map((m) => [m.topic, m.retain])).toEqual([
      [`hs/v1/${C}/s1/config`, true],
      [`hs/v1/${C}/s2/config`, true],
      [`hs/v1/${C}/s3/config`, true],
    ]);
    const at = new Date(T0);
    f.hear(
      `hs/v1/${C}/s1/answer`,
      answerPayload({ id: "config:7", about: "config", status: "applied" }, at),
      T0,
    );
    f.hear(
      `hs/v1/${C}/s2/answer`,
      answerPayload(
        { id: "config:7", about: "config", status: "rejected", errors: ["fleet.checkSeconds: too big"] },
        at,
      ),
      T0,
    );
    const p = f.progress("config:7");
    expect(p.counts).toEqual({ applied: 1, rejected: 1, pending: 1 });
    expect(p.rows.map((x) => [x.stationId, x.status, x.detail])).toEqual([
      ["s1", "applied", ""],
      ["s2", "rejected", "fleet.checkSeconds: too big"],
      ["s3", "pending", ""],
    ]);
    // Sent again: a new attempt, pending until answered again.
    f.configRollout(["s1"], 7, {}, T0);
    expect(f.progress("config:7").counts).toEqual({ applied: 0, rejected: 0, pending: 1 });
  });

  it("acknowledges an alarm in the book and sends ack-alarm to the station; the county's own offline alarm has nobody to tell", () => {
    const f = new FleetState(C, 60_000);
    f.hear(`hs/v1/${C}/st-a/status`, birth("st-a", 1), T0);
    f.hear(`hs/v1/${C}/st-a/alarms`, alarms("st-a", 0, [diskLow]), T0);
    const out = f.acknowledge(
      { stationId: "st-a", id: "disk-low", raisedAt: diskLow.raisedAt },
      "county-it",
      T0,
    );
    expect(out).toHaveLength(1);
    const cmd = Command.parse(JSON.parse(out[0]!.payload));
    expect([cmd.name, cmd.args]).toEqual([
      "ack-alarm",
      { alarmId: "disk-low", raisedAt: diskLow.raisedAt, by: "county-it" },
    ]);
    const rows = alarmRows(f.alarmList(T0));
    expect(rows[0]!.acked).toMatch(/^已确认 acknowledged/);
    expect(f.acknowledge({ stationId: "st-a", id: "offline", raisedAt: "x" }, "county-it", T0)).toEqual([]);
  });
});

describe("the rollout form", () => {
  it("takes a version, JSON settings and stations (empty or * for all), and says what is wrong", () => {
    expect(
      parseRolloutForm({ version: 3, settings: '{"log":{"level":"info"}}', stations: "" }, ["b", "a"]),
    ).toEqual({
      ok: true,
      version: 3,
      settings: { log: { level: "info" } },
      stations: ["a", "b"],
    });
    expect(parseRolloutForm({ version: "4", settings: "{}", stations: "x, y" }, [])).toMatchObject({
      ok: true,
      stations: ["x", "y"],
    });
    expect(parseRolloutForm({ version: 0, settings: "{}" }, ["a"])).toMatchObject({ ok: false });
    expect(parseRolloutForm({ version: 1, settings: "{oops" }, ["a"])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not JSON/),
    });
    expect(parseRolloutForm({ version: 1, settings: "[1]" }, ["a"])).toMatchObject({ ok: false });
    expect(parseRolloutForm({ version: 1, settings: "{}" }, [])).toMatchObject({ ok: false });
  });
});

describe("the fleet flow", () => {
  const opts = {
    county: C,
    brokerUrl: "mqtt://b:1883",
    tls: null,
    username: "county-admin",
    offlineAlarmSeconds: 600,
    pageSize: 20,
  };
  it("keeps IT's edits to the dashboard and rewrites only the MQTT connection and state node", () => {
    const first = mergeFleetFlow([], buildFleetFlow(opts));
    const edited = first.map((n) =>
      n.id === "hs-fleet-ui-page"
        ? { ...n, name: "我们的设备" }
        : n.id === FLEET_IDS.broker
          ? { ...n, broker: "old" }
          : n,
    );
    const again = mergeFleetFlow(edited, buildFleetFlow({ ...opts, brokerUrl: "mqtts://new:8883" }));
    expect(again.find((n) => n.id === "hs-fleet-ui-page")!.name).toBe("我们的设备");
    expect(again.find((n) => n.id === FLEET_IDS.broker)!.broker).toBe("mqtts://new:8883");
    expect(again).toHaveLength(first.length);
    // Tables replace their rows (server-side paging), never append.
    for (const t of again.filter((n) => n.type === "ui-table")) expect(t.action).toBe("replace");
  });
});

describe("the county login", () => {
  const bcrypt = createRequire(createRequire(import.meta.url).resolve("node-red"))("bcryptjs") as {
    hashSync(p: string, r: number): string;
  };
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

  it("lets in only a configured user with the right password", async () => {
    const login = countyLogin([{ username: "it", passwordHash: bcrypt.hashSync("pw-1", 4) }]);
    expect(await login.userOf(basic("it", "pw-1"))).toBe("it");
    expect(await login.userOf(basic("it", "pw-2"))).toBeNull();
    expect(await login.userOf(basic("other", "pw-1"))).toBeNull();
    expect(await login.userOf(undefined)).toBeNull();
    expect(await login.userOf("Bearer x")).toBeNull();
    expect(countyLogin([]).adminAuth).toBeUndefined();
    expect(await countyLogin([]).userOf(basic("it", "pw-1"))).toBeNull();
  });

  it("refuses an editor without users in the config", () => {
    const base = {
      county: C,
      dataDir: "/tmp/x",
      broker: { url: "mqtt://b:1883" },
      store: { kind: "file", dir: "/tmp/s" },
    };
    const env = { HS_CREDENTIAL_SECRET: "0123456789abcdef" };
    expect(() => resolveConfig({ ...base, http: { editor: true } }, "/", env)).toThrow(/needs http.users/);
    expect(resolveConfig(base, "/", env).http.editor).toBeUndefined();
  });
});
