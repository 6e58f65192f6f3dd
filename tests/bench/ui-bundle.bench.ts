/**
 * UI JavaScript size, gzipped, against Preact's own runtime measured in the same run (the floor
 * any Preact UI pays). Budget (issue 2): at most 100 KB gzipped. Needs `npm run build:ui`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = join(import.meta.dirname, "../../ui/dist/assets");
if (!existsSync(dist)) {
  console.error("ui-bundle.bench: ui/dist missing; run `npm run build:ui` first");
  process.exit(2);
}
const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;
const js = readdirSync(dist).filter((f) => f.endsWith(".js"));
let raw = 0;
let zipped = 0;
for (const f of js) {
  const b = readFileSync(join(dist, f));
  raw += b.length;
  zipped += gz(b);
  console.log(
    `${f.padEnd(40)} ${(b.length / 1024).toFixed(1).padStart(7)} KB raw ${(gz(b) / 1024).toFixed(1).padStart(6)} KB gz`,
  );
}
const require = createRequire(import.meta.url);
// The package entry is Preact's own ESM runtime build.
const preact = gz(readFileSync(require.resolve("preact")));
const ok = zipped <= 100 * 1024;
console.log(`total JS: ${(raw / 1024).toFixed(1)} KB raw, ${(zipped / 1024).toFixed(1)} KB gzipped`);
console.log(
  `baseline preact runtime: ${(preact / 1024).toFixed(1)} KB gzipped; ratio ${(zipped / preact).toFixed(1)}x`,
);
console.log(`budget ≤ 100 KB gzipped: ${ok ? "PASS" : "FAIL"} (${(zipped / 1024).toFixed(1)} KB)`);
console.log(
  `BENCH_RESULT ${JSON.stringify({ files: js.length, rawKb: +(raw / 1024).toFixed(1), gzipKb: +(zipped / 1024).toFixed(1), preactGzipKb: +(preact / 1024).toFixed(1), pass: ok })}`,
);
