// health-station prepare-rollback (docs/adr/0009-person-index-delta.md): folds the delta for an
// older release, and refuses while the station still answers on its port.
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runPrepareRollback } from "../../station/cli/prepare-rollback.js";
import { createFileStore } from "../../station/storage/file-store.js";
import { idNumber, makeRecord } from "../storage/fixtures/records.js";

async function setUp(port: number) {
  const dir = await mkdtemp(join(tmpdir(), "hs-rollback-"));
  const config = join(dir, "station.json");
  await writeFile(
    config,
    JSON.stringify({ version: 1, dataDir: "data", server: { host: "127.0.0.1", port } }),
  );
  const store = createFileStore({ dir: join(dir, "data") });
  await store.open();
  for (let i = 1; i <= 3; i++)
    await store.save(makeRecord({ seq: i, person: idNumber("19500101", i), systolic: 120 }));
  await store.close();
  return { dir, config };
}

async function run(argv: string[]) {
  let err = "";
  const code = await runPrepareRollback(argv, { stdout: () => {}, stderr: (s) => (err += s) });
  return { code, err };
}

const deltas = async (dir: string) => {
  const persons = join(dir, "data", "persons");
  return (await Promise.all((await readdir(persons)).map((y) => readdir(join(persons, y))))).flat();
};

it("refuses while something answers on the station's port, and leaves the delta", async () => {
  const server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const { dir, config } = await setUp(port);
    expect(await deltas(dir)).toContain("delta.log");
    const r = await run(["--config", config]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/running on 127\.0\.0\.1:\d+; stop it first/);
    expect(await deltas(dir)).toContain("delta.log");
  } finally {
    server.close();
  }
});

it("with the station stopped, folds the delta into the buckets", async () => {
  // A port nothing listens on: take one, then free it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const { dir, config } = await setUp(port);
  const r = await run(["--config", config]);
  expect(r.err).toMatch(/folded/);
  expect(r.code).toBe(0);
  expect(await deltas(dir)).not.toContain("delta.log");
  expect((await deltas(dir)).some((f) => /^[0-9a-f]{2}\.json$/.test(f))).toBe(true);
});

it("bad arguments exit 2", async () => {
  expect((await run(["--nope"])).code).toBe(2);
});
