/** Command checks: shape, time-to-live, unknown names, repeated ids; every outcome answered and audited. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { CommandHandler } from "../../station/fleet/commands.js";
import { silentLogger } from "../../station/util/logger.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hs-cmd-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NOW = Date.parse("2026-03-01T09:00:00Z");
const cmd = (o: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      v: 1,
      type: "command",
      id: "r1",
      name: "rebirth",
      expiresAt: "2026-03-01T09:05:00Z",
      ...o,
    }),
  );

function handler() {
  const answers: { id: string; status: string; reason?: string }[] = [];
  let runs = 0;
  const h = new CommandHandler({
    run: {
      rebirth: () => {
        runs++;
        return { status: "done" };
      },
      boom: () => {
        throw new Error("disk gone");
      },
    },
    answer: (a) => answers.push(a),
    auditFile: join(dir, "audit.jsonl"),
    nowMs: () => NOW,
    logger: silentLogger,
  });
  return { h, answers, runs: () => runs };
}

it("runs a valid command once; a repeated id gets the same answer without running again", async () => {
  const { h, answers, runs } = handler();
  await h.handle(cmd({}));
  await h.handle(cmd({}));
  expect(runs()).toBe(1);
  expect(answers.map((a) => [a.id, a.status])).toEqual([
    ["r1", "done"],
    ["r1", "done"],
  ]);
});

it("refuses expired, unknown, malformed and failing commands, each with a reason, and audits them", async () => {
  const { h, answers, runs } = handler();
  await h.handle(cmd({ id: "old", expiresAt: "2026-03-01T08:59:59Z" }));
  await h.handle(cmd({ id: "u", name: "format-disk" }));
  await h.handle(cmd({ id: "m", expiresAt: "tomorrow" }));
  await h.handle(Buffer.from("{not json"));
  await h.handle(cmd({ id: "b", name: "boom" }));
  expect(runs()).toBe(0);
  expect(answers.map((a) => [a.id, a.status])).toEqual([
    ["old", "expired"],
    ["u", "refused"],
    ["m", "refused"],
    ["?", "refused"],
    ["b", "failed"],
  ]);
  expect(answers.every((a) => (a.reason ?? "").length > 0)).toBe(true);
  const audit = (await readFile(join(dir, "audit.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(audit.map((l) => [l.id, l.name, l.status])).toEqual([
    ["old", "rebirth", "expired"],
    ["u", "format-disk", "refused"],
    ["m", null, "refused"],
    ["?", null, "refused"],
    ["b", "boom", "failed"],
  ]);
});
