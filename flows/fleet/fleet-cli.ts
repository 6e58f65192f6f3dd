/**
 * County IT's command line for the fleet (docs/fleet.md), as the county's admin identity:
 *   fleet-cli status   --county C --url U [--ca F]             births/deaths heard (retained)
 *   fleet-cli pack     --county C --url U --stations a,b --name roster --file F --version N
 *   fleet-cli config   --county C --url U --stations a,b --version N --settings '{"workflow":{…}}'
 *   fleet-cli cmd      --county C --url U --stations a --name rebirth [--args '{}'] [--ttl 60]
 * The password comes from --password-file or HS_MQTT_PASSWORD. Every command sent, and its
 * answer, is appended to the county's audit log (--audit, default fleet-audit.jsonl).
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import mqtt, { type MqttClient } from "mqtt";
import { Answer, COUNTY_ADMIN, FLEET_VERSION, fleetTopics } from "../../station/mqtt/fleet-contract.js";
import { PresenceMessage, presenceTopic } from "../../station/mqtt/presence.js";
import { packChunks } from "./packs.js";

const FINAL = new Set(["applied", "rejected", "pending-restart", "done", "refused", "expired", "failed"]);

export async function runFleetCli(
  argv: string[],
  out: (s: string) => void = (s) => {
    process.stdout.write(`${s}\n`);
  },
): Promise<number> {
  const { positionals, values: v } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      county: { type: "string" },
      url: { type: "string" },
      ca: { type: "string" },
      username: { type: "string", default: COUNTY_ADMIN },
      "password-file": { type: "string" },
      stations: { type: "string", default: "" },
      name: { type: "string" },
      file: { type: "string" },
      version: { type: "string" },
      settings: { type: "string" },
      args: { type: "string", default: "{}" },
      ttl: { type: "string", default: "60" },
      wait: { type: "string", default: "60" },
      audit: { type: "string", default: "fleet-audit.jsonl" },
    },
  });
  const what = positionals[0];
  if (!v.county || !v.url || !what) {
    out("usage: fleet-cli status|pack|config|cmd --county C --url mqtts://host:8883 [--ca ca.crt] …");
    return 64;
  }
  const county = v.county;
  const stations = v.stations.split(",").filter(Boolean);
  const password = v["password-file"]
    ? readFileSync(v["password-file"], "utf8").trim()
    : process.env.HS_MQTT_PASSWORD;
  const client = await mqtt.connectAsync(v.url, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    username: v.username,
    ...(password ? { password } : {}),
    ...(v.ca ? { ca: readFileSync(v.ca), rejectUnauthorized: true } : {}),
  });
  try {
    if (what === "status") return await status(client, county, Number(v.wait), out);
    await client.subscribeAsync(
      stations.map((s) => fleetTopics.answer(county, s)),
      { qos: 1 },
    );
    const expect = new Map<string, string>(); // station → answer id awaited
    const audit = (line: object) =>
      appendFileSync(v.audit, `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
    if (what === "pack") {
      if (!v.name || !v.file || !v.version) throw new Error("pack needs --name, --file and --version");
      const chunks = packChunks(v.name, Number(v.version), readFileSync(v.file));
      for (const s of stations) {
        expect.set(s, `pack:${v.name}:${v.version}`);
        for (const c of chunks) await client.publishAsync(fleetTopics.pack(county, s, v.name), c, { qos: 1 });
      }
      audit({ kind: "pack", pack: v.name, version: Number(v.version), stations, chunks: chunks.length });
    } else if (what === "config") {
      if (!v.version || !v.settings) throw new Error("config needs --version and --settings");
      const msg = {
        v: FLEET_VERSION,
        type: "config-desired",
        version: Number(v.version),
        settings: JSON.parse(v.settings),
        issuedAt: new Date().toISOString(),
        issuedBy: v.username,
      };
      for (const s of stations) {
        expect.set(s, `config:${v.version}`);
        await client.publishAsync(fleetTopics.config(county, s), JSON.stringify(msg), {
          qos: 1,
          retain: true,
        });
      }
      audit({ kind: "config", version: msg.version, stations, settings: msg.settings });
    } else if (what === "cmd") {
      if (!v.name) throw new Error("cmd needs --name");
      for (const s of stations) {
        const id = randomUUID();
        expect.set(s, id);
        const cmd = {
          v: FLEET_VERSION,
          type: "command",
          id,
          name: v.name,
          args: JSON.parse(v.args),
          expiresAt: new Date(Date.now() + Number(v.ttl) * 1000).toISOString(),
        };
        audit({ kind: "command", station: s, id, name: v.name, expiresAt: cmd.expiresAt });
        await client.publishAsync(fleetTopics.cmd(county, s), JSON.stringify(cmd), { qos: 1 });
      }
    } else throw new Error(`unknown: ${what}`);
    const answers = await collect(client, county, expect, Number(v.wait) * 1000);
    for (const s of stations) {
      const a = answers.get(s);
      if (what === "cmd")
        audit({ kind: "answer", station: s, id: expect.get(s), status: a?.status ?? "no-answer" });
      out(
        `${s}\t${a ? `${a.status}${a.reason ? `\t${a.reason}` : ""}${a.result === undefined ? "" : `\t${JSON.stringify(a.result)}`}` : "no answer"}`,
      );
    }
    return [...answers.values()].every((a) => ["applied", "done", "pending-restart"].includes(a.status)) &&
      answers.size === stations.length
      ? 0
      : 1;
  } finally {
    await client.endAsync();
  }
}

function collect(client: MqttClient, county: string, expect: Map<string, string>, waitMs: number) {
  const got = new Map<string, Answer>();
  return new Promise<Map<string, Answer>>((resolve) => {
    const timer = setTimeout(() => resolve(got), waitMs);
    client.on("message", (topic, payload) => {
      const station = topic.split("/")[3] ?? "";
      if (topic !== fleetTopics.answer(county, station)) return;
      const a = Answer.safeParse(JSON.parse(payload.toString()));
      if (!a.success || a.data.id !== expect.get(station) || !FINAL.has(a.data.status)) return;
      got.set(station, a.data);
      if (got.size === expect.size) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

async function status(
  client: MqttClient,
  county: string,
  waitS: number,
  out: (s: string) => void,
): Promise<number> {
  const seen = new Map<string, PresenceMessage>();
  client.on("message", (_t, p) => {
    const m = PresenceMessage.safeParse(JSON.parse(p.toString()));
    if (m.success) seen.set(m.data.stationId, m.data);
  });
  await client.subscribeAsync(presenceTopic(county, "+"), { qos: 1 });
  await new Promise((r) => setTimeout(r, Math.min(waitS, 2) * 1000));
  for (const m of [...seen.values()].sort((a, b) => a.stationId.localeCompare(b.stationId)))
    out(
      [
        m.stationId,
        m.state,
        `bdSeq=${m.bdSeq}`,
        `config=${m.birth?.configVersion ?? "-"}`,
        `packs=${JSON.stringify(m.birth?.packs ?? {})}`,
      ].join("\t"),
    );
  return 0;
}

const isEntry = process.argv[1] && /fleet-cli\.(ts|js)$/.test(process.argv[1]);
if (isEntry)
  runFleetCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`fleet-cli: ${(e as Error).message}`);
      process.exit(1);
    },
  );
