#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled station code (npm run build).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../dist/station/cli/main.js", import.meta.url));
if (!existsSync(entry)) {
  console.error("health-station: not built yet; run `npm run build` in the project folder first.");
  process.exit(2);
}
await import(entry);
