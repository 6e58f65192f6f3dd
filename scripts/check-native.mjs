#!/usr/bin/env node
// Lists every installed package that carries native code or an install script, and whether it
// works on the target (e.g. linux-arm64) with install scripts blocked (npm 11's default):
//   ok        a prebuilt binary for the target is in the package (prebuilds/<target>/ or an ELF
//             .node file built for the target's machine type)
//   optional  no binary for the target, but the lockfile marks the package optional and its
//             dependant falls back (listed, not fatal)
//   MISSING   a required package has no binary for the target: the release would fail there
// Usage: node scripts/check-native.mjs <node_modules> <linux-arm64|linux-x64>
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const [root, target] = process.argv.slice(2);
if (!root || !/^linux-(arm64|x64)$/.test(target ?? "")) {
  console.error("usage: check-native.mjs <node_modules> <linux-arm64|linux-x64>");
  process.exit(2);
}
// ELF e_machine of each target: AArch64 = 183, x86-64 = 62.
const MACHINE = { "linux-arm64": 183, "linux-x64": 62 }[target];
const lock = JSON.parse(readFileSync(join(root, "..", "package-lock.json"), "utf8")).packages ?? {};

function* packages(dir) {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const p = join(dir, name);
    if (name.startsWith("@")) {
      yield* packages(p);
      continue;
    }
    if (!existsSync(join(p, "package.json"))) continue;
    yield p;
    if (existsSync(join(p, "node_modules"))) yield* packages(join(p, "node_modules"));
  }
}

function* files(dir, depth = 0) {
  if (depth > 6) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) {
      if (name !== "node_modules") yield* files(p, depth + 1);
    } else yield p;
  }
}

function elfMachine(path) {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(20);
    readSync(fd, b, 0, 20, 0);
    if (b.readUInt32BE(0) !== 0x7f454c46) return null;
    return b.readUInt16LE(18);
  } finally {
    closeSync(fd);
  }
}

const rows = [];
for (const dir of packages(root)) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const scripts = ["preinstall", "install", "postinstall"].filter((s) => pkg.scripts?.[s]);
  const nodeFiles = [...files(dir)].filter((f) => f.endsWith(".node"));
  const gyp = existsSync(join(dir, "binding.gyp"));
  if (!scripts.length && !nodeFiles.length && !gyp) continue;
  const forTarget = nodeFiles.filter(
    (f) =>
      f.includes(`${target}/`) ||
      f.includes(`${target}-`) ||
      (!/android|darwin|win32|freebsd/.test(f) && elfMachine(f) === MACHINE),
  );
  const key = relative(join(root, ".."), dir);
  const native = nodeFiles.length > 0 || gyp;
  let status = "ok";
  if (native && forTarget.length === 0) status = lock[key]?.optional ? "optional" : "MISSING";
  rows.push({
    key,
    version: pkg.version,
    status,
    why: native
      ? `${forTarget.length ? forTarget.map((f) => relative(dir, f)).join(", ") : `no binary for ${target}`}`
      : `install script only (${scripts.join(", ")}), no native code`,
  });
}

console.log(`native and install-script packages for ${target}:`);
for (const r of rows) console.log(`  ${r.status.padEnd(8)} ${r.key}@${r.version}: ${r.why}`);
if (!rows.length) console.log("  (none)");
const missing = rows.filter((r) => r.status === "MISSING");
if (missing.length) {
  console.error(`check-native: ${missing.length} required package(s) have no ${target} binary`);
  process.exit(1);
}
