/**
 * The assessment module's only file I/O: reading a policy pack from disk. Everything else in
 * station/assessment is pure and takes the parsed pack as an argument.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { StationError } from "../util/errors.js";
import { parsePolicyPack } from "./policy-holder.js";
import type { PolicyPack } from "./policy-schema.js";

const SAMPLE = "sample-county.json";

/**
 * The bundled sample pack. From source it sits beside this file; from the compiled build
 * (dist/station/assessment) tsc does not copy JSON, so fall back to the source tree.
 */
export function samplePolicyPath(): string {
  const candidates = [
    new URL(`./policy/${SAMPLE}`, import.meta.url),
    new URL(`../../../station/assessment/policy/${SAMPLE}`, import.meta.url),
  ].map((u) => fileURLToPath(u));
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new StationError(
      "policy-unreadable",
      `sample policy pack not found (looked in ${candidates.join(", ")})`,
    );
  return found;
}

/** Reads and parses JSON; throws StationError("policy-unreadable" | "policy-invalid"). */
export function readPolicyJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new StationError("policy-unreadable", `cannot read policy pack ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new StationError(
      "policy-invalid",
      `policy pack ${path} is not valid JSON: ${(e as Error).message}`,
      [`(root): ${(e as Error).message}`],
    );
  }
}

/** Reads and validates a pack; on failure the StationError's details hold every `path: message` line. */
export function loadPolicyFile(path: string): PolicyPack {
  const r = parsePolicyPack(readPolicyJson(path));
  if (!r.ok)
    throw new StationError(
      "policy-invalid",
      `policy pack ${path} has ${r.errors.length} error(s):\n  ${r.errors.join("\n  ")}`,
      r.errors,
    );
  return r.pack;
}
