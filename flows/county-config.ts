/**
 * The county archive's config file, validated once at start-up (one zod source for the type
 * and the check). Relative paths are resolved against the config file's folder. Secrets may
 * come from the environment instead of the file: HS_CREDENTIAL_SECRET, HS_MQTT_USERNAME,
 * HS_MQTT_PASSWORD, HS_ARCHIVE_PG_URL, HS_FLEET_MQTT_PASSWORD.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { formatIssues } from "../station/domain/schema.js";
import { StationError } from "../station/util/errors.js";

const SEGMENT = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const CountyConfig = z.object({
  version: z.literal(1).default(1),
  county: z.string().regex(SEGMENT, "lower-case letters, digits and '-'"),
  /** Node-RED userDir: flows, encrypted credentials, and the file store by default. */
  dataDir: z.string().min(1),
  broker: z.object({
    url: z.string().regex(/^(mqtts?|wss?):\/\/\S+$/, "expected mqtt://, mqtts://, ws:// or wss://"),
    caFile: z.string().min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    clientId: z.string().max(64).optional(),
    /** false only for brokers without $share (Aedes): then run a single receiver. */
    sharedSubscription: z.boolean().default(true),
  }),
  store: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("file"), dir: z.string().min(1) }),
    z.object({
      kind: z.literal("postgres"),
      url: z.string().min(1).optional(),
      table: z.string().optional(),
    }),
  ]),
  http: z
    .object({
      host: z.string().default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(1880),
      /** The flow editor; on by default when there are users to log in, never without. */
      editor: z.boolean().optional(),
      /**
       * The county login for the editor and the dashboard (and anything else under /api).
       * passwordHash: bcrypt (docs/county-archive.md shows how to make one).
       */
      users: z
        .array(
          z.object({ username: z.string().min(1).max(64), passwordHash: z.string().regex(/^\$2[aby]\$/) }),
        )
        .default([]),
    })
    .default({ host: "127.0.0.1", port: 1880, users: [] }),
  /** The fleet view (docs/fleet.md): the county's admin MQTT login and the dashboard. */
  fleet: z
    .object({
      username: z.string().default("county-admin"),
      password: z.string().optional(),
      offlineAlarmSeconds: z.number().int().min(10).default(600),
      pageSize: z.number().int().min(5).max(200).default(20),
      /** Data-pack files the dashboard may send (roster, policy, doctors); default {dataDir}/packs. */
      packsDir: z.string().optional(),
    })
    .optional(),
  /** false: no archive receiver in this county process (the embedded demo has its own). */
  archive: z.boolean().default(true),
  credentialSecret: z.string().min(16).optional(),
  batchMs: z.number().int().min(1).max(1000).default(10),
  maxBatch: z.number().int().min(1).max(5000).default(500),
});
export type CountyConfig = z.infer<typeof CountyConfig>;
export type CountyConfigInput = z.input<typeof CountyConfig>;

/** Validates, applies env secrets and resolves paths; throws one error listing every problem. */
export function resolveConfig(
  raw: unknown,
  baseDir = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): CountyConfig & { credentialSecret: string } {
  const parsed = CountyConfig.safeParse(raw);
  if (!parsed.success)
    throw new StationError(
      "config-invalid",
      `county config invalid:\n  ${formatIssues(parsed.error).join("\n  ")}`,
    );
  const c = structuredClone(parsed.data);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  c.dataDir = abs(c.dataDir);
  if (c.broker.caFile) c.broker.caFile = abs(c.broker.caFile);
  if (c.store.kind === "file") c.store.dir = abs(c.store.dir);
  c.broker.username = env.HS_MQTT_USERNAME ?? c.broker.username;
  c.broker.password = env.HS_MQTT_PASSWORD ?? c.broker.password;
  if (c.store.kind === "postgres") c.store.url = env.HS_ARCHIVE_PG_URL ?? c.store.url;
  if (c.fleet) c.fleet.password = env.HS_FLEET_MQTT_PASSWORD ?? c.fleet.password;
  if (c.fleet?.packsDir) c.fleet.packsDir = abs(c.fleet.packsDir);
  const problems: string[] = [];
  if (c.http.editor && c.http.users.length === 0)
    problems.push("http.editor: the editor needs http.users (the county login); it is never open to anyone");
  const credentialSecret = env.HS_CREDENTIAL_SECRET ?? c.credentialSecret;
  if (!credentialSecret || credentialSecret.length < 16)
    problems.push(
      "credentialSecret: set it (16+ chars) in the config or HS_CREDENTIAL_SECRET; never change it later",
    );
  if (c.store.kind === "postgres" && !c.store.url) problems.push("store.url: set it or HS_ARCHIVE_PG_URL");
  if (problems.length)
    throw new StationError("config-invalid", `county config invalid:\n  ${problems.join("\n  ")}`);
  return { ...c, credentialSecret: credentialSecret! };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new StationError("config-invalid", `cannot read county config ${path}: ${(err as Error).message}`);
  }
  return resolveConfig(raw, dirname(resolve(path)), env);
}
