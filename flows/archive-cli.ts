/**
 * Looks into the county archive:
 *   node dist/flows/archive-cli.js --config county.json count
 *   node dist/flows/archive-cli.js --config county.json list [--station st-001] [--limit 20] [--after <id>]
 *   node dist/flows/archive-cli.js --config county.json get <record id>
 *   node dist/flows/archive-cli.js --config county.json audit|outcomes [--station S] [--limit N] [--after ID]
 *     (the doctors' audit events and list outcomes, one JSON line each, in id order)
 * `--dir <folder>` or `--pg <url>` instead of --config. The file store is opened read-only, so
 * this is safe beside a running receiver. Output is JSON (list: one summary line per record).
 */
import { FileArchiveStore } from "./archive/file-store.js";
import { PostgresArchiveStore } from "./archive/pg-store.js";
import type { ArchiveStore } from "./archive/store.js";
import { loadConfigFile } from "./county-config.js";

const USAGE =
  "usage: archive-cli (--config <county.json> | --dir <store dir> | --pg <url>) count | list [--station S] [--limit N] [--after ID] | get <id> | audit | outcomes";

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function storeFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ArchiveStore {
  const dir = flag(argv, "--dir");
  const pg = flag(argv, "--pg");
  const cfg = flag(argv, "--config");
  if (dir) return new FileArchiveStore({ dir, readOnly: true });
  if (pg) return new PostgresArchiveStore({ url: pg });
  if (cfg) {
    // Only the store section matters here; secrets for MQTT are not needed to read.
    const c = loadConfigFile(cfg, { HS_CREDENTIAL_SECRET: "x".repeat(16), ...env });
    return c.store.kind === "file"
      ? new FileArchiveStore({ dir: c.store.dir, readOnly: true })
      : new PostgresArchiveStore({ url: c.store.url!, table: c.store.table });
  }
  throw new Error(USAGE);
}

/** Runs one command and returns its output lines (testable without a process). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const positional = argv.filter((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
  const [cmd, arg] = positional;
  if (!cmd || !["count", "list", "get", "audit", "outcomes"].includes(cmd) || (cmd === "get" && !arg))
    throw new Error(USAGE);
  const store = storeFromArgs(argv, env);
  await store.open();
  try {
    if (cmd === "count") return [String(await store.count())];
    if (cmd === "get") {
      const r = await store.get(arg!);
      if (!r) throw new Error(`no record ${arg}`);
      return [JSON.stringify(r, null, 2)];
    }
    const opts = {
      station: flag(argv, "--station"),
      afterId: flag(argv, "--after"),
      limit: Number(flag(argv, "--limit") ?? 100),
    };
    if (cmd === "audit" || cmd === "outcomes") {
      if (!store.listEvents) throw new Error("this store keeps no audit events or outcomes");
      const events = await store.listEvents(cmd === "audit" ? "audit" : "outcome", opts);
      return events.map((e) => JSON.stringify({ station: e.station, receivedAt: e.receivedAt, ...e.event }));
    }
    const list = await store.list(opts);
    return list.map((r) =>
      JSON.stringify({
        id: r.message.record.id,
        station: r.message.stationId,
        seq: r.message.record.seq,
        createdAt: r.message.record.createdAt,
        receivedAt: r.receivedAt,
        readings: r.message.record.readings.length,
      }),
    );
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  runCli(process.argv.slice(2)).then(
    (lines) => {
      for (const l of lines) console.log(l);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
