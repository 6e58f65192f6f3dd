/**
 * The generator: splits prompts at their placeholders, and renders the same bytes every time
 * (so re-running `npm run voice` changes no committed clip). Needs espeak-ng, sox and
 * opus-tools (scripts/install-test-deps.sh).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { plan, render } from "../../scripts/gen-voice.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "gen-voice-test-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("gen-voice", () => {
  it("records the pieces between placeholders and leaves the placeholders to the player", () => {
    const { jobs, prompts } = plan({ "bp-value": { zh: "您的高压是{sys}，{verdict}。", en: "Top {sys}." } });
    expect(prompts["bp-value"]).toEqual({
      zh: ["zh/p-bp-value", { param: "sys" }, { param: "verdict" }],
      en: ["en/p-bp-value", { param: "sys" }],
    });
    const texts = Object.fromEntries(jobs.filter((j) => !j.part).map((j) => [j.id, j.text]));
    // Punctuation alone between or after placeholders is not recorded: it would be silence.
    expect(texts).toEqual({ "zh/p-bp-value": "您的高压是", "en/p-bp-value": "Top " });
    // Part clips (numbers and so on) are planned whatever the prompts are.
    expect(jobs.some((j) => j.id === "zh/n-86" && j.text === "八十六")).toBe(true);
  });

  it("renders byte-identical clips on every run", async () => {
    const job = { id: "zh/p-test", lang: "zh" as const, text: "请再量一次血压。", part: false };
    const [a, b] = [tempDir(), tempDir()];
    const first = await render(job, tempDir(), a);
    await render(job, tempDir(), b);
    const bytesA = readFileSync(join(a, "zh/p-test.opus"));
    expect(bytesA.length).toBe(first.bytes);
    expect(first.ms).toBeGreaterThan(1000);
    expect(bytesA.equals(readFileSync(join(b, "zh/p-test.opus")))).toBe(true);
  }, 30_000);
});
