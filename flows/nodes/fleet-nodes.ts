/**
 * The county fleet view as Node-RED nodes, kept thin: the work is in FleetState
 * (flows/fleet/fleet-state.ts), the same code the standalone monitor runs, and in fleet-view.ts
 * (rows and texts for the dashboard). County IT wires them to core `mqtt in`/`mqtt out` nodes on
 * the `county-admin` login and to Dashboard 2.0 widgets (flows/fleet-flow.ts makes the default).
 *   fleet-state     config node: one county's fleet state, loaded from and saved to the store
 *   fleet-in        station messages in; rebirth requests out (to `mqtt out`)
 *   fleet-stations  one page of stations at a time for a `ui-table` (replace), and a page line
 *   fleet-alarms    the alarm list; a table's button_click acknowledges (the command goes out)
 *   fleet-rollout   a config rollout from a `ui-form`; each station's progress for a table
 *   fleet-packs     a data-pack rollout from a file in the county's packs folder; progress, paged
 * Every rollout sent and every final answer heard (not chunk progress) go to the audit log.
 */
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Answer, parseFleetTopic } from "../../station/mqtt/fleet-contract.js";
import { FleetState, type Outgoing } from "../fleet/fleet-state.js";
import {
  alarmRows,
  pageLine,
  parseRolloutForm,
  rolloutLine,
  rolloutRowLabel,
  stationRows,
} from "../fleet/fleet-view.js";
import { filesLine, listPackFiles, packRolloutView, parsePackForm } from "../fleet/pack-view.js";
import { PostgresFleetStateStore } from "../fleet/pg-state-store.js";
import { FileFleetStateStore, FleetSaver, type FleetStateStore } from "../fleet/state-store.js";
import type { NodeMessage, NodeRedApi, RedNode } from "./red-types.js";

/** What a host process may hand the nodes through Node-RED settings (flows/county.ts). */
export interface FleetHost {
  store?: FleetStateStore;
  /** The county user behind a dashboard connection (flows/county-auth.ts). */
  whoIs?: (socketId: unknown) => string | undefined;
  /** The county host's folder of data-pack files the dashboard may send (default {userDir}/packs). */
  packsDir?: string;
}

interface StateNode extends RedNode {
  fleet: FleetState;
  ready: Promise<void>;
  /** The county's audit log of what the view sent, and who asked for it. */
  audit(line: object): void;
  whoIs(msg: NodeMessage): string;
  packsDir: string;
}

const MAX_ALARM_ROWS = 200;

const toMsg = (o: Outgoing): NodeMessage => ({ ...o });

export default function register(RED: NodeRedApi): void {
  function FleetStateNode(
    this: StateNode,
    config: { county: string; offlineAlarmSeconds?: number | string },
  ) {
    RED.nodes.createNode(this, config);
    this.fleet = new FleetState(config.county, (Number(config.offlineAlarmSeconds) || 600) * 1000);
    const host = RED.settings.healthFleet as FleetHost | undefined;
    const pg = process.env.HS_FLEET_PG_URL;
    const store =
      host?.store ??
      (pg
        ? new PostgresFleetStateStore({ url: pg })
        : new FileFleetStateStore(join(RED.settings.userDir ?? ".", "fleet")));
    const saver = FleetSaver.open(this.fleet, store);
    const auditFile = join(RED.settings.userDir ?? ".", "fleet", "audit.jsonl");
    this.audit = (line) => {
      try {
        mkdirSync(dirname(auditFile), { recursive: true });
        appendFileSync(auditFile, `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
      } catch (err) {
        this.error(`fleet audit not written: ${err}`);
      }
    };
    this.packsDir = host?.packsDir ?? join(RED.settings.userDir ?? ".", "packs");
    this.whoIs = (msg) =>
      host?.whoIs?.((msg._client as { socketId?: unknown } | undefined)?.socketId) ?? "unknown";
    this.ready = saver.then(() => {});
    saver.catch((err: unknown) => this.error(`fleet state store unavailable: ${err}`));
    this.on("close", (_removed, done) => {
      saver
        .then((s) => s.stop())
        .catch((err: unknown) => this.error(`saving fleet state: ${err}`))
        .finally(done);
    });
  }
  RED.nodes.registerType("fleet-state", FleetStateNode as never);

  const stateOf = (node: RedNode, id: string | undefined): StateNode | null => {
    const s = id ? (RED.nodes.getNode(id) as StateNode | null) : null;
    if (!s) node.status({ fill: "red", shape: "ring", text: "未配置 fleet-state / no fleet-state" });
    return s;
  };

  function FleetInNode(this: RedNode, config: { state?: string }) {
    RED.nodes.createNode(this, config);
    const s = stateOf(this, config.state);
    let shown = 0;
    this.on("input", (msg, send, done) => {
      if (!s) return done(new Error("no fleet-state configured"));
      s.ready
        .then(() => {
          const now = Date.now();
          const topic = String(msg.topic ?? "");
          const out = s.fleet.hear(topic, msg.payload as Buffer | string, now);
          auditAnswer(s, topic, msg.payload as Buffer | string);
          if (out.length) send([out.map(toMsg)]);
          // The status is cheap but not free at 2,000 stations: at most once a second.
          if (now - shown > 1000) {
            shown = now;
            const sum = s.fleet.summary(now);
            this.status({
              fill: "green",
              shape: "dot",
              text: `在线/online ${sum.online}/${sum.stations} · 告警/alarms ${sum.alarms}`,
            });
          }
          done();
        })
        .catch((err: unknown) => done(err));
    });
  }
  RED.nodes.registerType("fleet-in", FleetInNode as never);

  function FleetStationsNode(this: RedNode, config: { state?: string; pageSize?: number | string }) {
    RED.nodes.createNode(this, config);
    const s = stateOf(this, config.state);
    const size = Math.min(200, Math.max(1, Number(config.pageSize) || 20));
    let page = 0;
    this.on("input", (msg, send, done) => {
      if (!s) return done(new Error("no fleet-state configured"));
      const now = Date.now();
      const total = s.fleet.presence.size;
      const pages = Math.max(1, Math.ceil(total / size));
      const p = msg.payload as { page?: unknown } | undefined;
      if (msg.topic === "next") page++;
      else if (msg.topic === "prev") page--;
      else if (msg.topic === "first") page = 0;
      else if (msg.topic === "last") page = pages - 1;
      else if (typeof p?.page === "number") page = p.page;
      page = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
      const slice = s.fleet.page(page * size, size);
      const alarms = s.fleet.alarmList(now);
      send([
        { topic: "stations", payload: stationRows(slice.stations, alarms) },
        { topic: "page", payload: pageLine(page, pages, slice.total, s.fleet.summary(now).online) },
      ]);
      this.status({ fill: "blue", shape: "dot", text: `${page + 1}/${pages}` });
      done();
    });
  }
  RED.nodes.registerType("fleet-stations", FleetStationsNode as never);

  function FleetAlarmsNode(this: RedNode, config: { state?: string }) {
    RED.nodes.createNode(this, config);
    const s = stateOf(this, config.state);
    this.on("input", (msg, send, done) => {
      if (!s) return done(new Error("no fleet-state configured"));
      const now = Date.now();
      let out: Outgoing[] = [];
      if (msg.action === "button_click") {
        const row = msg.payload as { stationId?: unknown; alarmId?: unknown; raisedAt?: unknown };
        if (
          typeof row?.stationId !== "string" ||
          typeof row.alarmId !== "string" ||
          typeof row.raisedAt !== "string"
        )
          return done(new Error("acknowledge: the row has no stationId, alarmId and raisedAt"));
        const by = s.whoIs(msg);
        out = s.fleet.acknowledge(
          { stationId: row.stationId, id: row.alarmId, raisedAt: row.raisedAt },
          by,
          now,
        );
        s.audit({
          kind: "ack",
          by,
          station: row.stationId,
          alarm: row.alarmId,
          raisedAt: row.raisedAt,
          command: out[0] ? (JSON.parse(out[0].payload) as { id: string }).id : null,
        });
        this.log(`alarm ${row.alarmId} of ${row.stationId} acknowledged by ${by}`);
      }
      const list = s.fleet.alarmList(now);
      // The most severe first, and no more than a table can show; the status has the full count.
      send([
        { topic: "alarms", payload: alarmRows(list).slice(0, MAX_ALARM_ROWS) },
        out.length ? out.map(toMsg) : null,
      ]);
      this.status({ fill: list.length ? "red" : "green", shape: "dot", text: `告警/alarms ${list.length}` });
      done();
    });
  }
  RED.nodes.registerType("fleet-alarms", FleetAlarmsNode as never);

  function FleetRolloutNode(this: RedNode, config: { state?: string }) {
    RED.nodes.createNode(this, config);
    const s = stateOf(this, config.state);
    let note = "";
    this.on("input", (msg, send, done) => {
      if (!s) return done(new Error("no fleet-state configured"));
      const now = Date.now();
      let out: Outgoing[] = [];
      if (msg.topic === "rollout") {
        const form = parseRolloutForm(
          msg.payload,
          s.fleet.presence.all().map((p) => p.stationId),
        );
        if (!form.ok) {
          note = form.error;
          this.status({ fill: "red", shape: "ring", text: form.error.slice(0, 60) });
        } else {
          const r = s.fleet.configRollout(form.stations, form.version, form.settings, now);
          out = r.messages;
          s.audit({
            kind: "config",
            by: s.whoIs(msg),
            version: form.version,
            stations: form.stations,
            settings: form.settings,
          });
          note = "";
          this.log(`config version ${form.version} sent to ${form.stations.length} station(s)`);
        }
      }
      // Pack rollouts have their own view (fleet-packs).
      const latest = s.fleet.rollouts().find((r) => r.kind === "config");
      const prog = latest ? s.fleet.progress(latest.id) : null;
      send([
        out.length ? out.map(toMsg) : null,
        { topic: "rollout", payload: prog ? prog.rows.map(rolloutRowLabel) : [] },
        { topic: "rollout-summary", payload: note || rolloutLine(prog) },
      ]);
      if (prog && !note)
        this.status({
          fill: prog.counts.pending ? "yellow" : prog.counts.rejected ? "red" : "green",
          shape: "dot",
          text: `${latest!.id} ✓${prog.counts.applied} ✗${prog.counts.rejected} …${prog.counts.pending}`,
        });
      done();
    });
  }
  RED.nodes.registerType("fleet-rollout", FleetRolloutNode as never);

  function FleetPacksNode(this: RedNode, config: { state?: string; pageSize?: number | string }) {
    RED.nodes.createNode(this, config);
    const s = stateOf(this, config.state);
    const size = Math.min(200, Math.max(1, Number(config.pageSize) || 20));
    let page = 0;
    let note = "";
    this.on("input", (msg, send, done) => {
      if (!s) return done(new Error("no fleet-state configured"));
      const files = listPackFiles(s.packsDir);
      let out: Outgoing[] = [];
      const t = msg.topic;
      if (t === "pack") {
        const form = parsePackForm(
          msg.payload,
          s.fleet.presence.all().map((p) => p.stationId),
          files,
        );
        if (!form.ok) note = form.error;
        else {
          try {
            // The same path as the monitor's POST /fleet/pack: FleetState cuts and tracks it.
            const bytes = readFileSync(join(s.packsDir, form.file));
            const r = s.fleet.packRollout(form.stations, form.name, form.version, bytes, Date.now());
            out = r.messages;
            s.audit({
              kind: "pack",
              by: s.whoIs(msg),
              pack: form.name,
              version: form.version,
              file: form.file,
              bytes: bytes.length,
              chunks: r.chunks,
              stations: form.stations,
            });
            this.log(
              `pack ${form.name} ${form.version} (${form.file}) sent to ${form.stations.length} station(s)`,
            );
            note = "";
            page = 0;
          } catch (err) {
            note = `读取失败 — cannot read ${form.file}: ${(err as Error).message}`;
          }
        }
        if (note) this.status({ fill: "red", shape: "ring", text: note.slice(0, 60) });
      } else if (t === "pack-next") page++;
      else if (t === "pack-prev") page--;
      else if (t === "pack-first") page = 0;
      else if (t === "pack-last") page = Number.MAX_SAFE_INTEGER;
      const v = packRolloutView(s.fleet, page, size);
      page = v.page;
      send([
        out.length ? out.map(toMsg) : null,
        { topic: "packs", payload: v.rows },
        { topic: "packs-summary", payload: note || v.line },
        { topic: "packs-page", payload: v.pageLine },
        { topic: "packs-files", payload: filesLine(s.packsDir, files) },
      ]);
      if (!note) this.status({ fill: "blue", shape: "dot", text: v.line.slice(0, 60) });
      done();
    });
  }
  RED.nodes.registerType("fleet-packs", FleetPacksNode as never);

  /** A station's final answer (applied, rejected, failed, done …) into the county's audit log. */
  function auditAnswer(s: StateNode, topic: string, payload: Buffer | string): void {
    const t = parseFleetTopic(topic);
    if (t?.kind !== "answer" || t.county !== s.fleet.county || t.sub !== undefined) return;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      return;
    }
    const a = Answer.safeParse(json);
    if (!a.success || a.data.status === "progress") return;
    s.audit({
      kind: "answer",
      station: t.station,
      id: a.data.id,
      status: a.data.status,
      ...(a.data.reason ? { reason: a.data.reason } : {}),
      ...(a.data.errors?.length ? { errors: a.data.errors.slice(0, 10) } : {}),
    });
  }
}
